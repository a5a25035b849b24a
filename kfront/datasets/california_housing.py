"""California housing prices: 20,640 districts with 8 features, median house value."""
import numpy as np

from kfront.datasets.dataset_files import fetch, shuffle_split


def load_data(version="large", path="california_housing.npz", test_split=0.2, seed=113):
    """Loads the California housing data, shuffled with ``seed`` and split.

    Args:
        version: "large" (all 20,640 samples) or "small" (the first 600).

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: float arrays (n, 8) and (n,).
    """
    if not 0 <= test_split < 1:
        raise ValueError(f"Invalid `test_split` argument: {test_split}. It must be between 0 "
                         "and 1 (exclusive of 1).")
    if version not in ("small", "large"):
        raise ValueError(f"Argument `version` must be one of 'small', 'large'. Received: "
                         f"version={version}")
    with np.load(fetch(path, "california_housing.npz"), allow_pickle=False) as f:
        x, y = f["x"], f["y"]
    if version == "small":
        x, y = x[:600], y[:600]
    return shuffle_split(x, y, test_split, seed)
