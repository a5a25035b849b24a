"""``HashedCrossing``: the cross of several categorical features hashed to ``num_bins``
buckets, bucket for bucket as ``tf.sparse.cross_hashed`` (and so Keras) computes them."""
import numpy as np

from kfront import ops
from kfront.layers.layer import Layer
from kfront.layers.preprocessing.feature import encoding
from kfront.layers.preprocessing.feature.host import host_array, to_text
from kfront.layers.preprocessing.feature.string_hash import fingerprint64

_M64 = (1 << 64) - 1
_MUL = 0xC6A4A7935BD1E995
# TensorFlow's default ``hash_key`` for hashed crosses.
_HASH_KEY = 0xDECAFCAFFE


def _shift_mix(v):
    return v ^ (v >> 47)


def fingerprint_cat64(fp1, fp2):
    """FarmHash's ``FingerprintCat64``: combines two 64-bit fingerprints."""
    result = fp1 ^ _MUL
    result ^= (_shift_mix((fp2 * _MUL) & _M64) * _MUL) & _M64
    result = (result * _MUL) & _M64
    result = (_shift_mix(result) * _MUL) & _M64
    return _shift_mix(result)


def _feature_hash(value):
    # Strings are fingerprinted; integers enter the cross as their 64-bit pattern.
    if isinstance(value, (bytes, str, np.str_, np.bytes_)):
        return fingerprint64(to_text(value))
    return int(value) & _M64


def cross_hash(values, num_bins):
    """The bucket of one crossed tuple of feature values."""
    hashed = _HASH_KEY
    for value in values:
        hashed = fingerprint_cat64(hashed, _feature_hash(value))
    return hashed % num_bins


class HashedCrossing(Layer):
    """Crosses categorical features by hashing each tuple of their values into one of
    ``num_bins`` buckets (the same buckets as Keras).

    It runs on the host (strings fit in no torch/JAX tensor): apply it to the data or in
    a dataset's ``map``, not inside a compiled model.

    Args:
        num_bins: the number of hash buckets.
        output_mode: "int" (bucket indices, int64) or "one_hot" (float vectors of
            ``num_bins``).
        sparse: not supported (kfront's outputs are dense); must be False.

    Inputs: a list or tuple of at least two arrays of integers or strings, all of shape
    ``()``, ``(batch,)`` or ``(batch, 1)``.

    >>> layer = kfront.layers.HashedCrossing(num_bins=5)
    >>> layer((np.array(["A", "B"]), np.array([1, 2])))  # two buckets in [0, 5)
    """

    def __init__(self, num_bins, output_mode="int", sparse=False, name=None, dtype=None,
                 **kwargs):
        if output_mode == "int" and dtype is None:
            dtype = "int64"
        super().__init__(name=name, dtype=dtype, **kwargs)
        if isinstance(num_bins, bool) or not isinstance(num_bins, (int, np.integer)) \
                or num_bins < 1:
            raise ValueError("HashedCrossing: `num_bins` must be a positive integer. "
                             f"Received: num_bins={num_bins!r}")
        encoding.check_output_mode("HashedCrossing", output_mode, ("int", "one_hot"))
        if sparse:
            raise ValueError("HashedCrossing: `sparse=True` is not supported; kfront "
                             "produces dense outputs only.")
        self.num_bins = int(num_bins)
        self.output_mode = output_mode
        self.sparse = False

    def _check_inputs(self, inputs):
        if not isinstance(inputs, (list, tuple)):
            raise ValueError("`HashedCrossing` should be called on a list or tuple of inputs. "
                             f"Received: inputs={inputs!r:.200}")
        if len(inputs) < 2:
            raise ValueError("`HashedCrossing` should be called on at least two inputs. "
                             f"Received: inputs={inputs!r:.200}")
        arrays = [host_array(self, x) for x in inputs]
        shape = arrays[0].shape
        if len(shape) > 2 or (len(shape) == 2 and shape[-1] != 1):
            raise ValueError("All `HashedCrossing` inputs should have shape `()`, "
                             f"`(batch_size)` or `(batch_size, 1)`. Received shapes: "
                             f"{[a.shape for a in arrays]}")
        if any(a.shape != shape for a in arrays[1:]):
            raise ValueError("All `HashedCrossing` inputs should have equal shape. Received "
                             f"shapes: {[a.shape for a in arrays]}")
        for a in arrays:
            if a.dtype.kind not in "iuUSO" or a.dtype.kind == "O" and a.size and \
                    not isinstance(a.reshape(-1)[0], (str, bytes)):
                raise ValueError("All `HashedCrossing` inputs should have an integer or "
                                 f"string dtype. Received dtypes: {[b.dtype for b in arrays]}")
        return arrays, shape

    def __call__(self, inputs, **kwargs):
        kwargs.pop("training", None)
        arrays, shape = self._check_inputs(inputs)
        self.built = True
        flat = [np.asarray(a, dtype=object).reshape(-1) for a in arrays]
        buckets = np.asarray([cross_hash(values, self.num_bins) for values in zip(*flat)],
                             dtype="int64").reshape(shape)
        if self.output_mode == "int":
            return ops.convert_to_tensor(buckets, dtype=self.dtype)
        if len(shape) == 2:
            buckets = buckets[:, 0]
        return ops.convert_to_tensor(encoding.encode_numpy(buckets, "one_hot", self.num_bins,
                                                           self.compute_dtype))

    def compute_output_shape(self, input_shape):
        first = tuple(input_shape[0])
        if self.output_mode == "int":
            return first
        if first and first[-1] == 1:
            first = first[:-1]
        return first + (self.num_bins,)

    def get_config(self):
        return {**super().get_config(), "num_bins": self.num_bins,
                "output_mode": self.output_mode, "sparse": self.sparse}
