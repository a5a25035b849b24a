"""Boston housing prices (13 features per district, targets in k$).

The dataset has an ethical problem (its "B" feature encodes a racial assumption); prefer
``california_housing`` except to illustrate that problem.
"""
import numpy as np

from kfront.datasets.dataset_files import fetch, shuffle_split


def load_data(path="boston_housing.npz", test_split=0.2, seed=113):
    """Loads the Boston housing data, shuffled with ``seed`` and split.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: float arrays (n, 13) and (n,).
    """
    if not 0 <= test_split < 1:
        raise ValueError(f"Invalid `test_split` argument: {test_split}. It must be between 0 "
                         "and 1 (exclusive of 1).")
    with np.load(fetch(path, "boston_housing.npz"), allow_pickle=False) as f:
        x, y = f["x"], f["y"]
    return shuffle_split(x, y, test_split, seed)
