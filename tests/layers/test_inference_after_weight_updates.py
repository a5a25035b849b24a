"""Inference after the weights change gives the new weights' result.

torch keeps tensors derived from variables (a conv kernel's torch layout, BatchNormalization's
per-channel scale and shift) for the calls no gradient flows through (backends/torch/kept.py);
these tests change the weights every way a user can (set_weights, assign, fit steps, moving
statistics) and compare with a fresh model holding the new weights. They hold on every
engine.
"""
import numpy as np
import pytest

import kfront as keras

LAYERS = {
    "conv1d": (lambda: keras.layers.Conv1D(3, 2, padding="same"), (5, 2)),
    "conv2d": (lambda: keras.layers.Conv2D(3, 3, padding="same", use_bias=False), (6, 6, 2)),
    "conv3d": (lambda: keras.layers.Conv3D(2, 2), (4, 4, 4, 2)),
    "depthwise": (lambda: keras.layers.DepthwiseConv2D(3, depth_multiplier=2), (6, 6, 2)),
    "separable": (lambda: keras.layers.SeparableConv2D(3, 3), (6, 6, 2)),
    "transpose": (lambda: keras.layers.Conv2DTranspose(3, 3, strides=2), (4, 4, 2)),
    "channels_first": (lambda: keras.layers.Conv2D(3, 2, data_format="channels_first"),
                       (2, 5, 5)),
    "batch_norm": (lambda: keras.layers.BatchNormalization(momentum=0.5), (5, 3)),
    "batch_norm_plain": (lambda: keras.layers.BatchNormalization(center=False, scale=False,
                                                                 axis=1), (3, 4)),
}


def _model(name, seed=0):
    make, shape = LAYERS[name]
    keras.utils.set_random_seed(seed)
    return keras.Sequential([keras.Input(shape), make()])


def _x(name):
    shape = LAYERS[name][1]
    return np.random.default_rng(1).normal(size=(2, *shape)).astype("float32")


def _fresh_prediction(weights, name):
    model = _model(name, seed=7)
    model.set_weights(weights)
    return model.predict_on_batch(_x(name))


@pytest.mark.parametrize("name", sorted(LAYERS))
def test_set_weights_between_predictions(name):
    model, x = _model(name), _x(name)
    first = model.predict_on_batch(x)
    new = [w * 0.5 + 0.1 for w in model.get_weights()]
    model.set_weights(new)
    second = model.predict_on_batch(x)
    assert not np.allclose(first, second)
    np.testing.assert_allclose(second, _fresh_prediction(new, name), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", ["conv2d", "depthwise", "transpose"])
def test_assign_between_calls(name):
    model, x = _model(name), _x(name)
    model(x, training=False)
    layer = model.layers[0]
    kernel = layer.kernel
    kernel.assign(np.full(kernel.shape, 0.25, "float32"))
    np.testing.assert_allclose(keras.ops.convert_to_numpy(model(x, training=False)),
                               _fresh_prediction(model.get_weights(), name),
                               rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", ["conv2d", "separable", "batch_norm"])
def test_fit_steps_between_predictions(name):
    """For BatchNormalization the steps move the moving statistics, which predict reads."""
    model, x = _model(name), _x(name)
    y = np.ones_like(model.predict_on_batch(x))
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    for _ in range(2):
        model.train_on_batch(x, y)
        np.testing.assert_allclose(model.predict_on_batch(x),
                                   _fresh_prediction(model.get_weights(), name),
                                   rtol=1e-5, atol=1e-6)


def test_frozen_conv_base_under_a_training_head():
    """A frozen base (no gradient to its kernel) feeding a trained head: the base's
    output and the head's update match a model built from the same weights."""
    keras.utils.set_random_seed(3)
    base = keras.Sequential([keras.Input((6, 6, 2)), keras.layers.Conv2D(4, 3),
                             keras.layers.GlobalAveragePooling2D()])
    base.trainable = False
    model = keras.Sequential([base, keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    x, y = _x("conv2d"), np.ones((2, 1), "float32")
    features = base.predict_on_batch(x)
    base.set_weights([w * 2.0 for w in base.get_weights()])
    np.testing.assert_allclose(base.predict_on_batch(x), features * 2.0, rtol=1e-5, atol=1e-6)
    before = model.get_weights()
    model.train_on_batch(x, y)
    after = model.get_weights()
    np.testing.assert_array_equal(after[0], before[0])  # the frozen kernel did not move
    head_w, head_b = before[2], before[3]
    pooled = features * 2.0
    err = pooled @ head_w + head_b - y
    np.testing.assert_allclose(after[2], head_w - 0.1 * 2 * pooled.T @ err / 2, rtol=1e-4,
                               atol=1e-6)
