"""The UCI handwritten digits (8x8 images), shipped with kfront for offline use."""
import gzip
import os

import numpy as np

_PATH = os.path.join(os.path.dirname(__file__), "data", "digits.csv.gz")


def load_data(test_split=0.2, seed=113):
    """Loads the 1797 UCI digit images, shuffled with ``seed`` and split.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: ``x`` uint8 of shape (n, 8, 8) with
        values 0..16, ``y`` uint8 labels 0..9.

    >>> (x_train, y_train), (x_test, y_test) = kfront.datasets.digits.load_data()
    """
    if not 0.0 <= test_split < 1.0:
        raise ValueError(f"`test_split` must be in [0, 1), received {test_split}.")
    with gzip.open(_PATH, "rt") as f:
        table = np.loadtxt(f, delimiter=",", dtype=np.uint8)
    x = table[:, :64].reshape(-1, 8, 8)
    y = table[:, 64]
    order = np.random.RandomState(seed).permutation(len(x))
    x, y = x[order], y[order]
    cut = int(len(x) * (1.0 - test_split))
    return (x[:cut], y[:cut]), (x[cut:], y[cut:])
