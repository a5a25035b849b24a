"""``IndexLookup``: the vocabulary table behind ``StringLookup`` and ``IntegerLookup``.

Index layout (Keras's): with ``output_mode="int"`` and a ``mask_token``, index 0 is the mask;
then come ``num_oov_indices`` out-of-vocabulary buckets, then the vocabulary in order. In
the other output modes the mask takes no index. The vocabulary (and tf-idf weights) live in
``get_config``, so they survive ``model.save`` / ``load_model``.
"""
import collections

import numpy as np

from kfront.layers.layer import Layer
from kfront.layers.preprocessing.feature import encoding
from kfront.layers.preprocessing.feature.host import batches

_MODES = encoding.OUTPUT_MODES + ("tf_idf",)


class IndexLookup(Layer):
    """Shared vocabulary logic; subclasses say how tokens are read and looked up."""

    def __init__(self, max_tokens, num_oov_indices, mask_token, oov_token, vocabulary=None,
                 idf_weights=None, invert=False, output_mode="int", sparse=False,
                 pad_to_max_tokens=False, oov_method="floormod", salt=None, **kwargs):
        # Keras 3.15 saves the size it froze when the vocabulary was set; it is checked
        # against the vocabulary below.
        saved_size = kwargs.pop("vocabulary_size", None)
        super().__init__(**kwargs)
        cls = type(self).__name__
        self._check_oov_method(cls, oov_method, salt, num_oov_indices)
        self.oov_method = oov_method
        self.salt = salt
        # Keras 2 names Keras 3 still accepts.
        output_mode = {"binary": "multi_hot", "tf-idf": "tf_idf"}.get(output_mode, output_mode)
        encoding.check_output_mode(cls, output_mode, _MODES)
        if max_tokens is not None and (not isinstance(max_tokens, int) or max_tokens <= 1):
            raise ValueError(f"{cls}: if set, `max_tokens` must be greater than 1. Received: "
                             f"max_tokens={max_tokens!r}")
        if not isinstance(num_oov_indices, int) or num_oov_indices < 0:
            raise ValueError(f"{cls}: `num_oov_indices` must be greater than or equal to 0. "
                             f"Received: num_oov_indices={num_oov_indices!r}")
        if invert and output_mode != "int":
            raise ValueError(f"{cls}: `output_mode` must be 'int' when `invert` is true. "
                             f"Received: output_mode={output_mode!r}")
        if sparse:
            raise ValueError(f"{cls}: `sparse=True` is not supported; kfront produces dense "
                             "outputs only.")
        if pad_to_max_tokens and max_tokens is None:
            raise ValueError(f"{cls}: if `pad_to_max_tokens` is True, `max_tokens` must be "
                             "set.")
        if idf_weights is not None and output_mode != "tf_idf":
            raise ValueError(f"{cls}: `idf_weights` should only be set if `output_mode` is "
                             f"'tf_idf'. Received: output_mode={output_mode!r}")
        self.max_tokens = max_tokens
        self.num_oov_indices = num_oov_indices
        self.mask_token = mask_token
        self.oov_token = oov_token
        self.invert = bool(invert)
        self.output_mode = output_mode
        self.sparse = False
        self.pad_to_max_tokens = bool(pad_to_max_tokens)
        self._vocab = []
        self._index = {}
        self._idf = None
        self._vocabulary_given = vocabulary is not None
        if vocabulary is not None:
            self.set_vocabulary(vocabulary, idf_weights)
        elif idf_weights is not None:
            raise ValueError(f"{cls}: `idf_weights` needs a `vocabulary`.")
        if saved_size is not None and vocabulary is not None \
                and saved_size != self.vocabulary_size():
            raise ValueError(f"{cls}: `vocabulary_size`={saved_size!r} does not match the "
                             f"vocabulary, which gives {self.vocabulary_size()} indices.")

    @staticmethod
    def _check_oov_method(cls, oov_method, salt, num_oov_indices):
        """Keras's ``oov_method``/``salt``: kfront buckets OOV integers by ``floormod`` and
        OOV strings by FarmHash64; anything else is refused where it would matter."""
        if oov_method not in ("floormod", "farmhash"):
            raise ValueError(f"{cls}: `oov_method` must be one of 'floormod', 'farmhash'. "
                             f"Received: oov_method={oov_method!r}")
        if salt is not None:
            if not (isinstance(salt, int) or (isinstance(salt, (list, tuple)) and len(salt) == 2
                                              and all(isinstance(v, int) for v in salt))):
                raise ValueError(f"{cls}: `salt` must be an integer or a pair of integers. "
                                 f"Received: salt={salt!r}")
            if num_oov_indices > 1:
                raise ValueError(f"{cls}: `salt` (SipHash64 OOV buckets) is not supported by "
                                 f"kfront. Received: salt={salt!r}")

    # ---- subclass hooks ----
    def _token(self, value):
        """A vocabulary entry from a raw value (str for strings, int for integers)."""
        raise NotImplementedError

    # ---- vocabulary ----
    def _oov_start(self):
        return 1 if self.mask_token is not None and self.output_mode == "int" else 0

    def _token_start(self):
        return self._oov_start() + self.num_oov_indices

    def vocabulary_size(self):
        """The number of indices: mask and OOV indices included."""
        return self._token_start() + len(self._vocab)

    def get_vocabulary(self, include_special_tokens=True):
        """The vocabulary in index order (``include_special_tokens``: mask and OOV first)."""
        if not include_special_tokens:
            return list(self._vocab)
        head = [self.mask_token] if self._oov_start() else []
        return head + [self.oov_token] * self.num_oov_indices + list(self._vocab)

    def set_vocabulary(self, vocabulary, idf_weights=None):
        """Sets the vocabulary (a list, or a path to a text file with one token a line)."""
        cls = type(self).__name__
        if isinstance(vocabulary, str):
            try:
                with open(vocabulary, encoding="utf-8") as f:
                    vocabulary = [line for line in f.read().splitlines()]
            except OSError as e:
                raise ValueError(f"{cls}: cannot read the vocabulary file {vocabulary!r}: "
                                 f"{e}") from None
            while vocabulary and vocabulary[-1] == "":
                vocabulary.pop()
        tokens = [self._token(v) for v in np.asarray(vocabulary, dtype=object).reshape(-1)]
        special = self.get_vocabulary()[:self._token_start()]
        if special and tokens[:len(special)] == special:
            tokens = tokens[len(special):]  # a vocabulary exported with its special tokens
            if idf_weights is not None and len(idf_weights) == len(tokens) + len(special):
                idf_weights = list(idf_weights)[len(special):]
        if self.mask_token is not None and self.mask_token in tokens:
            raise ValueError(f"{cls}: the mask token {self.mask_token!r} must not be in the "
                             "vocabulary (it is added at index 0).")
        if self.num_oov_indices and self.oov_token in tokens:
            raise ValueError(f"{cls}: the OOV token {self.oov_token!r} must not be in the "
                             "vocabulary (it is added at the OOV indices).")
        repeated = [t for t, c in collections.Counter(tokens).items() if c > 1]
        if repeated:
            raise ValueError(f"{cls}: the passed vocabulary has at least one repeated term. "
                             f"Repeated terms: {repeated[:10]}")
        if self.max_tokens is not None and len(tokens) + self._token_start() > self.max_tokens:
            raise ValueError(f"{cls}: attempted to set a vocabulary larger than the maximum "
                             f"vocab size. Received vocabulary size is "
                             f"{len(tokens) + self._token_start()}; `max_tokens` is "
                             f"{self.max_tokens}.")
        if self.output_mode == "tf_idf":
            if idf_weights is None:
                raise ValueError(f"{cls}: `idf_weights` must be set if output_mode is "
                                 "'tf_idf' and a vocabulary is given.")
            idf = np.asarray(idf_weights, dtype="float32").reshape(-1)
            if idf.size != len(tokens):
                raise ValueError(f"{cls}: `idf_weights` must be the same length as the "
                                 f"vocabulary. len(idf_weights) is {idf.size}, len(vocabulary) "
                                 f"is {len(tokens)}.")
            self._set_idf(idf)
        self._vocab = tokens
        self._index = {t: i for i, t in enumerate(tokens, start=self._token_start())}

    def _set_idf(self, idf):
        # The OOV buckets get the mean weight: their true document frequency is unknown.
        fill = float(idf.mean()) if idf.size else 0.0
        self._idf = np.concatenate([np.full(self._token_start(), fill, "float32"), idf])

    def adapt(self, data, batch_size=None, steps=None):
        """Builds the vocabulary from ``data``: tokens by decreasing frequency (ties broken
        by the token, in decreasing order, as Keras), cut to ``max_tokens``."""
        def documents():
            for i, batch in enumerate(batches(data)):
                if steps is not None and i >= steps:
                    break
                yield from self._documents(batch)
        self.fit_documents(documents())

    def fit_documents(self, documents):
        """Builds the vocabulary from an iterable of token lists (one per document)."""
        counts, docs, num_docs = collections.Counter(), collections.Counter(), 0
        for row in documents:
            counts.update(row)
            docs.update(set(row))
            num_docs += 1
        for special in (self.mask_token, self.oov_token):
            counts.pop(special, None)
        ordered = sorted(counts.items(), key=lambda kv: (kv[1], kv[0]), reverse=True)
        if self.max_tokens is not None:
            ordered = ordered[:max(self.max_tokens - self._token_start(), 0)]
        tokens = [t for t, _ in ordered]
        self._vocab = tokens
        self._index = {t: i for i, t in enumerate(tokens, start=self._token_start())}
        self._vocabulary_given = False
        if self.output_mode == "tf_idf":
            df = np.array([docs[t] for t in tokens], dtype="float64")
            self._set_idf(np.log(1 + num_docs / (1 + df)).astype("float32"))

    def _documents(self, batch):
        """Lists of tokens, one per document (row) of ``batch``."""
        x = self._as_numpy(batch)
        if x.ndim <= 1:
            x = x.reshape(-1, 1)
        return [[self._token(v) for v in row.reshape(-1)] for row in x]

    def _as_numpy(self, batch):
        from kfront.layers.preprocessing.feature.host import host_array
        return host_array(self, batch)

    # ---- lookup on the host ----
    def _depth(self):
        return self.max_tokens if self.pad_to_max_tokens else self.vocabulary_size()

    def _check_ready(self):
        if self.output_mode != "int" and not self.pad_to_max_tokens and not self._vocab:
            raise ValueError(f"{type(self).__name__}: when using `output_mode="
                             f"{self.output_mode}` and `pad_to_max_tokens=False`, you must set "
                             "the layer's vocabulary before calling it. Either pass a "
                             "`vocabulary` argument to the layer, or call `adapt` with some "
                             "sample data.")

    def _oov_bucket(self, token):
        raise NotImplementedError

    def lookup_numpy(self, x):
        """Indices (or, with ``invert``, tokens) for a NumPy array, then the encoding."""
        self._check_ready()
        if self.invert:
            vocab = self.get_vocabulary()
            flat = [vocab[i] if 0 <= i < len(vocab) else self.oov_token
                    for i in np.asarray(x).reshape(-1).tolist()]
            out = np.empty(len(flat), dtype=object)
            out[:] = flat
            return out.reshape(np.shape(x))
        flat = []
        for value in np.asarray(x, dtype=object).reshape(-1):
            token = self._token(value)
            if self.mask_token is not None and token == self.mask_token:
                # Outside "int" mode the mask has no index and encodes to nothing.
                flat.append(0 if self.output_mode == "int" else -1)
                continue
            i = self._index.get(token)
            if i is None:
                if self.num_oov_indices == 0:
                    raise ValueError(f"{type(self).__name__}: when `num_oov_indices=0` all "
                                     "inputs should be in vocabulary, found OOV value "
                                     f"{token!r}; consider setting `num_oov_indices=1`.")
                i = self._oov_start() + (self._oov_bucket(token) if self.num_oov_indices > 1
                                         else 0)
            flat.append(i)
        idx = np.asarray(flat, dtype="int64").reshape(np.shape(x))
        if self.output_mode == "int":
            return idx
        mode = "count" if self.output_mode == "tf_idf" else self.output_mode
        out = encoding.encode_numpy(idx, mode, self._depth(), "float32")
        if self.output_mode == "tf_idf":
            idf = np.zeros(self._depth(), "float32")
            idf[:len(self._idf)] = self._idf[:self._depth()]
            out = out * idf
        return out

    def load_assets_from(self, files):
        """The vocabulary Keras 3 stores as an archive asset (``vocabulary.txt``) for an
        adapted layer: read from the file's own bytes, never from a path."""
        if "vocabulary.txt" in files and not self._vocab:
            text = files["vocabulary.txt"].decode("utf-8")
            tokens = text.split("\n")
            while tokens and tokens[-1] == "":
                tokens.pop()
            tokens = [self._asset_token(t) for t in tokens]
            self.set_vocabulary(tokens, idf_weights=None if self.output_mode != "tf_idf"
                                else self._idf_from_weights())

    def _asset_token(self, text):
        """A vocabulary token from its line in ``vocabulary.txt``."""
        return text

    def _idf_from_weights(self):
        return None if self._idf is None else self._idf[self._token_start():]

    @classmethod
    def from_config(cls, config):
        refuse_vocabulary_path(cls.__name__, config)
        return cls(**config)

    def get_config(self):
        vocabulary = list(self._vocab) if self._vocab else None
        idf = None if self._idf is None else self._idf[self._token_start():].tolist()
        return {**super().get_config(), "max_tokens": self.max_tokens,
                "num_oov_indices": self.num_oov_indices, "mask_token": self.mask_token,
                "oov_token": self.oov_token, "vocabulary": vocabulary, "idf_weights": idf,
                "invert": self.invert, "output_mode": self.output_mode, "sparse": self.sparse,
                "pad_to_max_tokens": self.pad_to_max_tokens,
                "vocabulary_size": self.vocabulary_size() if self._vocab else None,
                "oov_method": self.oov_method, "salt": self.salt}


def refuse_vocabulary_path(class_name, config):
    """A config naming a file as its ``vocabulary`` would read that file when the layer is
    rebuilt: whatever local file an attacker names (keys, passwords) would become tokens the
    model's outputs reveal. In safe mode (the default of every loader) it is refused; the
    files kfront writes hold the vocabulary itself."""
    from kfront.saving.serialization import in_safe_mode
    vocabulary = config.get("vocabulary") if isinstance(config, dict) else None
    if isinstance(vocabulary, str) and in_safe_mode():
        raise ValueError(
            f"{class_name}: the config asks to read the vocabulary file {vocabulary!r}, "
            "outside of the model file. This could load arbitrary and sensitive local files, "
            "so it is disallowed in safe mode (the default). If you trust the source of the "
            "file, pass safe_mode=False to the loading function or call "
            "kfront.config.enable_unsafe_deserialization().")
