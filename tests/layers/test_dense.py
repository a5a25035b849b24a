"""Dense: activation(x @ W + b) against NumPy, shape arguments, initializers, regularizers."""
import numpy as np
import pytest

import kfront as keras
from kfront import layers, regularizers


RNG = np.random.default_rng(0)


def to_np(x):
    return np.asarray(keras.ops.convert_to_numpy(x))


def data(*shape):
    return RNG.normal(size=shape).astype("float32")


def test_dense_matches_numpy_with_relu():
    x, w, b = data(4, 3), data(3, 5), data(5)
    layer = layers.Dense(5, activation="relu")
    layer.build((None, 3))
    layer.set_weights([w, b])
    np.testing.assert_allclose(to_np(layer(x)), np.maximum(x @ w + b, 0), rtol=1e-5, atol=1e-6)


def test_dense_without_bias_on_rank3():
    x, w = data(2, 4, 3), data(3, 2)
    layer = layers.Dense(2, use_bias=False)
    out = layer(x)
    assert len(layer.weights) == 1
    layer.set_weights([w])
    np.testing.assert_allclose(to_np(layer(x)), x @ w, rtol=1e-5, atol=1e-6)
    assert tuple(out.shape) == (2, 4, 2)


def test_dense_weight_shapes_and_names():
    layer = layers.Dense(4)
    layer(data(2, 3))
    assert [tuple(v.shape) for v in layer.weights] == [(3, 4), (4,)]
    assert [v.name for v in layer.weights] == ["kernel", "bias"]
    np.testing.assert_array_equal(to_np(layer.bias), np.zeros(4))
    assert layer.count_params() == 16


def test_dense_symbolic_output_shape():
    x = keras.Input(shape=(6,))
    assert layers.Dense(3)(x).shape == (None, 3)


@pytest.mark.parametrize("kwargs", [{"input_dim": 3}, {"input_shape": (3,)}])
def test_dense_input_dim_and_input_shape(kwargs):
    model = keras.Sequential([layers.Dense(2, **kwargs)])
    assert model.built
    assert model.input_shape == (None, 3)
    assert model.output_shape == (None, 2)
    assert model.count_params() == 8


@pytest.mark.parametrize("name,value", [("ones", 1.0), ("zeros", 0.0)])
def test_dense_kernel_initializer_by_name(name, value):
    layer = layers.Dense(3, kernel_initializer=name, bias_initializer="ones")
    layer.build((None, 2))
    np.testing.assert_array_equal(to_np(layer.kernel), np.full((2, 3), value))
    np.testing.assert_array_equal(to_np(layer.bias), np.ones(3))


def test_dense_glorot_uniform_range():
    layer = layers.Dense(50)
    layer.build((None, 30))
    k = to_np(layer.kernel)
    limit = np.sqrt(6 / (30 + 50))
    assert np.abs(k).max() <= limit
    assert k.std() > limit / 3


def test_dense_unknown_initializer_errors():
    with pytest.raises(ValueError, match="not_an_init"):
        layers.Dense(2, kernel_initializer="not_an_init")


def test_dense_regularizer_adds_to_model_losses():
    model = keras.Sequential([layers.Dense(3, input_shape=(2,),
                                           kernel_regularizer=regularizers.L2(0.1),
                                           bias_regularizer="l1")])
    w = data(2, 3)
    b = data(3)
    model.layers[0].set_weights([w, b])
    losses = [float(to_np(v)) for v in model.losses]
    assert len(losses) == 2
    np.testing.assert_allclose(losses[0], 0.1 * (w ** 2).sum(), rtol=1e-5)
    np.testing.assert_allclose(losses[1], 0.01 * np.abs(b).sum(), rtol=1e-5)


def test_dense_wrong_last_dim_names_layer_and_shapes():
    layer = layers.Dense(2, name="head")
    layer(data(4, 3))
    with pytest.raises(ValueError, match=r'layer "head".*axis -1.*value 3.*\(4, 5\)'):
        layer(data(4, 5))


def test_dense_wrong_last_dim_symbolic():
    layer = layers.Dense(2, name="proj")
    layer(keras.Input(shape=(3,)))
    with pytest.raises(ValueError, match=r'layer "proj".*\(None, 7\)'):
        layer(keras.Input(shape=(7,)))


def test_dense_rank1_input_errors():
    with pytest.raises(ValueError, match=r'layer "d1".*min_ndim=2.*\(3,\)'):
        layers.Dense(2, name="d1")(data(3))


@pytest.mark.parametrize("units", [0, -1, 2.5, None])
def test_dense_units_validation(units):
    with pytest.raises(ValueError, match="units"):
        layers.Dense(units)


def test_dense_unknown_kwarg_errors():
    with pytest.raises(TypeError, match="unrecognized keyword.*'unitz'"):
        layers.Dense(2, unitz=3)


def test_dense_weights_kwarg_sets_initial_values():
    w, b = data(2, 3), data(3)
    layer = layers.Dense(3, weights=[w, b])
    x = data(5, 2)
    np.testing.assert_allclose(to_np(layer(x)), x @ w + b, rtol=1e-5, atol=1e-6)
