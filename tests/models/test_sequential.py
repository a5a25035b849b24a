"""Sequential: construction, add/pop, deferred build, layer lookup and its errors."""
import numpy as np
import pytest

import kfront as keras
from kfront import layers

X = np.random.default_rng(0).normal(size=(5, 3)).astype("float32")


def to_np(x):
    return np.asarray(keras.ops.convert_to_numpy(x))


def numpy_forward(model, x):
    for layer in model.layers:
        w, b = layer.get_weights()
        x = x @ w + b
        if layer.get_config()["activation"] == "relu":
            x = np.maximum(x, 0)
    return x


def test_list_constructor_with_input_shape_builds():
    model = keras.Sequential([layers.Dense(4, activation="relu", input_shape=(3,)),
                              layers.Dense(2)])
    assert model.built
    assert model.input_shape == (None, 3) and model.output_shape == (None, 2)
    assert model.count_params() == (3 * 4 + 4) + (4 * 2 + 2)
    np.testing.assert_allclose(model.predict(X, verbose=0), numpy_forward(model, X), rtol=1e-5,
                               atol=1e-6)


def test_add_with_input_first():
    model = keras.Sequential()
    model.add(keras.Input(shape=(3,)))
    model.add(layers.Dense(4, activation="relu"))
    assert model.built and model.output_shape == (None, 4)
    model.add(layers.Dense(1))
    assert model.output_shape == (None, 1)
    assert len(model.layers) == 2
    np.testing.assert_allclose(to_np(model(X)), numpy_forward(model, X), rtol=1e-5, atol=1e-6)


def test_input_layer_in_list_is_not_in_layers():
    model = keras.Sequential([layers.InputLayer(shape=(3,)), layers.Dense(2, name="only")])
    assert [layer.name for layer in model.layers] == ["only"]


def test_deferred_build_on_first_call():
    model = keras.Sequential([layers.Dense(4), layers.Dense(2)])
    assert not model.built
    assert model.weights == []
    out = model(X)
    assert model.built
    assert tuple(out.shape) == (5, 2)
    assert [tuple(w.shape) for w in model.weights] == [(3, 4), (4,), (4, 2), (2,)]
    assert model.input_shape == (None, 3)


def test_explicit_build():
    model = keras.Sequential([layers.Dense(2)])
    model.build((None, 6))
    assert model.layers[0].kernel.shape == (6, 2)


def test_build_without_shape_errors():
    with pytest.raises(ValueError, match='Sequential model "seq_nb" cannot be built without an '
                                         "input shape"):
        keras.Sequential([layers.Dense(2)], name="seq_nb").build()


def test_predict_after_deferred_build():
    model = keras.Sequential([layers.Dense(3, activation="relu"), layers.Dense(2)])
    out = model.predict(X, verbose=0)
    np.testing.assert_allclose(out, numpy_forward(model, X), rtol=1e-5, atol=1e-6)


def test_pop_removes_last_layer_and_rebuilds():
    model = keras.Sequential([keras.Input(shape=(3,)), layers.Dense(4), layers.Dense(2)])
    popped = model.pop()
    assert isinstance(popped, layers.Dense) and popped.units == 2
    assert len(model.layers) == 1 and model.output_shape == (None, 4)
    assert len(model.weights) == 2
    assert tuple(model(X).shape) == (5, 4)


def test_pop_empty_errors():
    with pytest.raises(TypeError, match="There are no layers in the model"):
        keras.Sequential().pop()


def test_duplicate_name_errors():
    model = keras.Sequential([layers.Dense(2, name="same")])
    with pytest.raises(ValueError, match="unique names. Name 'same' is already"):
        model.add(layers.Dense(3, name="same"))


@pytest.mark.parametrize("bad", [3, "dense", np.ones(2)])
def test_add_non_layer_errors(bad):
    with pytest.raises(ValueError, match=r"Only instances of kfront.layers.Layer can be added.*"
                                         rf"of type {type(bad).__name__}"):
        keras.Sequential().add(bad)


def test_input_layer_after_layers_errors():
    model = keras.Sequential([layers.Dense(2)])
    with pytest.raises(ValueError, match="InputLayer can only be the first layer"):
        model.add(layers.InputLayer(shape=(3,)))


def test_call_empty_model_errors():
    with pytest.raises(ValueError, match='"empty" has no layers'):
        keras.Sequential(name="empty")(X)


def test_layers_and_get_layer():
    model = keras.Sequential([layers.Dense(4, name="a", input_shape=(3,)),
                              layers.Dense(2, name="b")])
    assert [layer.name for layer in model.layers] == ["a", "b"]
    assert model.get_layer("b") is model.layers[1]
    assert model.get_layer(index=0) is model.layers[0]
    assert model.get_layer(index=-1).name == "b"


def test_get_layer_errors():
    model = keras.Sequential([layers.Dense(4, name="a", input_shape=(3,))], name="m")
    with pytest.raises(ValueError, match=r"No such layer: 'zz'. Existing layers are: \['a'\]"):
        model.get_layer("zz")
    with pytest.raises(ValueError, match="get_layer\\(index=3\\): model 'm' has only 1 layers"):
        model.get_layer(index=3)
    with pytest.raises(ValueError, match="Provide only one of `name` and `index`"):
        model.get_layer("a", 0)
    with pytest.raises(ValueError, match="Provide either a layer `name` or `index`"):
        model.get_layer()


def test_wrong_input_shape_names_layer():
    model = keras.Sequential([layers.Dense(2, name="first", input_shape=(3,))])
    with pytest.raises(ValueError, match=r'layer "first".*expected axis -1.*value 3.*\(5, 4\)'):
        model.predict(np.ones((5, 4), "float32"), verbose=0)


def test_sequential_as_layer_in_sequential():
    inner = keras.Sequential([layers.Dense(4, activation="relu", input_shape=(3,))])
    outer = keras.Sequential([inner, layers.Dense(1)])
    assert outer.output_shape == (None, 1)
    assert len(outer.weights) == 4
    w1, b1 = inner.layers[0].get_weights()
    w2, b2 = outer.layers[1].get_weights()
    ref = np.maximum(X @ w1 + b1, 0) @ w2 + b2
    np.testing.assert_allclose(outer.predict(X, verbose=0), ref, rtol=1e-5, atol=1e-6)
