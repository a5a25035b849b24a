"""Spatial dropout, Gaussian noise/dropout, AlphaDropout and ActivityRegularization."""
import numpy as np
import pytest

import kfront as keras
from kfront import layers, ops

X = np.random.default_rng(5).normal(size=(16, 6, 8)).astype("float32")
ONES4 = np.ones((16, 4, 5, 8), "float32")


def np_(x):
    return ops.convert_to_numpy(x)


def test_spatial_dropout_1d_drops_whole_channels():
    out = np_(layers.SpatialDropout1D(0.5, seed=1)(np.ones_like(X), training=True))
    # Each (example, channel) column is all zeros or all 2.
    assert set(np.unique(out)) <= {0.0, 2.0}
    assert np.all(out.min(axis=1) == out.max(axis=1))
    assert 0.3 < (out[:, 0] == 0).mean() < 0.7
    np.testing.assert_array_equal(np_(layers.SpatialDropout1D(0.5)(X)), X)


@pytest.mark.parametrize("data_format,spatial", [("channels_last", (1, 2)),
                                                 ("channels_first", (2, 3))])
def test_spatial_dropout_2d_data_formats(data_format, spatial):
    out = np_(layers.SpatialDropout2D(0.5, data_format=data_format, seed=2)(
        ONES4, training=True))
    assert np.all(out.min(axis=spatial) == out.max(axis=spatial))
    assert 0.2 < (out == 0).mean() < 0.8


def test_spatial_dropout_3d_and_errors():
    x = np.ones((4, 2, 3, 2, 6), "float32")
    out = np_(layers.SpatialDropout3D(0.5, seed=3)(x, training=True))
    assert np.all(out.min(axis=(1, 2, 3)) == out.max(axis=(1, 2, 3)))
    with pytest.raises(ValueError, match="SpatialDropout2D: unknown data_format 'nchw'"):
        layers.SpatialDropout2D(0.5, data_format="nchw")
    with pytest.raises(ValueError, match='expected ndim=3, found ndim=4'):
        layers.SpatialDropout1D(0.5)(ONES4, training=True)


def test_gaussian_noise_and_dropout_statistics():
    big = np.ones((200, 50), "float32")
    noisy = np_(layers.GaussianNoise(0.5, seed=4)(big, training=True))
    assert abs((noisy - 1).mean()) < 0.02 and abs((noisy - 1).std() - 0.5) < 0.02
    dropped = np_(layers.GaussianDropout(0.2, seed=4)(big, training=True))
    assert abs(dropped.mean() - 1) < 0.02 and abs(dropped.std() - 0.5) < 0.02
    np.testing.assert_array_equal(np_(layers.GaussianNoise(0.5)(X)), X)
    np.testing.assert_array_equal(np_(layers.GaussianDropout(0.2)(X, training=False)), X)


def test_alpha_dropout_keeps_selu_statistics():
    x = np.random.default_rng(0).normal(size=(400, 100)).astype("float32")
    out = np_(layers.AlphaDropout(0.2, seed=5)(x, training=True))
    assert abs(out.mean()) < 0.03 and abs(out.std() - 1) < 0.03
    alpha_p = -1.6732632423543772 * 1.0507009873554805
    a = (0.8 * (1 + 0.2 * alpha_p ** 2)) ** -0.5
    dropped_value = a * alpha_p + (-a * alpha_p * 0.2)
    assert 0.15 < np.isclose(out, dropped_value, atol=1e-5).mean() < 0.25
    np.testing.assert_array_equal(np_(layers.AlphaDropout(0.2)(X)), X)


def test_activity_regularization_adds_a_per_example_loss():
    layer = layers.ActivityRegularization(l1=0.1, l2=0.01)
    out = layer(X)
    np.testing.assert_array_equal(np_(out), X)
    want = (0.1 * np.abs(X).sum() + 0.01 * np.square(X).sum()) / 16
    assert len(layer.losses) == 1
    np.testing.assert_allclose(float(np_(layer.losses[0])), want, rtol=1e-5)
    config = layer.get_config()
    assert config["l1"] == 0.1 and "activity_regularizer" not in config


def test_configs_round_trip():
    for layer in [layers.SpatialDropout1D(0.3, seed=1), layers.SpatialDropout2D(0.3),
                  layers.SpatialDropout3D(0.3, data_format="channels_first"),
                  layers.GaussianNoise(0.1, seed=2), layers.GaussianDropout(0.1),
                  layers.AlphaDropout(0.1, seed=3), layers.ActivityRegularization(0.2)]:
        config = layer.get_config()
        assert type(layer).from_config(config).get_config() == config
    with pytest.raises(ValueError, match=r"GaussianDropout: `rate` must be in \[0, 1\]"):
        layers.GaussianDropout(1.5)


@pytest.mark.skipif(keras.config.backend() == "jax",
                    reason="JAX traces every batch shape statically; slow to compile twice")
def test_noise_layers_train_with_partial_last_batch():
    """The last batch (4 of 20) has another size: traced steps see an unknown batch size."""
    x = np.random.default_rng(1).normal(size=(20, 6, 8)).astype("float32")
    model = keras.Sequential([keras.Input((6, 8)), layers.GaussianNoise(0.1),
                              layers.GaussianDropout(0.1), layers.ActivityRegularization(0.01),
                              layers.Flatten(), layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(x, np.zeros((20, 1), "float32"), batch_size=16, epochs=1, verbose=0)
    assert np.all(np.isfinite(history.history["loss"]))
