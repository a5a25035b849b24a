"""``StringLookup``: strings to vocabulary indices (or encodings), on the host."""

from kfront import ops
from kfront.layers.preprocessing.feature.host import host_array, to_text
from kfront.layers.preprocessing.feature.index_lookup import IndexLookup
from kfront.layers.preprocessing.feature.string_hash import fingerprint64


class StringLookup(IndexLookup):
    """Maps strings to integer indices from a vocabulary (given, or built by ``adapt``).

    Args:
        max_tokens: the largest vocabulary size, mask and OOV indices included.
        num_oov_indices: OOV buckets; unknown strings are spread over them by FarmHash
            Fingerprint64, as Keras does.
        mask_token: a string mapped to index 0 (``output_mode="int"``), or None.
        oov_token: the token ``invert`` returns for OOV indices.
        vocabulary: a list of strings or a path to a one-token-a-line file.
        idf_weights: per-token weights for ``output_mode="tf_idf"``.
        invert: map indices back to strings (a NumPy object array).
        output_mode: ``"int"``, ``"one_hot"``, ``"multi_hot"``, ``"count"`` or ``"tf_idf"``.
        pad_to_max_tokens: make encodings ``max_tokens`` wide.
        sparse: must be False.
        encoding: how bytes inputs are decoded.

    Strings cannot live in torch or JAX tensors, so this layer runs on the host over NumPy
    (or lists of) strings and returns an engine tensor; use it on the data before the model
    (``x = lookup(texts)``), not inside a Functional model or a compiled step.

    >>> StringLookup(vocabulary=["a", "b"])(np.array(["a", "c", "b"]))  # [1, 0, 2]
    """

    def __init__(self, max_tokens=None, num_oov_indices=1, mask_token=None, oov_token="[UNK]",
                 vocabulary=None, idf_weights=None, invert=False, output_mode="int",
                 pad_to_max_tokens=False, sparse=False, encoding="utf-8", name=None,
                 **kwargs):
        self.encoding = encoding
        kwargs.pop("vocabulary_dtype", None)
        super().__init__(max_tokens=max_tokens, num_oov_indices=num_oov_indices,
                         mask_token=mask_token, oov_token=oov_token, vocabulary=vocabulary,
                         idf_weights=idf_weights, invert=invert, output_mode=output_mode,
                         sparse=sparse, pad_to_max_tokens=pad_to_max_tokens, name=name,
                         **kwargs)

    def _token(self, value):
        return to_text(value, self.encoding)

    def _oov_bucket(self, token):
        return fingerprint64(token) % self.num_oov_indices

    def __call__(self, inputs, **kwargs):
        kwargs.pop("training", None)
        x = host_array(self, inputs)
        self.built = True
        if self.invert:
            if x.dtype.kind not in "iu":
                raise ValueError(f'Layer "{self.name}" with invert=True expects integer '
                                 f"indices, received dtype {x.dtype}.")
            return self.lookup_numpy(x)
        out = self.lookup_numpy(x)
        return ops.convert_to_tensor(out.astype("int32") if out.dtype.kind == "i" else out)

    def get_config(self):
        return {**super().get_config(), "encoding": self.encoding}
