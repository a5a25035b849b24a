"""Keras 3's custom TensorFlow workflow: layers holding ``kfront.Variable``s directly, engine
ops between kfront layers, and a ``tf.function(jit_compile=True)`` tape step with a kfront
optimizer (XLA-compiled)."""
import numpy as np
import pytest

import kfront as keras

if keras.backend.backend() != "tensorflow":
    pytest.skip("a tf.function tape loop runs on TensorFlow only", allow_module_level=True)

import tensorflow as tf  # noqa: E402


class _VarDense(keras.layers.Layer):
    """Weights made as ``keras.Variable`` attributes in build, not with add_weight."""

    def __init__(self, units):
        super().__init__()
        self.units = units

    def build(self, input_shape):
        self.w = keras.Variable(keras.initializers.GlorotUniform(seed=1)(
            (input_shape[-1], self.units)), name="kernel")
        self.b = keras.Variable(np.full((self.units,), 0.1, "float32"), name="bias")

    def call(self, inputs):
        return keras.ops.matmul(inputs, self.w) + self.b


class _Net(keras.Model):
    def __init__(self):
        super().__init__()
        self.hidden = _VarDense(4)
        self.out = _VarDense(2)

    def call(self, x):
        return self.out(tf.nn.relu(self.hidden(x)))


def test_xla_compiled_tape_step_follows_hand_computed_sgd():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(8, 3)).astype("float32")
    y = rng.normal(size=(8, 2)).astype("float32")
    model = _Net()
    model(x[:1])
    assert len(model.trainable_weights) == 4
    w1, b1, w2, b2 = (v.numpy().astype("float64") for v in model.trainable_weights)
    optimizer = keras.optimizers.SGD(learning_rate=0.01)
    optimizer.build(model.trainable_weights)

    @tf.function(jit_compile=True)
    def train_step(x, y):
        with tf.GradientTape() as tape:
            loss = keras.ops.sum((y - model(x)) ** 2)
        grads = tape.gradient(loss, model.trainable_weights)
        optimizer.apply_gradients(zip(grads, model.trainable_weights))
        return loss

    for _ in range(3):
        loss = float(train_step(tf.constant(x), tf.constant(y)))
        h = x @ w1 + b1
        a = np.maximum(h, 0)
        residual = a @ w2 + b2 - y
        assert loss == pytest.approx(float((residual ** 2).sum()), rel=1e-5)
        g_out = 2 * residual
        g_h = (g_out @ w2.T) * (h > 0)
        w2, b2 = w2 - 0.01 * a.T @ g_out, b2 - 0.01 * g_out.sum(0)
        w1, b1 = w1 - 0.01 * x.T @ g_h, b1 - 0.01 * g_h.sum(0)
    for var, expected in zip(model.trainable_weights, (w1, b1, w2, b2)):
        np.testing.assert_allclose(var.numpy(), expected, rtol=1e-5, atol=1e-6)
