"""``IntegerLookup``: integer ids to vocabulary indices, with ``kfront.ops`` (works in models)."""
import numpy as np

from kfront import ops
from kfront.layers.preprocessing.feature import encoding
from kfront.layers.preprocessing.feature.index_lookup import IndexLookup


class IntegerLookup(IndexLookup):
    """Maps integers to contiguous indices from a vocabulary (given, or built by ``adapt``).

    Args: as ``StringLookup``, with integer ``mask_token`` (default None) and ``oov_token``
    (default -1). With several OOV indices an unknown ``x`` goes to bucket
    ``x mod num_oov_indices`` (Keras's default for integers).

    The lookup compares against the vocabulary with ``kfront.ops``, so the layer works in
    Functional models and compiled steps on every backend. Values are handled as int32.
    With ``num_oov_indices=0`` an unknown id gives -1 (no check can run inside the step).

    >>> IntegerLookup(vocabulary=[12, 36])(np.array([12, 7, 36]))  # [1, 0, 2]
    """

    def __init__(self, max_tokens=None, num_oov_indices=1, mask_token=None, oov_token=-1,
                 vocabulary=None, vocabulary_dtype="int64", idf_weights=None, invert=False,
                 output_mode="int", sparse=False, pad_to_max_tokens=False, name=None,
                 **kwargs):
        if vocabulary_dtype not in ("int64", "int32"):
            raise ValueError("IntegerLookup: `vocabulary_dtype` must be 'int64' or 'int32', "
                             f"received {vocabulary_dtype!r}.")
        self.vocabulary_dtype = vocabulary_dtype
        if kwargs.get("oov_method") == "farmhash" and num_oov_indices > 1:
            raise ValueError("IntegerLookup: `oov_method='farmhash'` with several OOV indices "
                             "is not supported by kfront; use 'floormod'.")
        super().__init__(max_tokens=max_tokens, num_oov_indices=num_oov_indices,
                         mask_token=mask_token, oov_token=oov_token, vocabulary=vocabulary,
                         idf_weights=idf_weights, invert=invert, output_mode=output_mode,
                         sparse=sparse, pad_to_max_tokens=pad_to_max_tokens, name=name,
                         **kwargs)

    def _asset_token(self, text):
        # Keras writes integer vocabularies as text, one number a line.
        return int(text)

    def _token(self, value):
        if isinstance(value, (str, bytes)) or not float(value).is_integer():
            raise ValueError(f"IntegerLookup expects integers, received {value!r:.60}.")
        return int(value)

    def _as_numpy(self, batch):
        if ops.is_tensor(batch):
            return ops.convert_to_numpy(batch)
        return np.asarray(batch)

    def call(self, inputs):
        self._check_ready()
        x = ops.cast(inputs, "int32")
        if self.invert:
            table = ops.convert_to_tensor(np.asarray(self.get_vocabulary(), "int32"))
            n = self.vocabulary_size()
            inside = ops.logical_and(ops.greater_equal(x, 0), ops.less(x, n))
            return ops.where(inside, ops.take(table, ops.clip(x, 0, max(n - 1, 0))),
                             self.oov_token)
        oov_start = self._oov_start()
        if self.num_oov_indices > 1:
            oov = ops.mod(x, self.num_oov_indices) + oov_start
        else:
            oov = ops.full_like(x, oov_start if self.num_oov_indices else -1)
        if self._vocab:
            vocab = ops.convert_to_tensor(np.asarray(self._vocab, "int32"))
            hits = ops.equal(ops.expand_dims(x, -1), vocab)
            position = ops.argmax(ops.cast(hits, "int32"), axis=-1)
            idx = ops.where(ops.any(hits, axis=-1),
                            ops.cast(position, "int32") + self._token_start(), oov)
        else:
            idx = oov
        if self.mask_token is not None:
            idx = ops.where(ops.equal(x, self.mask_token),
                            0 if self.output_mode == "int" else -1, idx)
        if self.output_mode == "int":
            return ops.cast(idx, "int32")
        mode = "count" if self.output_mode == "tf_idf" else self.output_mode
        out = encoding.encode(idx, mode, self._depth(), "float32")
        if self.output_mode == "tf_idf":
            idf = np.zeros(self._depth(), "float32")
            idf[:len(self._idf)] = self._idf[:self._depth()]
            out = out * ops.convert_to_tensor(idf)
        return out

    def get_config(self):
        return {**super().get_config(), "vocabulary_dtype": self.vocabulary_dtype}
