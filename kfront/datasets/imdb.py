"""IMDB movie-review sentiment: 25,000 training and 25,000 test reviews as word indices."""
import numpy as np

from kfront.datasets.dataset_files import fetch, load_npz
from kfront.datasets.word_sequences import (
    as_object_array, cap_vocabulary, check_kwargs, drop_long, read_word_index, shift_indices,
)


def load_data(path="imdb.npz", num_words=None, skip_top=0, maxlen=None, seed=113,
              start_char=1, oov_char=2, index_from=3, **kwargs):
    """Loads the IMDB reviews, each a list of word indices (1 = most frequent word).

    Args:
        path: the file name in the cache.
        num_words: keep the ``num_words`` most frequent words; rarer ones become
            ``oov_char``. None keeps all.
        skip_top: the most frequent words to treat as out of vocabulary.
        maxlen: drop reviews of ``maxlen`` words or more.
        seed: shuffles the train and test sets.
        start_char: the index that marks the start of every review (None: no marker).
        oov_char: the index of dropped words (None: dropped words are removed).
        index_from: added to every word index (indices below it are reserved).

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: object arrays of lists of ints, and int
        labels (0 negative, 1 positive).
    """
    check_kwargs(kwargs)
    f = load_npz(fetch(path, "imdb.npz"))
    x_train, labels_train = f["x_train"], f["y_train"]
    x_test, labels_test = f["x_test"], f["y_test"]
    rng = np.random.RandomState(seed)
    order = np.arange(len(x_train))
    rng.shuffle(order)
    x_train, labels_train = x_train[order], labels_train[order]
    order = np.arange(len(x_test))
    rng.shuffle(order)
    x_test, labels_test = x_test[order], labels_test[order]
    x_train = shift_indices(x_train, start_char, index_from)
    x_test = shift_indices(x_test, start_char, index_from)
    if maxlen:
        x_train, labels_train = drop_long(maxlen, x_train, labels_train)
        x_test, labels_test = drop_long(maxlen, x_test, labels_test)
        if not x_train or not x_test:
            raise ValueError(f"After filtering for sequences shorter than maxlen={maxlen}, no "
                             "sequence was kept. Increase maxlen.")
    xs = cap_vocabulary(x_train + x_test, num_words, skip_top, oov_char)
    cut = len(x_train)
    labels = np.concatenate([labels_train, labels_test])
    return (as_object_array(xs[:cut]), labels[:cut]), (as_object_array(xs[cut:]), labels[cut:])


def get_word_index(path="imdb_word_index.json"):
    """The ``{word: index}`` dictionary of the IMDB reviews (before ``index_from``)."""
    return read_word_index(fetch(path, "imdb_word_index.json"))
