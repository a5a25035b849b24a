"""ReLU, LeakyReLU, PReLU, ELU and Softmax layers against NumPy."""
import numpy as np
import pytest

import kfront as keras
from kfront import layers, ops

X = np.linspace(-3, 3, 24, dtype="float32").reshape(2, 3, 4)


def np_(x):
    return ops.convert_to_numpy(x)


def test_relu_variants():
    np.testing.assert_allclose(np_(layers.ReLU()(X)), np.maximum(X, 0))
    out = np_(layers.ReLU(max_value=1.5, negative_slope=0.1, threshold=0.5)(X))
    want = np.where(X >= 0.5, np.minimum(X, 1.5), 0.1 * (X - 0.5))
    np.testing.assert_allclose(out, want, rtol=1e-6, atol=1e-6)
    with pytest.raises(ValueError, match="ReLU: `max_value` cannot be negative"):
        layers.ReLU(max_value=-1)
    with pytest.raises(ValueError, match="ReLU: `negative_slope` cannot be None or negative"):
        layers.ReLU(negative_slope=-0.1)


def test_leaky_relu_and_elu():
    np.testing.assert_allclose(np_(layers.LeakyReLU()(X)), np.where(X > 0, X, 0.3 * X),
                               rtol=1e-6)
    with pytest.warns(UserWarning):
        layer = layers.LeakyReLU(alpha=0.2)
    assert layer.negative_slope == 0.2
    with pytest.raises(ValueError, match="LeakyReLU: `negative_slope`"):
        layers.LeakyReLU(negative_slope=-1)
    np.testing.assert_allclose(np_(layers.ELU(alpha=0.5)(X)),
                               np.where(X > 0, X, 0.5 * np.expm1(X)), rtol=1e-5, atol=1e-6)


def test_prelu_learns_a_slope_per_unit_and_shares_axes():
    layer = layers.PReLU(alpha_initializer=keras.initializers.Constant(0.25))
    np.testing.assert_allclose(np_(layer(X)), np.where(X > 0, X, 0.25 * X), rtol=1e-6)
    assert layer.alpha.shape == (3, 4)
    shared = layers.PReLU(shared_axes=[1])
    shared(X)
    assert shared.alpha.shape == (1, 4)
    with pytest.raises(ValueError, match="PReLU .*shared axis 3 is out of range"):
        layers.PReLU(shared_axes=3)(X)


def test_softmax_axis_and_mask():
    e = np.exp(X - X.max(-1, keepdims=True))
    np.testing.assert_allclose(np_(layers.Softmax()(X)), e / e.sum(-1, keepdims=True),
                               rtol=1e-5, atol=1e-7)
    flat = X.reshape(2, 12)
    e2 = np.exp(flat - flat.max(-1, keepdims=True))
    np.testing.assert_allclose(np_(layers.Softmax(axis=(1, 2))(X)).reshape(2, 12),
                               e2 / e2.sum(-1, keepdims=True), rtol=1e-5, atol=1e-7)
    mask = np.array([[True, True, False, False]] * 3 * 2).reshape(2, 3, 4)
    out = np_(layers.Softmax()(X, mask=mask))
    m = np.where(mask, X, -np.inf)
    em = np.exp(m - m.max(-1, keepdims=True))
    np.testing.assert_allclose(out, em / em.sum(-1, keepdims=True), rtol=1e-5, atol=1e-7)


def test_configs_round_trip_and_functional_use():
    for layer in [layers.ReLU(max_value=6.0), layers.LeakyReLU(0.1), layers.ELU(0.7),
                  layers.PReLU(shared_axes=[1, 2]), layers.Softmax(axis=1)]:
        config = layer.get_config()
        assert type(layer).from_config(config).get_config() == config
    inputs = keras.Input((3, 4))
    x = layers.PReLU()(layers.ReLU()(inputs))
    x = layers.Softmax()(layers.ELU()(layers.LeakyReLU()(x)))
    model = keras.Model(inputs, x)
    assert tuple(x.shape) == (None, 3, 4)
    np.testing.assert_allclose(np_(model(X)).sum(-1), np.ones((2, 3)), rtol=1e-5)
