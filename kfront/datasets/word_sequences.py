"""The index arithmetic shared by ``imdb`` and ``reuters``: start/OOV markers, the index
offset, dropping long sequences and capping the vocabulary."""
import json

import numpy as np


def shift_indices(sequences, start_char, index_from):
    """Prepends ``start_char`` (unless None) and adds ``index_from`` to every word index."""
    head = [] if start_char is None else [start_char]
    return [head + [int(w) + (index_from or 0) for w in seq] for seq in sequences]


def drop_long(maxlen, sequences, labels):
    """Keeps the sequences shorter than ``maxlen`` (and their labels)."""
    keep = [i for i, seq in enumerate(sequences) if len(seq) < maxlen]
    return [sequences[i] for i in keep], labels[keep]


def cap_vocabulary(sequences, num_words, skip_top, oov_char):
    """Indices outside ``[skip_top, num_words)`` become ``oov_char`` (or are dropped when it
    is None); ``num_words=None`` keeps the whole vocabulary."""
    if not num_words:
        num_words = max((max(seq) for seq in sequences if seq), default=0)
    if oov_char is not None:
        return [[w if skip_top <= w < num_words else oov_char for w in seq]
                for seq in sequences]
    return [[w for w in seq if skip_top <= w < num_words] for seq in sequences]


def as_object_array(sequences):
    """A 1-D object array of Python lists, one per sample, as Keras returns them."""
    out = np.empty(len(sequences), dtype="object")
    for i, seq in enumerate(sequences):
        out[i] = seq
    return out


def check_kwargs(kwargs):
    if "nb_words" in kwargs:
        raise ValueError("The `nb_words` argument was renamed `num_words`.")
    if kwargs:
        raise TypeError(f"Unrecognized keyword arguments: {sorted(kwargs)}.")


def read_word_index(path):
    with open(path, encoding="utf8") as f:
        return json.load(f)
