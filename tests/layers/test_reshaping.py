"""Flatten and Reshape: NumPy reshapes, symbolic shapes, -1 inference and mismatch errors."""
import numpy as np
import pytest

import kfront as keras
from kfront import layers

X = np.arange(2 * 3 * 4, dtype="float32").reshape(2, 3, 4)


def to_np(x):
    return np.asarray(keras.ops.convert_to_numpy(x))


def test_flatten_matches_numpy():
    np.testing.assert_array_equal(to_np(layers.Flatten()(X)), X.reshape(2, 12))


def test_flatten_channels_first_moves_channels_last():
    out = to_np(layers.Flatten(data_format="channels_first")(X))
    np.testing.assert_array_equal(out, X.transpose(0, 2, 1).reshape(2, 12))


def test_flatten_rank2_is_identity_and_rank1_becomes_column():
    np.testing.assert_array_equal(to_np(layers.Flatten()(X[0])), X[0])
    np.testing.assert_array_equal(to_np(layers.Flatten()(X[0, 0])), X[0, 0].reshape(4, 1))


def test_flatten_symbolic_shape():
    assert layers.Flatten()(keras.Input(shape=(3, 4))).shape == (None, 12)
    assert layers.Flatten()(keras.Input(shape=(None, 4))).shape == (None, None)


def test_flatten_bad_data_format():
    with pytest.raises(ValueError, match="unknown data_format 'nchw'"):
        layers.Flatten(data_format="nchw")


@pytest.mark.parametrize("target", [(12,), (4, 3), (-1, 2), (2, -1, 3)])
def test_reshape_matches_numpy(target):
    np.testing.assert_array_equal(to_np(layers.Reshape(target)(X)), X.reshape((2,) + target))


def test_reshape_symbolic_resolves_minus_one():
    x = keras.Input(shape=(3, 4))
    assert layers.Reshape((-1, 2))(x).shape == (None, 6, 2)
    assert layers.Reshape((2, 6))(x).shape == (None, 2, 6)


def test_reshape_in_model():
    x = keras.Input(shape=(3, 4))
    model = keras.Model(x, layers.Reshape((6, -1))(x))
    np.testing.assert_array_equal(model.predict(X, verbose=0), X.reshape(2, 6, 2))


def test_reshape_two_minus_ones_errors():
    with pytest.raises(ValueError, match="at most one -1"):
        layers.Reshape((-1, -1))


@pytest.mark.parametrize("target", [(5,), (5, -1)])
def test_reshape_mismatch_errors_symbolic(target):
    with pytest.raises(ValueError, match=r'Reshape layer "rs".*\(None, 3, 4\).*target_shape'):
        layers.Reshape(target, name="rs")(keras.Input(shape=(3, 4)))


def test_reshape_mismatch_errors_eager():
    with pytest.raises(ValueError, match=r'Reshape layer "rs2".*\(2, 3, 4\)'):
        layers.Reshape((7,), name="rs2")(X)
