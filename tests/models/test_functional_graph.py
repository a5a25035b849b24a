"""Functional graph structure: connectivity errors, layer order, nesting and shared layers."""
import numpy as np
import pytest

import kfront as keras
from kfront import layers

X = np.random.default_rng(0).normal(size=(4, 3)).astype("float32")


def to_np(x):
    return np.asarray(keras.ops.convert_to_numpy(x))


def dense_np(layer, x, relu=False):
    w, b = layer.get_weights()
    y = x @ w + b
    return np.maximum(y, 0) if relu else y


def test_graph_disconnected_errors():
    a = keras.Input(shape=(3,), name="left")
    b = keras.Input(shape=(3,), name="right")
    y = layers.Add(name="sum")([a, b])
    with pytest.raises(ValueError, match=r'Graph disconnected: .* at layer "sum".*do not include '
                                         r'input "right"'):
        keras.Model(a, y)


def test_output_from_foreign_input_errors():
    a = keras.Input(shape=(3,))
    b = keras.Input(shape=(3,))
    with pytest.raises(ValueError, match="Graph disconnected: output .* not among the model "
                                         "inputs"):
        keras.Model(a, [layers.Dense(1)(a), b])


def test_layers_in_topological_order():
    x = keras.Input(shape=(3,), name="x")
    h1 = layers.Dense(4, name="h1")(x)
    h2 = layers.Dense(4, name="h2")(h1)
    skip = layers.Add(name="skip")([h1, h2])
    out = layers.Dense(1, name="out")(skip)
    model = keras.Model(x, out)
    assert [layer.name for layer in model.layers] == ["x", "h1", "h2", "skip", "out"]
    assert isinstance(model.layers[0], layers.InputLayer)
    assert model.get_layer(index=1).name == "h1"


def test_intermediate_outputs_model_shares_weights():
    x = keras.Input(shape=(3,))
    d1, d2 = layers.Dense(4, activation="relu"), layers.Dense(2)
    h = d1(x)
    full = keras.Model(x, d2(h))
    features = keras.Model(x, h)
    np.testing.assert_allclose(features.predict(X, verbose=0), dense_np(d1, X, relu=True),
                               rtol=1e-5, atol=1e-6)
    d1.set_weights([np.ones((3, 4), "float32"), np.zeros(4, "float32")])
    want = dense_np(d2, np.maximum(X.sum(-1, keepdims=True).repeat(4, 1), 0))
    np.testing.assert_allclose(full.predict(X, verbose=0), want, rtol=1e-5, atol=1e-6)


def test_functional_nested_in_functional():
    i = keras.Input(shape=(3,))
    inner_dense = layers.Dense(5, activation="relu", name="inner_dense")
    inner = keras.Model(i, inner_dense(i), name="inner")
    x = keras.Input(shape=(3,), name="outer_in")
    h = inner(x)
    assert h.shape == (None, 5)
    head = layers.Dense(2, name="head")
    model = keras.Model(x, head(h), name="outer")
    assert [layer.name for layer in model.layers] == ["outer_in", "inner", "head"]
    assert len(model.weights) == 4
    assert model.count_params() == (3 * 5 + 5) + (5 * 2 + 2)
    want = dense_np(head, dense_np(inner_dense, X, relu=True))
    np.testing.assert_allclose(model.predict(X, verbose=0), want, rtol=1e-5, atol=1e-6)


def test_sequential_nested_in_functional():
    seq = keras.Sequential([layers.Dense(4, activation="relu"), layers.Dense(2)], name="seq")
    x = keras.Input(shape=(3,))
    model = keras.Model(x, layers.Activation("tanh")(seq(x)))
    want = np.tanh(dense_np(seq.layers[1], dense_np(seq.layers[0], X, relu=True)))
    np.testing.assert_allclose(model.predict(X, verbose=0), want, rtol=1e-5, atol=1e-6)


def test_frozen_nested_model():
    i = keras.Input(shape=(3,))
    inner = keras.Model(i, layers.Dense(4)(i))
    x = keras.Input(shape=(3,))
    model = keras.Model(x, layers.Dense(1)(inner(x)))
    inner.trainable = False
    assert [tuple(w.shape) for w in model.trainable_weights] == [(4, 1), (1,)]
    assert [tuple(w.shape) for w in model.non_trainable_weights] == [(3, 4), (4,)]


def test_shared_layer_called_twice():
    shared = layers.Dense(2, name="shared")
    a, b = keras.Input(shape=(3,)), keras.Input(shape=(3,))
    out = layers.Subtract()([shared(a), shared(b)])
    model = keras.Model([a, b], out)
    assert [layer.name for layer in model.layers].count("shared") == 1
    assert len(model.weights) == 2
    assert len(shared._inbound_nodes) == 2
    w, _ = shared.get_weights()
    np.testing.assert_allclose(model.predict([X, 2 * X], verbose=0), (X - 2 * X) @ w,
                               rtol=1e-5, atol=1e-5)


def test_same_model_called_twice_as_layer():
    i = keras.Input(shape=(3,))
    enc = layers.Dense(2)
    encoder = keras.Model(i, enc(i))
    a, b = keras.Input(shape=(3,)), keras.Input(shape=(3,))
    model = keras.Model([a, b], layers.Concatenate()([encoder(a), encoder(b)]))
    assert len(model.weights) == 2
    out = model.predict([X, X[::-1]], verbose=0)
    np.testing.assert_allclose(out, np.concatenate([dense_np(enc, X), dense_np(enc, X[::-1])],
                                                   -1), rtol=1e-5, atol=1e-6)


def test_model_called_on_eager_tensor():
    x = keras.Input(shape=(3,))
    d = layers.Dense(2)
    model = keras.Model(x, d(x))
    tensor = keras.ops.convert_to_tensor(X)
    np.testing.assert_allclose(to_np(model(tensor)), dense_np(d, X), rtol=1e-5, atol=1e-6)


def test_duplicate_layer_names_error():
    x = keras.Input(shape=(3,))
    y = layers.Dense(2, name="twin")(layers.Dense(3, name="twin")(x))
    with pytest.raises(ValueError, match='The name "twin" is used 2 times in the model'):
        keras.Model(x, y)


def test_training_flag_reaches_dropout_in_nested_graph():
    i = keras.Input(shape=(3,))
    inner = keras.Model(i, layers.Dropout(0.5, seed=2)(i))
    x = keras.Input(shape=(3,))
    model = keras.Model(x, inner(x) * 1.0)
    ones = np.ones((64, 3), "float32")
    np.testing.assert_array_equal(to_np(model(ones)), ones)
    np.testing.assert_array_equal(model.predict(ones, verbose=0), ones)
    trained = to_np(model(ones, training=True))
    np.testing.assert_allclose(np.unique(trained), [0.0, 2.0])
