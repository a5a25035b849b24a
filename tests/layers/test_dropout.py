"""Dropout: zeroes and rescales while training, identity at inference, validates rate."""
import numpy as np
import pytest

import kfront as keras
from kfront import layers

X = np.ones((64, 32), dtype="float32")


def to_np(x):
    return np.asarray(keras.ops.convert_to_numpy(x))


def test_dropout_training_zeroes_and_rescales():
    out = to_np(layers.Dropout(0.5, seed=3)(X, training=True))
    kept = out != 0
    np.testing.assert_allclose(out[kept], 2.0, rtol=1e-6)
    assert 0.4 < 1 - kept.mean() < 0.6


def test_dropout_rate_quarter_keeps_expected_mean():
    out = to_np(layers.Dropout(0.25, seed=1)(X, training=True))
    np.testing.assert_allclose(np.unique(out), [0.0, 1 / 0.75], rtol=1e-6)
    assert abs(out.mean() - 1.0) < 0.1


@pytest.mark.parametrize("training", [False, None])
def test_dropout_inference_is_identity(training):
    x = np.random.default_rng(0).normal(size=(4, 5)).astype("float32")
    np.testing.assert_array_equal(to_np(layers.Dropout(0.9)(x, training=training)), x)


def test_dropout_rate_zero_is_identity_in_training():
    layer = layers.Dropout(0.0)
    np.testing.assert_array_equal(to_np(layer(X, training=True)), X)
    assert layer.non_trainable_variables == []


def test_dropout_draws_new_masks_each_call():
    layer = layers.Dropout(0.5, seed=7)
    a, b = to_np(layer(X, training=True)), to_np(layer(X, training=True))
    assert not np.array_equal(a, b)


def test_dropout_same_seed_same_mask():
    a = to_np(layers.Dropout(0.5, seed=11)(X, training=True))
    b = to_np(layers.Dropout(0.5, seed=11)(X, training=True))
    np.testing.assert_array_equal(a, b)


def test_dropout_noise_shape_broadcasts_mask():
    out = to_np(layers.Dropout(0.5, noise_shape=(64, 1), seed=2)(X, training=True))
    for row in out:
        assert len(np.unique(row)) == 1


@pytest.mark.parametrize("rate", [-0.1, 1.5])
def test_dropout_rate_validation(rate):
    with pytest.raises(ValueError, match=r"`rate` must be in \[0, 1\]"):
        layers.Dropout(rate)


def test_dropout_in_model_training_flag():
    model = keras.Sequential([keras.Input(shape=(32,)), layers.Dropout(0.5, seed=5)])
    np.testing.assert_array_equal(to_np(model(X, training=False)), X)
    np.testing.assert_array_equal(model.predict(X, verbose=0), X)
    assert (to_np(model(X, training=True)) == 0).mean() > 0.3
