"""Adaptive pooling layers: numbers against NumPy and the installed Keras, shapes, configs,
saving, errors."""
import warnings

import numpy as np
import pytest

import kfront as keras
from kfront import layers, ops

rng = np.random.default_rng(8)


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def np_adaptive(x, output_size, mode, channels_first=False):
    """Window i of a length-L axis is [floor(i L / out), ceil((i + 1) L / out))."""
    x = np.asarray(x, np.float64)
    if channels_first:
        x = np.moveaxis(x, 1, -1)
    spatial = x.shape[1:-1]
    out = np.empty((x.shape[0],) + tuple(output_size) + (x.shape[-1],))
    reduce = np.mean if mode == "average" else np.max
    for pos in np.ndindex(*output_size):
        window = tuple(slice((p * n) // o, -((-(p + 1) * n) // o))
                       for p, n, o in zip(pos, spatial, output_size))
        out[(slice(None),) + pos] = reduce(x[(slice(None),) + window],
                                           axis=tuple(range(1, len(spatial) + 1)))
    return np.moveaxis(out, -1, 1) if channels_first else out


X1 = rng.uniform(-1, 1, (2, 11, 3)).astype("float32")
X2 = rng.uniform(-1, 1, (2, 9, 7, 3)).astype("float32")
X3 = rng.uniform(-1, 1, (1, 5, 6, 7, 2)).astype("float32")

CASES = {
    "avg1d": (layers.AdaptiveAveragePooling1D, 4, X1, "average", False),
    "max1d": (layers.AdaptiveMaxPooling1D, (4,), X1, "max", False),
    "avg2d": (layers.AdaptiveAveragePooling2D, (4, 3), X2, "average", False),
    "max2d_int": (layers.AdaptiveMaxPooling2D, 3, X2, "max", False),
    "avg2d_channels_first": (layers.AdaptiveAveragePooling2D, (2, 5),
                             np.moveaxis(X2, -1, 1), "average", True),
    "max3d": (layers.AdaptiveMaxPooling3D, (2, 4, 3), X3, "max", False),
    "avg3d_channels_first": (layers.AdaptiveAveragePooling3D, 2, np.moveaxis(X3, -1, 1),
                             "average", True),
    "max3d_upsample": (layers.AdaptiveMaxPooling3D, (7, 6, 8), X3, "max", False),
}


def _make(case_id):
    cls, size, x, mode, first = CASES[case_id]
    layer = cls(size, data_format="channels_first" if first else "channels_last")
    dims = len(x.shape) - 2
    size = (size,) * dims if isinstance(size, int) else size
    return layer, x, np_adaptive(x, size, mode, first)


@pytest.mark.parametrize("case_id", list(CASES))
def test_layer_matches_numpy(case_id):
    layer, x, want = _make(case_id)
    got = _np(layer(x))
    assert got.shape == want.shape
    np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("case_id", ["avg2d", "max3d", "avg2d_channels_first"])
def test_layer_matches_keras(case_id):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import keras as reference
    layer, x, _ = _make(case_id)
    ref = getattr(reference.layers, type(layer).__name__)(layer.output_size,
                                                          data_format=layer.data_format)
    np.testing.assert_allclose(_np(layer(x)), np.asarray(ref(x)), rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("case_id", list(CASES))
def test_symbolic_shape_matches_eager(case_id):
    layer, x, want = _make(case_id)
    assert layer(keras.Input(x.shape[1:])).shape == (None,) + want.shape[1:]


def test_config_round_trip_and_keras_keys():
    layer = layers.AdaptiveMaxPooling2D(5, data_format="channels_first", name="amp")
    config = layer.get_config()
    assert config["output_size"] == (5, 5) and config["data_format"] == "channels_first"
    assert config["name"] == "amp"
    clone = layers.AdaptiveMaxPooling2D.from_config(config)
    assert clone.get_config() == config
    assert layers.AdaptiveAveragePooling1D(3).get_config()["data_format"] == "channels_last"


def test_model_with_adaptive_pooling_saves_and_loads(tmp_path):
    inputs = keras.Input((9, 7, 3))
    x = layers.Conv2D(4, 3, padding="same")(inputs)
    x = layers.AdaptiveAveragePooling2D((3, 2))(x)
    x = layers.AdaptiveMaxPooling2D(1)(x)
    outputs = layers.Dense(2)(layers.Flatten()(x))
    model = keras.Model(inputs, outputs)
    path = tmp_path / "adaptive.keras"
    model.save(path)
    loaded = keras.models.load_model(path)
    assert [type(l).__name__ for l in loaded.layers][2:4] == ["AdaptiveAveragePooling2D",
                                                              "AdaptiveMaxPooling2D"]
    np.testing.assert_allclose(_np(loaded(X2)), _np(model(X2)), rtol=1e-6, atol=1e-6)


def test_gradient_reaches_only_the_window_maxima():
    x = keras.Variable(X1)
    _, grads = keras.backend.value_and_grad(
        lambda: ops.sum(layers.AdaptiveMaxPooling1D(4)(x.value)), [x])
    grad = _np(grads[0])
    assert grad.sum() == pytest.approx(2 * 4 * 3)  # one per output element
    assert set(np.unique(grad)) <= {0.0, 1.0, 2.0}  # overlapping windows may share a max


@pytest.mark.parametrize("make, message", [
    (lambda: layers.AdaptiveAveragePooling2D((2, 2, 2)), r"output_size"),
    (lambda: layers.AdaptiveMaxPooling1D(0), r"output_size.*positive"),
    (lambda: layers.AdaptiveMaxPooling3D(2, data_format="NDHWC"), r"data_format=.NDHWC"),
    (lambda: layers.AdaptiveAveragePooling1D("4"), r"output_size"),
])
def test_bad_arguments(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_wrong_rank_names_the_layer():
    with pytest.raises(ValueError, match=r'"ap".*expected ndim=4, found ndim=3'):
        layers.AdaptiveAveragePooling2D(2, name="ap")(X1)
    with pytest.raises(ValueError, match=r'"ap3".*known spatial dims'):
        layers.AdaptiveMaxPooling3D(2, name="ap3")(keras.Input((None, 4, 4, 1)))
