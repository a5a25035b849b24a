"""A model with only a custom ``train_step`` (no ``call``) that calls its own layers under a
``tf.GradientTape``: its layers create their variables in the first step, so the optimizer
builds on its first ``apply_gradients`` from the variables given there, as Keras's does."""
import numpy as np
import pytest

import kfront as keras

pytestmark = pytest.mark.skipif(keras.backend.backend() != "tensorflow",
                                reason="a hand-written tf.GradientTape train_step")
tf = pytest.importorskip("tensorflow")

LR = 0.1


class _Stages(keras.Model):
    def __init__(self):
        super().__init__()
        self.head = keras.layers.Dense(3, kernel_initializer="ones")
        self.stages = [keras.layers.Dense(2, kernel_initializer="ones")]

    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            h = x
            for layer in [self.head] + self.stages:
                h = layer(h)
            loss = self.compute_loss(x, y, h)
        groups = [self.head.trainable_variables] + [s.trainable_variables for s in self.stages]
        grads = tape.gradient(loss, groups)
        self.optimizer.apply_gradients(
            [(g, v) for gs, vs in zip(grads, groups) for g, v in zip(gs, vs)])
        return {"loss": loss}


def test_optimizer_builds_from_the_variables_of_the_first_step():
    x = np.array([[1.0, 2.0], [0.0, -1.0]], "float32")
    y = np.array([[1.0, 0.0], [0.0, 1.0]], "float32")
    model = _Stages()
    model.compile(optimizer=keras.optimizers.SGD(LR), loss="mse")
    model.fit(x, y, batch_size=2, epochs=1, verbose=0, shuffle=False)

    # One SGD step by hand with NumPy: ones kernels, zero biases, mean squared error.
    w1, w2 = np.ones((2, 3)), np.ones((3, 2))
    h = x @ w1
    out = h @ w2
    d_out = 2 * (out - y) / out.size
    g_w2, g_b2 = h.T @ d_out, d_out.sum(0)
    d_h = d_out @ w2.T
    g_w1, g_b1 = x.T @ d_h, d_h.sum(0)
    np.testing.assert_allclose(model.head.kernel.numpy(), w1 - LR * g_w1, rtol=1e-5)
    np.testing.assert_allclose(model.head.bias.numpy(), -LR * g_b1, rtol=1e-5)
    np.testing.assert_allclose(model.stages[0].kernel.numpy(), w2 - LR * g_w2, rtol=1e-5)
    np.testing.assert_allclose(model.stages[0].bias.numpy(), -LR * g_b2, rtol=1e-5)
    assert int(model.optimizer.iterations.numpy()) == 1
