"""Activation layer: every name in kfront.activations against a NumPy formula."""
import math

import numpy as np
import pytest

import kfront as keras
from kfront import layers
from kfront.activations.activations import ALL

X = np.array([[-4.0, -1.5, -0.2, 0.0], [0.3, 1.0, 2.5, 7.0]], dtype="float32")
_erf = np.vectorize(math.erf)


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def hard_sigmoid(x):
    return np.clip(x / 6 + 0.5, 0, 1)


def softmax(x):
    e = np.exp(x - x.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def elu(x, alpha=1.0):
    return np.where(x > 0, x, alpha * (np.exp(x) - 1))


def softplus(x):
    return np.log1p(np.exp(x))


SELU_A, SELU_S = 1.6732632423543772, 1.0507009873554805

REFERENCE = {
    "relu": lambda x: np.maximum(x, 0),
    "linear": lambda x: x,
    "softmax": softmax,
    "log_softmax": lambda x: np.log(softmax(x)),
    "elu": elu,
    "leaky_relu": lambda x: np.where(x > 0, x, 0.2 * x),
    "gelu": lambda x: 0.5 * x * (1 + _erf(x / np.sqrt(2))),
    "mish": lambda x: x * np.tanh(softplus(x)),
    "sigmoid": sigmoid,
    "tanh": np.tanh,
    "selu": lambda x: SELU_S * elu(x, SELU_A),
    "softplus": softplus,
    "softsign": lambda x: x / (1 + np.abs(x)),
    "silu": lambda x: x * sigmoid(x),
    "swish": lambda x: x * sigmoid(x),
    "exponential": np.exp,
    "hard_sigmoid": hard_sigmoid,
    "hard_silu": lambda x: x * hard_sigmoid(x),
    "hard_swish": lambda x: x * hard_sigmoid(x),
    "relu6": lambda x: np.clip(x, 0, 6),
    "log_sigmoid": lambda x: -softplus(-x),
    "celu": lambda x: np.maximum(x, 0) + np.expm1(np.minimum(x, 0)),
    "glu": lambda x: x[..., :2] * sigmoid(x[..., 2:]),
    "hard_shrink": lambda x: np.where(np.abs(x) > 0.5, x, 0),
    "hard_tanh": lambda x: np.clip(x, -1, 1),
    "soft_shrink": lambda x: np.where(x > 0.5, x - 0.5, np.where(x < -0.5, x + 0.5, 0)),
    "sparse_plus": lambda x: np.where(x <= -1, 0, np.where(x < 1, (x + 1) ** 2 / 4, x)),
    "sparse_sigmoid": lambda x: np.clip((x + 1) / 2, 0, 1),
    "sparsemax": lambda x: np.array([[0, 0, 0.4, 0.6], [0, 0, 0, 1]]),  # worked by hand
    "squareplus": lambda x: (x + np.sqrt(x * x + 4)) / 2,
    "tanh_shrink": lambda x: x - np.tanh(x),
    "threshold": lambda x: np.where(x > 0.25, x, -1.0),
}
# Activations without defaults for every argument: called with these.
ARGUMENTS = {"threshold": {"threshold": 0.25, "default_value": -1.0}}


def to_np(x):
    return np.asarray(keras.ops.convert_to_numpy(x))


def test_reference_covers_every_activation():
    assert sorted(REFERENCE) == sorted(ALL)


@pytest.mark.parametrize("name", sorted(set(ALL) - set(ARGUMENTS)))
def test_activation_layer_matches_numpy(name):
    out = to_np(layers.Activation(name)(X))
    np.testing.assert_allclose(out, REFERENCE[name](X.astype("float64")), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("name", sorted(ALL))
def test_activation_by_get_matches_layer(name):
    fn = keras.activations.get(name)
    x = keras.ops.convert_to_tensor(X)
    kwargs = ARGUMENTS.get(name, {})
    np.testing.assert_allclose(to_np(fn(x, **kwargs)),
                               REFERENCE[name](X.astype("float64")), rtol=1e-5, atol=1e-5)


def test_activation_callable_and_config():
    layer = layers.Activation(lambda x: x * 3.0)
    np.testing.assert_allclose(to_np(layer(X)), X * 3.0)
    assert layers.Activation("tanh").get_config()["activation"] == "tanh"


def test_activation_symbolic_keeps_shape():
    assert layers.Activation("relu")(keras.Input(shape=(5, 2))).shape == (None, 5, 2)


def test_activation_unknown_name_errors():
    with pytest.raises(ValueError, match="not_an_activation"):
        layers.Activation("not_an_activation")
