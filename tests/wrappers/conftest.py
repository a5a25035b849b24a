"""Small data sets for the scikit-learn wrapper tests."""
import numpy as np
import pytest

pytest.importorskip("sklearn")


@pytest.fixture(scope="module")
def blobs():
    from sklearn.datasets import make_blobs
    X, y = make_blobs(n_samples=150, n_features=4, centers=3, cluster_std=0.8, random_state=0)
    return X.astype("float32"), y


@pytest.fixture(scope="module")
def linear():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(160, 3)).astype("float32")
    y = X @ np.array([1.5, -2.0, 0.5], dtype="float32") + 0.3
    return X, y
