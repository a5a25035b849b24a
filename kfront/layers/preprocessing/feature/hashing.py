"""``Hashing``: strings or integers to ``num_bins`` buckets by a stable hash, on the host."""
import numpy as np

from kfront import ops
from kfront.layers.layer import Layer
from kfront.layers.preprocessing.feature import encoding
from kfront.layers.preprocessing.feature.host import host_array, to_text
from kfront.layers.preprocessing.feature.string_hash import fingerprint64, siphash64


class Hashing(Layer):
    """Hashes values into ``[0, num_bins)`` with Keras's bucket numbers.

    Integers are hashed through their decimal text, strings as UTF-8: FarmHash
    Fingerprint64 without ``salt``, SipHash-2-4 keyed by ``salt`` with it.

    Args:
        num_bins: the number of buckets, ``mask_value``'s bucket included.
        mask_value: a value sent to bucket 0 (the others then use ``1..num_bins-1``).
        salt: an int or a pair of ints keying SipHash.
        output_mode: ``"int"``, ``"one_hot"``, ``"multi_hot"`` or ``"count"``.
        sparse: must be False.

    It runs on the host (strings fit in no torch/JAX tensor), so apply it to the data
    before the model, not in a Functional model or a compiled step.

    >>> Hashing(num_bins=3)(np.array([["A"], ["B"]]))
    """

    def __init__(self, num_bins, mask_value=None, salt=None, output_mode="int", sparse=False,
                 **kwargs):
        if kwargs.get("dtype") is None:
            # Keras's default, which its loader requires of an "int" Hashing config.
            kwargs["dtype"] = "int64" if output_mode == "int" else "float32"
        super().__init__(**kwargs)
        if not isinstance(num_bins, int) or num_bins <= 0:
            raise ValueError("Hashing: `num_bins` must be a positive int. Received: "
                             f"num_bins={num_bins!r}")
        encoding.check_output_mode("Hashing", output_mode, encoding.OUTPUT_MODES)
        if sparse:
            raise ValueError("Hashing: `sparse=True` is not supported; kfront produces dense "
                             "outputs only.")
        if salt is not None:
            if isinstance(salt, int):
                salt = [salt, salt]
            elif not (isinstance(salt, (list, tuple)) and len(salt) == 2
                      and all(isinstance(s, int) for s in salt)):
                raise ValueError("Hashing: `salt` must be an int or a pair of ints. "
                                 f"Received: salt={salt!r}")
            salt = list(salt)
        if mask_value is not None and num_bins < 2:
            raise ValueError("Hashing: with a `mask_value`, `num_bins` must be at least 2.")
        self.num_bins = num_bins
        self.mask_value = mask_value
        self.salt = salt
        self.output_mode = output_mode
        self.sparse = False

    def _bucket(self, value):
        if isinstance(value, (bytes, str, np.str_)):
            text = to_text(value)
        elif isinstance(value, (int, np.integer)) and not isinstance(value, bool):
            text = str(int(value))
        else:
            raise ValueError(f'Layer "{self.name}" (Hashing) expects strings or integers, '
                             f"received {type(value).__name__}: {value!r:.60}")
        if self.mask_value is not None and (text == str(self.mask_value)):
            return 0
        n = self.num_bins - (1 if self.mask_value is not None else 0)
        h = siphash64(self.salt, text) if self.salt is not None else fingerprint64(text)
        return h % n + (1 if self.mask_value is not None else 0)

    def hash_numpy(self, x):
        """Bucket indices (int64) for a NumPy array of strings or integers."""
        flat = [self._bucket(v) for v in np.asarray(x, dtype=object).reshape(-1)]
        return np.asarray(flat, dtype="int64").reshape(np.shape(x))

    def __call__(self, inputs, **kwargs):
        kwargs.pop("training", None)
        x = host_array(self, inputs)
        if x.dtype.kind == "f":
            raise ValueError(f'Layer "{self.name}" (Hashing) expects strings or integers, '
                             f"received floats (dtype {x.dtype}).")
        self.built = True
        idx = self.hash_numpy(x)
        if self.output_mode == "int":
            return ops.convert_to_tensor(idx.astype("int32"))
        return ops.convert_to_tensor(encoding.encode_numpy(idx, self.output_mode,
                                                           self.num_bins, "float32"))

    def get_config(self):
        return {**super().get_config(), "num_bins": self.num_bins,
                "mask_value": self.mask_value, "salt": self.salt,
                "output_mode": self.output_mode, "sparse": self.sparse}
