"""Pooling layers: numbers against NumPy, shapes, configs, errors, training."""
import os
import sys

import numpy as np
import pytest

import kfront as keras
from kfront import layers, ops

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                                "convolutional"))
from conv_pool_reference import np_pool  # noqa: E402

rng = np.random.default_rng(5)


def _u(*shape):
    return rng.uniform(-1, 1, shape).astype("float32")


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def _first(a):
    return np.moveaxis(a, -1, 1)


def _last(a):
    return np.moveaxis(a, 1, -1)


X1 = _u(2, 9, 3)
X2 = _u(2, 7, 6, 3)
X3 = _u(1, 4, 5, 5, 2)

NUMPY_CASES = {
    "max1d": (lambda: layers.MaxPooling1D(), X1, lambda x: np_pool(x, 2)),
    "max1d_same_strided": (lambda: layers.MaxPooling1D(3, strides=2, padding="same"), X1,
                           lambda x: np_pool(x, 3, 2, "same")),
    "max2d": (lambda: layers.MaxPooling2D((3, 2)), X2, lambda x: np_pool(x, (3, 2))),
    "max2d_same_channels_first": (
        lambda: layers.MaxPooling2D(2, padding="same", data_format="channels_first"),
        _first(X2), lambda x: _first(np_pool(_last(x), 2, None, "same"))),
    "max3d": (lambda: layers.MaxPooling3D(strides=1), X3, lambda x: np_pool(x, 2, 1)),
    "avg1d": (lambda: layers.AveragePooling1D(3), X1, lambda x: np_pool(x, 3, kind="avg")),
    "avg1d_same": (lambda: layers.AveragePooling1D(2, padding="same"), X1,
                   lambda x: np_pool(x, 2, None, "same", "avg")),
    "avg2d_same_strided": (lambda: layers.AveragePooling2D(3, strides=2, padding="same"), X2,
                           lambda x: np_pool(x, 3, 2, "same", "avg")),
    "avg2d_channels_first": (
        lambda: layers.AveragePooling2D(2, strides=1, data_format="channels_first"),
        _first(X2), lambda x: _first(np_pool(_last(x), 2, 1, kind="avg"))),
    "avg3d_same": (lambda: layers.AveragePooling3D(padding="same"), X3,
                   lambda x: np_pool(x, 2, None, "same", "avg")),
    "gmax1d": (lambda: layers.GlobalMaxPooling1D(), X1, lambda x: x.max(1)),
    "gmax2d_keepdims": (lambda: layers.GlobalMaxPooling2D(keepdims=True), X2,
                        lambda x: x.max((1, 2), keepdims=True)),
    "gmax3d_channels_first": (lambda: layers.GlobalMaxPooling3D(data_format="channels_first"),
                              _first(X3), lambda x: x.max((2, 3, 4))),
    "gavg1d_channels_first": (
        lambda: layers.GlobalAveragePooling1D(data_format="channels_first", keepdims=True),
        _first(X1), lambda x: x.mean(2, keepdims=True)),
    "gavg2d": (lambda: layers.GlobalAveragePooling2D(), X2, lambda x: x.mean((1, 2))),
    "gavg3d_keepdims": (lambda: layers.GlobalAveragePooling3D(keepdims=True), X3,
                        lambda x: x.mean((1, 2, 3), keepdims=True)),
}


@pytest.mark.parametrize("case_id", list(NUMPY_CASES))
def test_layer_matches_numpy(case_id):
    make, x, reference = NUMPY_CASES[case_id]
    got = _np(make()(x))
    want = reference(x.astype(np.float64))
    assert got.shape == want.shape
    np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("case_id", list(NUMPY_CASES))
def test_symbolic_shape_matches_eager(case_id):
    make, x, _ = NUMPY_CASES[case_id]
    layer = make()
    symbolic = layer(keras.Input(x.shape[1:]))
    assert symbolic.shape == (None,) + tuple(ops.shape(layer(x)))[1:]


def test_global_average_pooling1d_mask():
    mask = np.array([[1, 1, 1, 0, 0, 0, 0, 0, 0], [1] * 9], bool)
    got = _np(layers.GlobalAveragePooling1D()(X1, mask=mask))
    np.testing.assert_allclose(got, np.stack([X1[0, :3].mean(0), X1[1].mean(0)]), rtol=1e-6)


@pytest.mark.parametrize("layer", [
    layers.MaxPooling1D(3, strides=1, padding="same"), layers.MaxPooling2D((2, 3)),
    layers.MaxPooling3D(data_format="channels_first"), layers.AveragePooling1D(),
    layers.AveragePooling2D(strides=(1, 2)), layers.AveragePooling3D(padding="same"),
    layers.GlobalMaxPooling1D(keepdims=True), layers.GlobalMaxPooling2D(),
    layers.GlobalMaxPooling3D(), layers.GlobalAveragePooling1D(),
    layers.GlobalAveragePooling2D(data_format="channels_first"),
    layers.GlobalAveragePooling3D(keepdims=True),
], ids=lambda l: type(l).__name__)
def test_config_round_trip(layer):
    config = layer.get_config()
    assert type(layer).from_config(config).get_config() == config


def test_config_has_keras_keys_and_defaults():
    config = layers.MaxPooling2D().get_config()
    assert config["pool_size"] == (2, 2) and config["strides"] == (2, 2)
    assert config["padding"] == "valid" and config["data_format"] == "channels_last"
    assert layers.AveragePooling1D(3, strides=1).get_config()["strides"] == (1,)
    assert layers.GlobalAveragePooling2D().get_config()["keepdims"] is False


def test_keras2_aliases():
    assert layers.MaxPool1D is layers.MaxPooling1D and layers.MaxPool2D is layers.MaxPooling2D
    assert layers.MaxPool3D is layers.MaxPooling3D and layers.AvgPool2D is layers.AveragePooling2D
    assert layers.AvgPool1D is layers.AveragePooling1D
    assert layers.AvgPool3D is layers.AveragePooling3D
    assert layers.GlobalMaxPool2D is layers.GlobalMaxPooling2D
    assert layers.GlobalAvgPool1D is layers.GlobalAveragePooling1D
    assert layers.GlobalAvgPool3D is layers.GlobalAveragePooling3D


@pytest.mark.parametrize("make, message", [
    (lambda: layers.MaxPooling2D(padding="full"), "padding=.full"),
    (lambda: layers.AveragePooling1D(padding="causal"), "padding=.causal"),
    (lambda: layers.MaxPooling2D(data_format="NCHW"), "data_format=.NCHW"),
    (lambda: layers.GlobalMaxPooling2D(data_format="NCHW"), "data_format=.NCHW"),
    (lambda: layers.MaxPooling2D(pool_size=(2, 2, 2)), "pool_size"),
    (lambda: layers.AveragePooling2D(strides=0), "strides"),
])
def test_bad_arguments(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_wrong_rank_names_the_layer():
    with pytest.raises(ValueError, match=r'"pool".*expected ndim=4, found ndim=3'):
        layers.MaxPooling2D(name="pool")(X1)
    with pytest.raises(ValueError, match=r'"gap".*expected ndim=3, found ndim=4'):
        layers.GlobalAveragePooling1D(name="gap")(keras.Input((7, 6, 3)))


def test_pool_larger_than_input():
    with pytest.raises(ValueError, match=r'"wide".*larger than the \(padded\) input.*'
                                         r'\(2, 7, 6, 3\)'):
        layers.MaxPooling2D(8, name="wide")(X2)
    with pytest.raises(ValueError, match="larger than the"):
        layers.AveragePooling1D(10)(keras.Input((9, 3)))
    # 'same' padding keeps one window.
    assert tuple(ops.shape(layers.MaxPooling2D(8, padding="same")(X2))) == (2, 1, 1, 3)


def test_sequential_with_pooling_trains():
    x = _u(32, 8, 3)
    y = (x.max(axis=(1, 2)) > 0.9).astype("float32")[:, None]
    model = keras.Sequential([
        keras.Input((8, 3)), layers.Conv1D(8, 3, padding="same", activation="relu"),
        layers.MaxPooling1D(2), layers.AveragePooling1D(2, padding="same"),
        layers.GlobalMaxPooling1D(), layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer=keras.optimizers.Adam(0.03), loss="binary_crossentropy")
    history = model.fit(x, y, epochs=25, batch_size=32, verbose=0).history["loss"]
    assert history[-1] < 0.6 * history[0]
