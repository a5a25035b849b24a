"""``kfront.utils.np_utils``: Keras 2's NumPy helpers."""
import numpy as np

from kfront.utils import np_utils


def test_to_categorical_and_normalize():
    y = np_utils.to_categorical([0, 2, 1], num_classes=4)
    np.testing.assert_array_equal(y, np.eye(4, dtype="float32")[[0, 2, 1]])
    assert y.dtype == np.float32
    np.testing.assert_array_equal(np_utils.to_categorical(np.array([[1], [0]])),
                                  [[0.0, 1.0], [1.0, 0.0]])
    x = np.array([[3.0, 4.0]])
    np.testing.assert_allclose(np_utils.normalize(x), [[0.6, 0.8]])
