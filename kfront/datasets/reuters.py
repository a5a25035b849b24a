"""Reuters newswire topics: 11,228 newswires as word indices, labelled with 46 topics."""
import numpy as np

from kfront.datasets.dataset_files import fetch, load_npz
from kfront.datasets.word_sequences import (
    as_object_array, cap_vocabulary, drop_long, read_word_index, shift_indices,
)

_LABELS = (
    "cocoa", "grain", "veg-oil", "earn", "acq", "wheat", "copper", "housing", "money-supply",
    "coffee", "sugar", "trade", "reserves", "ship", "cotton", "carcass", "crude", "nat-gas",
    "cpi", "money-fx", "interest", "gnp", "meal-feed", "alum", "oilseed", "gold", "tin",
    "strategic-metal", "livestock", "retail", "ipi", "iron-steel", "rubber", "heat", "jobs",
    "lei", "bop", "zinc", "orange", "pet-chem", "dlr", "gas", "silver", "wpi", "hog", "lead",
)


def load_data(path="reuters.npz", num_words=None, skip_top=0, maxlen=None, test_split=0.2,
              seed=113, start_char=1, oov_char=2, index_from=3):
    """Loads the Reuters newswires, shuffled with ``seed`` and split by ``test_split``.

    Arguments as for ``imdb.load_data``, plus ``test_split`` (the test fraction).

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: object arrays of lists of ints, and int
        topic labels 0..45 (names from ``get_label_names()``).
    """
    if not 0 <= test_split < 1:
        raise ValueError(f"Invalid `test_split` argument: {test_split}. It must be between 0 "
                         "and 1 (exclusive of 1).")
    f = load_npz(fetch(path, "reuters.npz"))
    xs, labels = f["x"], f["y"]
    order = np.arange(len(xs))
    np.random.RandomState(seed).shuffle(order)
    xs, labels = xs[order], labels[order]
    xs = shift_indices(xs, start_char, index_from)
    if maxlen:
        xs, labels = drop_long(maxlen, xs, labels)
    xs = cap_vocabulary(xs, num_words, skip_top, oov_char)
    cut = int(len(xs) * (1 - test_split))
    return ((as_object_array(xs[:cut]), np.array(labels[:cut])),
            (as_object_array(xs[cut:]), np.array(labels[cut:])))


def get_word_index(path="reuters_word_index.json"):
    """The ``{word: index}`` dictionary of the newswires (before ``index_from``)."""
    return read_word_index(fetch(path, "reuters_word_index.json"))


def get_label_names():
    """The 46 topic names, by label index."""
    return _LABELS
