"""``TextVectorization``: raw strings to token indices or bag-of-words vectors, on the host."""
import re

import numpy as np

from kfront import ops
from kfront.layers.layer import Layer
from kfront.layers.preprocessing.feature.host import batches, host_array, to_text
from kfront.layers.preprocessing.feature.string_lookup import StringLookup

_PUNCTUATION = re.compile(r'[!"#$%&()\*\+,\-\./:;<=>?@\[\\\]^_`{|}~\']')
_STANDARDIZE = ("lower_and_strip_punctuation", "lower", "strip_punctuation", None)
_SPLIT = ("whitespace", "character", None)


class TextVectorization(Layer):
    """Standardizes, splits and n-grams texts, then looks the tokens up in a vocabulary.

    Args:
        max_tokens: the vocabulary size limit (mask "" and OOV "[UNK]" included).
        standardize: ``"lower_and_strip_punctuation"``, ``"lower"``,
            ``"strip_punctuation"``, None, or a callable taking a NumPy array of ``str``.
        split: ``"whitespace"``, ``"character"``, None, or a callable ``str -> list``.
        ngrams: None, an int ``n`` (all 1..n-grams) or a tuple of n-gram sizes.
        output_mode: ``"int"``, ``"multi_hot"``, ``"count"`` or ``"tf_idf"``.
        output_sequence_length: ``"int"`` mode pads/cuts every sequence to this length
            (otherwise to the longest in the batch).
        pad_to_max_tokens: make the vector modes ``max_tokens`` wide.
        vocabulary, idf_weights: a fixed vocabulary (list or file path) and its weights.
        sparse, ragged: must be False.
        encoding: how bytes inputs are decoded.

    The layer works on strings, so it runs on the host (NumPy and Python) and returns an
    engine tensor: vectorize the texts before the model (``x = vectorizer(texts)`` or in a
    dataset's ``map``), not inside a Functional model or a compiled step.

    >>> vectorizer = TextVectorization(output_sequence_length=4)
    >>> vectorizer.adapt(["the cat sat", "the dog"])
    >>> vectorizer(["the dog sat"])
    """

    def __init__(self, max_tokens=None, standardize="lower_and_strip_punctuation",
                 split="whitespace", ngrams=None, output_mode="int",
                 output_sequence_length=None, pad_to_max_tokens=False, vocabulary=None,
                 idf_weights=None, sparse=False, ragged=False, encoding="utf-8", name=None,
                 **kwargs):
        kwargs.pop("vocabulary_size", None)
        super().__init__(name=name, **kwargs)
        if not (standardize in _STANDARDIZE or callable(standardize)):
            raise ValueError(f"TextVectorization: `standardize` must be one of {_STANDARDIZE} "
                             f"or a callable. Received: standardize={standardize!r}")
        if not (split in _SPLIT or callable(split)):
            raise ValueError(f"TextVectorization: `split` must be one of {_SPLIT} or a "
                             f"callable. Received: split={split!r}")
        if output_mode not in ("int", "multi_hot", "count", "tf_idf"):
            raise ValueError("TextVectorization: `output_mode` must be one of 'int', "
                             "'multi_hot', 'count', 'tf_idf'. Received: "
                             f"output_mode={output_mode!r}")
        if isinstance(ngrams, int) and not isinstance(ngrams, bool) and ngrams >= 1:
            widths = tuple(range(1, ngrams + 1))
        elif ngrams is None:
            widths = None
        elif isinstance(ngrams, (list, tuple)) and ngrams and all(
                isinstance(n, int) and n >= 1 for n in ngrams):
            widths = tuple(ngrams)
        else:
            raise ValueError("TextVectorization: `ngrams` must be None, an integer, or a tuple "
                             f"of integers. Received: ngrams={ngrams!r}")
        if output_sequence_length is not None:
            if output_mode != "int":
                raise ValueError("TextVectorization: `output_sequence_length` must not be set "
                                 "if `output_mode` is not 'int'. Received "
                                 f"output_sequence_length={output_sequence_length}.")
            if not isinstance(output_sequence_length, int) or output_sequence_length < 1:
                raise ValueError("TextVectorization: `output_sequence_length` must be a "
                                 f"positive int, received {output_sequence_length!r}.")
        if sparse or ragged:
            raise ValueError("TextVectorization: `sparse` and `ragged` outputs are not "
                             "supported; kfront produces dense tensors only.")
        self.standardize = standardize
        self.split = split
        self.ngrams = ngrams
        self._widths = widths
        self.output_mode = output_mode
        self.output_sequence_length = output_sequence_length
        self.encoding = encoding
        self._lookup = StringLookup(max_tokens=max_tokens, vocabulary=vocabulary,
                                    idf_weights=idf_weights, mask_token="",
                                    output_mode=output_mode,
                                    pad_to_max_tokens=pad_to_max_tokens, encoding=encoding,
                                    name=f"{self.name}_lookup")

    # ---- text to tokens ----
    def _standardized(self, x):
        texts = np.empty(x.shape, dtype=object)
        texts.reshape(-1)[:] = [to_text(v, self.encoding) for v in x.reshape(-1)]
        if self.standardize in ("lower", "lower_and_strip_punctuation"):
            texts = np.vectorize(str.lower, otypes=[object])(texts)
        if self.standardize in ("strip_punctuation", "lower_and_strip_punctuation"):
            texts = np.vectorize(lambda t: _PUNCTUATION.sub("", t), otypes=[object])(texts)
        if callable(self.standardize):
            texts = np.asarray(self.standardize(texts), dtype=object)
        return texts

    def _tokenize(self, x):
        """A list (one per text) of token lists."""
        texts = self._standardized(x)
        if self.split is None:
            rows = [[t] for t in texts.reshape(-1)] if texts.ndim <= 1 else \
                [list(r) for r in texts.reshape(texts.shape[0], -1)]
        else:
            if texts.ndim > 1:
                if texts.shape[-1] != 1:
                    raise ValueError("When using `TextVectorization` to tokenize strings, the "
                                     "input rank must be 1 or the last shape dimension must "
                                     f"be 1. Received: inputs.shape={texts.shape}")
                texts = texts[..., 0]
            flat = texts.reshape(-1)
            if self.split == "whitespace":
                rows = [t.split() for t in flat]
            elif self.split == "character":
                rows = [list(t) for t in flat]
            else:
                rows = [list(self.split(t)) for t in flat]
        if self._widths is not None:
            rows = [[" ".join(r[i:i + n]) for n in self._widths for i in range(len(r) - n + 1)]
                    for r in rows]
        return rows

    # ---- vocabulary ----
    def adapt(self, data, batch_size=None, steps=None):
        """Builds the vocabulary (and tf-idf weights) from texts or a dataset of texts."""
        docs = []
        for i, batch in enumerate(batches(data)):
            if steps is not None and i >= steps:
                break
            docs.extend(self._tokenize(host_array(self, batch)))
        if not docs:
            raise ValueError("TextVectorization.adapt received no data.")
        self._lookup.fit_documents(docs)

    def load_assets_from(self, files):
        """Keras 3 stores an adapted layer's vocabulary as an archive asset."""
        self._lookup.load_assets_from(files)

    @classmethod
    def from_config(cls, config):
        from kfront.layers.preprocessing.feature.index_lookup import refuse_vocabulary_path
        refuse_vocabulary_path(cls.__name__, config)
        return super().from_config(config)

    def get_vocabulary(self, include_special_tokens=True):
        return self._lookup.get_vocabulary(include_special_tokens)

    def vocabulary_size(self):
        return self._lookup.vocabulary_size()

    def set_vocabulary(self, vocabulary, idf_weights=None):
        self._lookup.set_vocabulary(vocabulary, idf_weights)

    # ---- calling ----
    def __call__(self, inputs, **kwargs):
        kwargs.pop("training", None)
        x = host_array(self, inputs)
        self.built = True
        scalar = x.ndim == 0
        rows = self._tokenize(x.reshape(1) if scalar else x)
        if self.output_mode == "int":
            length = self.output_sequence_length or max((len(r) for r in rows), default=0)
            out = np.zeros((len(rows), length), dtype="int32")
            for i, r in enumerate(rows):
                ids = self._lookup.lookup_numpy(np.asarray(r[:length], dtype=object)) \
                    if r else np.zeros(0, "int32")
                out[i, :len(ids)] = ids
        else:
            out = np.stack([self._lookup.lookup_numpy(np.asarray(r, dtype=object))
                            if r else np.zeros(self._lookup._depth(), "float32")
                            for r in rows]).astype("float32")
        return ops.convert_to_tensor(out[0] if scalar else out)

    def get_config(self):
        lookup = self._lookup.get_config()
        if callable(self.standardize) or callable(self.split):
            raise ValueError("TextVectorization with a callable `standardize` or `split` "
                             "cannot be serialized; pass the callable again when rebuilding.")
        return {**super().get_config(), "max_tokens": lookup["max_tokens"],
                "standardize": self.standardize, "split": self.split, "ngrams": self.ngrams,
                "output_mode": self.output_mode,
                "output_sequence_length": self.output_sequence_length,
                "pad_to_max_tokens": lookup["pad_to_max_tokens"], "sparse": False,
                "ragged": False, "vocabulary": lookup["vocabulary"],
                "idf_weights": lookup["idf_weights"], "encoding": self.encoding,
                "vocabulary_size": self.vocabulary_size()}
