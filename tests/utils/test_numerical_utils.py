"""to_categorical and normalize against NumPy."""
import numpy as np
import pytest

from kfront.utils.numerical_utils import normalize, to_categorical


def test_to_categorical():
    out = to_categorical([0, 2, 1])
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out, np.eye(3, dtype="float32")[[0, 2, 1]])
    col = to_categorical(np.array([[1], [3]]), num_classes=5)
    assert col.shape == (2, 5) and col[1, 3] == 1 and col.sum() == 2
    grid = to_categorical(np.array([[0, 1], [1, 0]]), num_classes=2)
    assert grid.shape == (2, 2, 2)
    np.testing.assert_array_equal(grid.argmax(-1), [[0, 1], [1, 0]])
    np.testing.assert_array_equal(to_categorical(np.array([1.0, 0.0])), [[0, 1], [1, 0]])


def test_to_categorical_errors():
    with pytest.raises(ValueError, match=r"labels must lie in \[0, 3\); got values from 0 to 3"):
        to_categorical([0, 3], num_classes=3)
    with pytest.raises(ValueError, match="integer class labels"):
        to_categorical([0.5, 1.0])


def test_normalize():
    x = np.random.default_rng(0).normal(size=(4, 3))
    x[1] = 0
    out = normalize(x)
    norms = np.linalg.norm(out, axis=-1)
    np.testing.assert_allclose(norms[[0, 2, 3]], 1.0, rtol=1e-6)
    assert np.all(out[1] == 0)
    np.testing.assert_allclose(normalize(x, axis=0, order=1),
                               x / np.abs(x).sum(0, keepdims=True), rtol=1e-6)


def test_normalize_engine_tensor_stays_a_tensor():
    from kfront import ops
    x = ops.convert_to_tensor(np.array([[3.0, 4.0], [0.0, 0.0]], "float32"))
    out = normalize(x)
    assert ops.is_tensor(out)
    np.testing.assert_allclose(ops.convert_to_numpy(out), [[0.6, 0.8], [0.0, 0.0]], rtol=1e-6)
