"""Permute, RepeatVector, Cropping, ZeroPadding and UpSampling against NumPy, both data
formats, symbolic shapes and argument errors."""
import numpy as np
import pytest

import kfront as keras
from kfront import layers, ops

X3 = np.arange(2 * 5 * 3, dtype="float32").reshape(2, 5, 3)
X4 = np.arange(2 * 4 * 5 * 3, dtype="float32").reshape(2, 4, 5, 3)
X5 = np.arange(2 * 4 * 3 * 4 * 2, dtype="float32").reshape(2, 4, 3, 4, 2)


def np_(x):
    return ops.convert_to_numpy(x)


def _check(layer, x, want):
    out = np_(layer(x))
    np.testing.assert_allclose(out, want, rtol=1e-6, atol=1e-6)
    assert layer.compute_output_shape(x.shape) == want.shape
    symbolic = layer(keras.Input(x.shape[1:]))
    assert tuple(symbolic.shape) == (None,) + want.shape[1:]
    config = layer.get_config()
    assert type(layer).from_config(config).get_config() == config


def test_permute_and_repeat_vector():
    _check(layers.Permute((2, 1)), X3, X3.transpose(0, 2, 1))
    _check(layers.Permute((3, 1, 2)), X4, X4.transpose(0, 3, 1, 2))
    _check(layers.RepeatVector(3), X3[:, 0], np.repeat(X3[:, None, 0], 3, axis=1))
    with pytest.raises(ValueError, match="Permute: invalid permutation"):
        layers.Permute((0, 1))
    with pytest.raises(TypeError, match="RepeatVector: expected an integer"):
        layers.RepeatVector(2.0)


def test_cropping():
    _check(layers.Cropping1D((1, 2)), X3, X3[:, 1:3])
    _check(layers.Cropping2D(((1, 0), (2, 1))), X4, X4[:, 1:, 2:4])
    _check(layers.Cropping2D(1, data_format="channels_first"), X4, X4[:, :, 1:4, 1:2])
    _check(layers.Cropping3D(((1, 1), (0, 1), (1, 2))), X5, X5[:, 1:3, :2, 1:2])
    with pytest.raises(ValueError, match="should be smaller than the corresponding spatial"):
        layers.Cropping1D((3, 2))(X3)
    with pytest.raises(ValueError, match="Cropping2D: `cropping` cannot be negative"):
        layers.Cropping2D(-1)


def test_zero_padding():
    _check(layers.ZeroPadding1D(2), X3, np.pad(X3, ((0, 0), (2, 2), (0, 0))))
    _check(layers.ZeroPadding2D(((1, 0), (0, 2))), X4,
           np.pad(X4, ((0, 0), (1, 0), (0, 2), (0, 0))))
    _check(layers.ZeroPadding2D((1, 2), data_format="channels_first"), X4,
           np.pad(X4, ((0, 0), (0, 0), (1, 1), (2, 2))))
    _check(layers.ZeroPadding3D(1), X5, np.pad(X5, ((0, 0), (1, 1), (1, 1), (1, 1), (0, 0))))
    with pytest.raises(ValueError, match="ZeroPadding2D: unknown data_format 'NHWC'"):
        layers.ZeroPadding2D(data_format="NHWC")


def test_up_sampling():
    _check(layers.UpSampling1D(3), X3, np.repeat(X3, 3, axis=1))
    _check(layers.UpSampling2D((2, 3)), X4, np.repeat(np.repeat(X4, 2, 1), 3, 2))
    _check(layers.UpSampling2D(2, data_format="channels_first"), X4,
           np.repeat(np.repeat(X4, 2, 2), 2, 3))
    _check(layers.UpSampling3D((1, 2, 2)), X5, np.repeat(np.repeat(X5, 2, 2), 2, 3))
    with pytest.raises(ValueError, match="UpSampling2D: `interpolation` must be"):
        layers.UpSampling2D(interpolation="area")


def test_bilinear_up_sampling_uses_half_pixel_centers():
    x = np.array([0.0, 1.0, 3.0], "float32").reshape(1, 3, 1, 1)
    out = np_(layers.UpSampling2D((2, 1), interpolation="bilinear")(x)).ravel()
    # Output pixel i samples the input at (i + 0.5) / 2 - 0.5, clamped to the border.
    np.testing.assert_allclose(out, [0.0, 0.25, 0.75, 1.5, 2.5, 3.0], rtol=1e-6)


def test_rank_errors_name_the_layer():
    with pytest.raises(ValueError, match='"up".*expected ndim=4, found ndim=3'):
        layers.UpSampling2D(name="up")(X3)
