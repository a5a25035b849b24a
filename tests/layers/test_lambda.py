"""Lambda: a Python function as a layer, with arguments= and inside Functional models."""
import numpy as np
import pytest

import kfront as keras
from kfront import layers, ops

X = np.random.default_rng(0).normal(size=(3, 4)).astype("float32")


def to_np(x):
    return np.asarray(keras.ops.convert_to_numpy(x))


def test_lambda_applies_function():
    np.testing.assert_allclose(to_np(layers.Lambda(lambda x: x * 2.0 + 1.0)(X)), X * 2 + 1,
                               rtol=1e-6)


def test_lambda_arguments_are_passed():
    def scale(x, factor, shift=0.0):
        return x * factor + shift

    layer = layers.Lambda(scale, arguments={"factor": 3.0, "shift": -1.0})
    np.testing.assert_allclose(to_np(layer(X)), X * 3 - 1, rtol=1e-6)
    assert layer.get_config()["arguments"] == {"factor": 3.0, "shift": -1.0}


def test_lambda_in_functional_model_infers_shape():
    x = keras.Input(shape=(4,))
    y = layers.Lambda(lambda t: ops.sum(t, axis=-1, keepdims=True))(x)
    assert y.shape == (None, 1)
    model = keras.Model(x, y)
    np.testing.assert_allclose(model.predict(X, verbose=0), X.sum(-1, keepdims=True),
                               rtol=1e-5)


def test_lambda_on_list_of_inputs():
    a, b = keras.Input(shape=(4,)), keras.Input(shape=(4,))
    out = layers.Lambda(lambda ts: ts[0] * ts[1])([a, b])
    model = keras.Model([a, b], out)
    np.testing.assert_allclose(model.predict([X, X + 1], verbose=0), X * (X + 1), rtol=1e-6)


def test_lambda_receives_training_flag():
    seen = []

    def fn(x, training=None):
        seen.append(training)
        return x

    layer = layers.Lambda(fn)
    layer(X, training=True)
    layer(X)
    assert seen == [True, None]


def test_lambda_needs_callable():
    with pytest.raises(ValueError, match="`function` must be callable"):
        layers.Lambda(3)
