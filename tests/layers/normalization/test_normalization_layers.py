"""BatchNormalization, LayerNormalization, GroupNormalization, UnitNormalization against
NumPy references, in training and inference, in models and in fit."""
import numpy as np
import pytest

import kfront as keras
from kfront import layers, ops

RNG = np.random.default_rng(3)
X2 = RNG.normal(2.0, 3.0, size=(8, 6)).astype("float32")
X4 = RNG.normal(size=(4, 3, 5, 6)).astype("float32")


def np_(x):
    return ops.convert_to_numpy(x)


def _bn_ref(x, axis, eps=1e-3, gamma=1.0, beta=0.0):
    axes = tuple(i for i in range(x.ndim) if i != axis % x.ndim)
    x64 = x.astype("float64")
    mean, var = x64.mean(axes, keepdims=True), x64.var(axes, keepdims=True)
    return (x64 - mean) / np.sqrt(var + eps) * gamma + beta, mean.ravel(), var.ravel()


def test_batch_norm_training_normalizes_with_batch_stats_and_updates_moving_stats():
    bn = layers.BatchNormalization(momentum=0.9)
    out = bn(X2, training=True)
    want, mean, var = _bn_ref(X2, -1)
    np.testing.assert_allclose(np_(out), want, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(bn.moving_mean.numpy(), 0.1 * mean, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(bn.moving_variance.numpy(), 0.9 + 0.1 * var, rtol=1e-5)
    assert [w.path.split("/")[-1] for w in bn.weights] == \
        ["gamma", "beta", "moving_mean", "moving_variance"]
    assert len(bn.trainable_weights) == 2 and len(bn.non_trainable_weights) == 2


def test_batch_norm_inference_uses_moving_stats():
    bn = layers.BatchNormalization(epsilon=0.01)
    bn.build(X2.shape)
    bn.set_weights([np.full(6, 2.0), np.full(6, 0.5), np.full(6, 1.0), np.full(6, 4.0)])
    want = (X2 - 1.0) / np.sqrt(4.01) * 2.0 + 0.5
    np.testing.assert_allclose(np_(bn(X2)), want, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(np_(bn(X2, training=False)), want, rtol=1e-5, atol=1e-5)


def test_frozen_batch_norm_runs_in_inference_mode_when_training():
    bn = layers.BatchNormalization()
    bn.build(X2.shape)
    bn.trainable = False
    out = bn(X2, training=True)
    np.testing.assert_allclose(np_(out), X2 / np.sqrt(1.001), rtol=1e-5, atol=1e-5)
    np.testing.assert_array_equal(bn.moving_mean.numpy(), np.zeros(6))


def test_batch_norm_channels_first_axis():
    bn = layers.BatchNormalization(axis=1, center=False, scale=False)
    want, mean, _ = _bn_ref(X4, 1)
    np.testing.assert_allclose(np_(bn(X4, training=True)), want, rtol=1e-4, atol=1e-4)
    assert bn.moving_mean.shape == (3,) and bn.weights[0].path.endswith("moving_mean")
    np.testing.assert_allclose(bn.moving_mean.numpy(), 0.01 * mean, rtol=1e-4, atol=1e-6)


def test_batch_norm_errors_and_config():
    with pytest.raises(ValueError, match="BatchNormalization: axis 3 is out of bounds"):
        layers.BatchNormalization(axis=3)(X2)
    bn = layers.BatchNormalization(axis=1, momentum=0.8, gamma_regularizer="l2",
                                   beta_constraint="non_neg")
    config = bn.get_config()
    assert config["momentum"] == 0.8 and config["gamma_regularizer"]["class_name"] == "L2"
    again = layers.BatchNormalization.from_config(config)
    assert again.get_config() == config


def test_batch_norm_fit_updates_moving_stats_in_compiled_steps():
    x = RNG.normal(5.0, 2.0, size=(32, 4)).astype("float32")
    model = keras.Sequential([keras.Input((4,)), layers.BatchNormalization(momentum=0.5),
                              layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(x, np.zeros((32, 1), "float32"), batch_size=32, epochs=4, verbose=0)
    bn = model.layers[0]
    # Four updates of 0.5 toward the batch mean: 1 - 0.5**4 of the way there.
    np.testing.assert_allclose(bn.moving_mean.numpy(), x.mean(0) * (1 - 0.5 ** 4), rtol=1e-4)


def test_layer_norm_matches_numpy_and_config_round_trips():
    ln = layers.LayerNormalization(epsilon=1e-5, gamma_initializer="ones")
    ln.build(X2.shape)
    ln.set_weights([np.arange(6, dtype="float32"), np.full(6, 0.5, "float32")])
    x64 = X2.astype("float64")
    want = (x64 - x64.mean(-1, keepdims=True)) / np.sqrt(x64.var(-1, keepdims=True) + 1e-5)
    np.testing.assert_allclose(np_(ln(X2)), want * np.arange(6) + 0.5, rtol=1e-4, atol=1e-5)
    config = ln.get_config()
    assert layers.LayerNormalization.from_config(config).get_config() == config


def test_layer_norm_multiple_axes_and_rms_scaling():
    ln = layers.LayerNormalization(axis=[1, 3], center=False)
    out = ln(X4)
    assert ln.gamma.shape == (3, 6) and ln.beta is None
    x64 = X4.astype("float64")
    mean, var = x64.mean((1, 3), keepdims=True), x64.var((1, 3), keepdims=True)
    np.testing.assert_allclose(np_(out), (x64 - mean) / np.sqrt(var + 1e-3), rtol=1e-4,
                               atol=1e-5)
    with pytest.warns(UserWarning):
        rms = layers.LayerNormalization(rms_scaling=True)
    np.testing.assert_allclose(np_(rms(X2)), X2 / np.sqrt(X2.astype("float64").var(
        -1, keepdims=True) + 1e-3), rtol=1e-4, atol=1e-5)
    with pytest.raises(TypeError, match="LayerNormalization"):
        layers.LayerNormalization(axis="last")


def test_group_norm_matches_numpy():
    gn = layers.GroupNormalization(groups=2, epsilon=1e-5)
    out = gn(X4)
    g = X4.astype("float64").reshape(4, 3, 5, 2, 3)
    mean, var = g.mean((1, 2, 4), keepdims=True), g.var((1, 2, 4), keepdims=True)
    want = ((g - mean) / np.sqrt(var + 1e-5)).reshape(X4.shape)
    np.testing.assert_allclose(np_(out), want, rtol=1e-4, atol=1e-5)


def test_group_norm_errors():
    with pytest.raises(ValueError, match=r"number of groups \(8\) cannot be more than the "
                                         r"number of channels \(6\)"):
        layers.GroupNormalization(groups=8)(X2)
    with pytest.raises(ValueError, match=r"channels \(6\) must be a multiple of the number "
                                         r"of groups \(4\)"):
        layers.GroupNormalization(groups=4)(X2)


def test_unit_normalization():
    out = np_(layers.UnitNormalization(axis=-1)(X2))
    np.testing.assert_allclose(out, X2 / np.linalg.norm(X2, axis=-1, keepdims=True),
                               rtol=1e-5, atol=1e-6)
    out = np_(layers.UnitNormalization(axis=[1, 2])(X4))
    np.testing.assert_allclose(np.square(out).sum((1, 2)), np.ones((4, 6)), rtol=1e-5)
    with pytest.raises(ValueError, match="UnitNormalization: axis 2 is out of bounds"):
        layers.UnitNormalization(axis=2)(X2)


def test_normalization_layers_in_functional_models():
    inputs = keras.Input((3, 5, 6))
    x = layers.BatchNormalization()(inputs)
    x = layers.LayerNormalization()(x)
    x = layers.GroupNormalization(groups=3)(x)
    x = layers.UnitNormalization()(x)
    model = keras.Model(inputs, x)
    assert tuple(x.shape) == (None, 3, 5, 6)
    assert np_(model(X4)).shape == X4.shape
