"""Keras 2 text tools: ``Tokenizer``, ``text_to_word_sequence``, ``one_hot``, ``hashing_trick``.

Keras 3 dropped this module in favour of the ``TextVectorization`` layer; it is kept for the
tutorials that still use it, and each entry point warns with a ``DeprecationWarning``. All of
it is plain Python over strings and produces Python lists or NumPy arrays.
"""
import collections
import hashlib
import json
import warnings

import numpy as np

DEFAULT_FILTERS = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n'
_MODES = ("binary", "count", "tfidf", "freq")


def _deprecated(name, instead):
    warnings.warn(f"`kfront.preprocessing.text.{name}` is deprecated (Keras 3 removed it); "
                  f"use {instead} instead.", DeprecationWarning, stacklevel=3)


def _split_words(text, filters, lower, split):
    if lower:
        text = text.lower()
    # Every filtered character becomes a separator, then empty pieces are dropped.
    text = text.translate(str.maketrans({c: split for c in filters}))
    return [word for word in text.split(split) if word]


def text_to_word_sequence(input_text, filters=DEFAULT_FILTERS, lower=True, split=" "):
    """Splits a text into a list of words.

    Args:
        input_text: the string.
        filters: characters removed (treated as separators).
        lower: lowercase the text first.
        split: the word separator.
    """
    _deprecated("text_to_word_sequence", "`kfront.layers.TextVectorization`")
    return _split_words(input_text, filters, lower, split)


def _hash_words(text, n, hash_function, filters, lower, split, analyzer):
    if not isinstance(n, (int, np.integer)) or n < 2:
        raise ValueError(f"`n` (the hash space size) must be an int >= 2, received {n!r}.")
    if hash_function is None:
        hash_function = hash
    elif hash_function == "md5":
        def hash_function(word):
            return int(hashlib.md5(word.encode()).hexdigest(), 16)
    elif not callable(hash_function):
        raise ValueError("`hash_function` must be None, 'md5' or a callable, received "
                         f"{hash_function!r}.")
    words = analyzer(text) if analyzer is not None else _split_words(text, filters, lower, split)
    # Index 0 is left free (it is the padding value of pad_sequences).
    return [hash_function(word) % (n - 1) + 1 for word in words]


def hashing_trick(text, n, hash_function=None, filters=DEFAULT_FILTERS, lower=True, split=" ",
                  analyzer=None):
    """Words to indices in ``[1, n)`` by hashing.

    Args:
        text: the string.
        n: the hash space size; indices fall in ``1..n-1``.
        hash_function: ``None`` (Python's ``hash``, which varies between processes unless
            ``PYTHONHASHSEED`` is set), ``"md5"`` (stable) or any callable ``str -> int``.
        filters, lower, split: as for ``text_to_word_sequence``.
        analyzer: a callable splitting the text into words, replacing the three above.
    """
    _deprecated("hashing_trick", "`kfront.layers.Hashing`")
    return _hash_words(text, n, hash_function, filters, lower, split, analyzer)


def one_hot(input_text, n, filters=DEFAULT_FILTERS, lower=True, split=" ", analyzer=None):
    """Words to indices in ``[1, n)`` with Python's ``hash`` (``hashing_trick`` with it)."""
    _deprecated("one_hot", "`kfront.layers.Hashing`")
    return _hash_words(input_text, n, hash, filters, lower, split, analyzer)


class Tokenizer:
    """Builds a word index from texts and turns texts into index sequences or matrices.

    Args:
        num_words: keep only the ``num_words - 1`` most frequent words when converting
            (fitting still counts them all).
        filters: characters removed from the texts.
        lower: lowercase the texts.
        split: the word separator.
        char_level: every character is a token.
        oov_token: if given, it takes index 1 and replaces unknown words.
        analyzer: a callable splitting a text into tokens, replacing filters/lower/split.

    >>> t = Tokenizer(num_words=100)
    >>> t.fit_on_texts(["the cat", "the dog"])
    >>> t.texts_to_sequences(["the dog"])
    [[1, 3]]
    """

    def __init__(self, num_words=None, filters=DEFAULT_FILTERS, lower=True, split=" ",
                 char_level=False, oov_token=None, analyzer=None, **kwargs):
        _deprecated("Tokenizer", "`kfront.layers.TextVectorization`")
        if "nb_words" in kwargs:
            warnings.warn("The `nb_words` argument of `Tokenizer` was renamed `num_words`.",
                          stacklevel=2)
            num_words = kwargs.pop("nb_words")
        document_count = kwargs.pop("document_count", 0)
        if kwargs:
            raise TypeError(f"Tokenizer: unrecognized keyword arguments {sorted(kwargs)}.")
        if num_words is not None and (not isinstance(num_words, (int, np.integer))
                                      or num_words < 0):
            raise ValueError(f"`num_words` must be a non-negative int or None, "
                             f"received {num_words!r}.")
        self.num_words = num_words
        self.filters = filters
        self.lower = lower
        self.split = split
        self.char_level = char_level
        self.oov_token = oov_token
        self.analyzer = analyzer
        self.document_count = document_count
        self.word_counts = collections.OrderedDict()
        self.word_docs = collections.defaultdict(int)
        self.index_docs = collections.defaultdict(int)
        self.word_index = {}
        self.index_word = {}

    def _tokens(self, text):
        if self.char_level or isinstance(text, list):
            # A list is taken as already tokenized; a string at char level is its characters.
            if self.lower:
                text = [t.lower() for t in text] if isinstance(text, list) else text.lower()
            return text
        if not isinstance(text, str):
            raise ValueError(f"Tokenizer expects strings (or lists of tokens), received "
                             f"{type(text).__name__}: {text!r:.80}")
        if self.analyzer is not None:
            return self.analyzer(text)
        return _split_words(text, self.filters, self.lower, self.split)

    def fit_on_texts(self, texts):
        """Counts the words of ``texts`` and (re)builds ``word_index`` by frequency."""
        if isinstance(texts, str):
            raise ValueError("fit_on_texts expects a list of texts, received one string. "
                             "Wrap it in a list.")
        for text in texts:
            self.document_count += 1
            tokens = self._tokens(text)
            for token in tokens:
                self.word_counts[token] = self.word_counts.get(token, 0) + 1
            for token in set(tokens):
                self.word_docs[token] += 1
        # A stable sort: equally frequent words keep the order they were first seen in.
        by_count = sorted(self.word_counts.items(), key=lambda kv: kv[1], reverse=True)
        vocab = ([] if self.oov_token is None else [self.oov_token]) + [w for w, _ in by_count]
        self.word_index = {word: i for i, word in enumerate(vocab, start=1)}
        self.index_word = {i: word for word, i in self.word_index.items()}
        for word, docs in self.word_docs.items():
            self.index_docs[self.word_index[word]] = docs

    def fit_on_sequences(self, sequences):
        """Counts, per index, the documents it appears in (needed for ``tfidf`` matrices)."""
        self.document_count += len(sequences)
        for seq in sequences:
            for i in set(seq):
                self.index_docs[i] += 1

    def texts_to_sequences(self, texts):
        """Each text as a list of word indices (unknown words dropped, or ``oov_token``)."""
        return list(self.texts_to_sequences_generator(texts))

    def texts_to_sequences_generator(self, texts):
        """Yields ``texts_to_sequences`` one text at a time."""
        if isinstance(texts, str):
            raise ValueError("texts_to_sequences expects a list of texts, received one "
                             "string. Wrap it in a list.")
        oov = self.word_index.get(self.oov_token)
        for text in texts:
            seq = []
            for token in self._tokens(text):
                i = self.word_index.get(token)
                if i is None or (self.num_words and i >= self.num_words):
                    if oov is not None:
                        seq.append(oov)
                else:
                    seq.append(i)
            yield seq

    def sequences_to_texts(self, sequences):
        """Each index sequence back to a space-joined text."""
        return list(self.sequences_to_texts_generator(sequences))

    def sequences_to_texts_generator(self, sequences):
        """Yields ``sequences_to_texts`` one sequence at a time."""
        oov = self.word_index.get(self.oov_token)
        for seq in sequences:
            words = []
            for i in seq:
                word = self.index_word.get(i)
                if word is None or (self.num_words and i >= self.num_words):
                    if oov is not None:
                        words.append(self.index_word[oov])
                else:
                    words.append(word)
            yield " ".join(words)

    def texts_to_matrix(self, texts, mode="binary"):
        """A ``(len(texts), num_words)`` matrix; see ``sequences_to_matrix`` for ``mode``."""
        return self.sequences_to_matrix(self.texts_to_sequences(texts), mode=mode)

    def sequences_to_matrix(self, sequences, mode="binary"):
        """A ``(len(sequences), num_words)`` float matrix.

        Args:
            sequences: lists of word indices.
            mode: ``"binary"`` (1 where the word occurs), ``"count"``, ``"freq"`` (count over
                sequence length) or ``"tfidf"`` (``(1 + log(count)) * log(1 + docs / (1 +
                docs with the word))``).
        """
        if mode not in _MODES:
            raise ValueError(f"Unknown vectorization mode: {mode!r}. Expected one of {_MODES}.")
        if self.num_words:
            width = self.num_words
        elif self.word_index:
            width = len(self.word_index) + 1
        else:
            raise ValueError("Specify a dimension (`num_words` argument), or fit on some text "
                             "data first.")
        if mode == "tfidf" and not self.document_count:
            raise ValueError("Fit the Tokenizer on some data before using tfidf mode.")
        out = np.zeros((len(sequences), width))
        for row, seq in enumerate(sequences):
            if not len(seq):
                continue
            counts = collections.Counter(i for i in seq if i < width)
            for i, c in counts.items():
                if mode == "binary":
                    out[row, i] = 1
                elif mode == "count":
                    out[row, i] = c
                elif mode == "freq":
                    out[row, i] = c / len(seq)
                else:
                    idf = np.log(1 + self.document_count / (1 + self.index_docs.get(i, 0)))
                    out[row, i] = (1 + np.log(c)) * idf
        return out

    def get_config(self):
        """The settings and fitted tables (tables as JSON strings, as Keras 2 writes them)."""
        return {
            "num_words": self.num_words, "filters": self.filters, "lower": self.lower,
            "split": self.split, "char_level": self.char_level, "oov_token": self.oov_token,
            "document_count": self.document_count,
            "word_counts": json.dumps(self.word_counts),
            "word_docs": json.dumps(self.word_docs),
            "index_docs": json.dumps(self.index_docs),
            "index_word": json.dumps(self.index_word),
            "word_index": json.dumps(self.word_index),
        }

    def to_json(self, **kwargs):
        """The tokenizer as a JSON string; ``tokenizer_from_json`` reads it back."""
        return json.dumps({"class_name": type(self).__name__, "config": self.get_config()},
                          **kwargs)


def tokenizer_from_json(json_string):
    """A ``Tokenizer`` from ``Tokenizer.to_json()`` output."""
    try:
        data = json.loads(json_string)
        config = dict(data["config"])
        tables = {key: json.loads(config.pop(key)) for key in
                  ("word_counts", "word_docs", "index_docs", "index_word", "word_index")}
    except (TypeError, KeyError, ValueError) as e:
        raise ValueError("tokenizer_from_json: not a Tokenizer JSON string "
                         f"({type(e).__name__}: {e}).") from None
    tokenizer = Tokenizer(**config)
    tokenizer.word_counts = collections.OrderedDict(tables["word_counts"])
    tokenizer.word_docs = collections.defaultdict(int, tables["word_docs"])
    tokenizer.index_docs = collections.defaultdict(
        int, {int(k): v for k, v in tables["index_docs"].items()})
    tokenizer.index_word = {int(k): v for k, v in tables["index_word"].items()}
    tokenizer.word_index = dict(tables["word_index"])
    return tokenizer
