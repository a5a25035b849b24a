"""What custom ``train_step`` / ``compute_loss`` overrides receive, as in Keras."""
import numpy as np
import pytest

import kfront as keras
from kfront import layers, ops

X = np.random.default_rng(0).normal(size=(8, 3)).astype("float32")
Y = X @ np.array([[1.0], [-2.0], [0.5]], "float32")


class Recording(keras.Model):
    def __init__(self):
        super().__init__()
        self.dense = layers.Dense(1)
        self.seen = []

    def call(self, x):
        return self.dense(x)

    def train_step(self, data):
        self.seen.append(type(data).__name__ if not isinstance(data, tuple) else
                         f"tuple{len(data)}")
        return {}


def test_fit_without_y_hands_train_step_x_itself():
    model = Recording()
    model.compile("sgd", "mse", run_eagerly=True)
    model.fit(X, batch_size=4, epochs=1, verbose=0)
    assert model.seen == [type(ops.convert_to_tensor(X)).__name__] * 2
    model.seen.clear()
    model.fit(X, Y, batch_size=4, epochs=1, verbose=0)
    assert model.seen == ["tuple2", "tuple2"]


def test_fit_without_y_on_a_list_of_inputs_hands_a_one_tuple():
    seen = []

    class Two(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = layers.Dense(1)

        def call(self, inputs):
            return self.dense(ops.concatenate(inputs, axis=-1))

        def train_step(self, data):
            seen.append((type(data).__name__, len(data), type(data[0]).__name__))
            return {}

    model = Two()
    model.compile("sgd", "mse", run_eagerly=True)
    model.fit([X, X], batch_size=8, verbose=0)
    assert seen == [("tuple", 1, "list")]


def test_compute_loss_override_without_training_argument():
    calls = []

    class Keras30Loss(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = layers.Dense(1, kernel_initializer="zeros")

        def call(self, x):
            return self.dense(x)

        def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None):
            calls.append("no-training")
            return ops.mean(ops.square(y - y_pred))

    model = Keras30Loss()
    model.compile(keras.optimizers.SGD(0.1))
    history = model.fit(X, Y, batch_size=8, epochs=5, verbose=0).history
    assert calls and history["loss"][-1] < history["loss"][0]
    np.testing.assert_allclose(history["loss"][0], np.mean(Y ** 2), rtol=1e-5)
    assert model.evaluate(X, Y, verbose=0) == pytest.approx(
        float(np.mean((Y - model.predict(X, verbose=0)) ** 2)), rel=1e-5)


def test_compute_loss_override_with_training_receives_it():
    flags = []

    class WithTraining(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = layers.Dense(1)

        def call(self, x):
            return self.dense(x)

        def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None,
                         training=True):
            flags.append(training)
            return super().compute_loss(x, y, y_pred, sample_weight, training=training)

    model = WithTraining()
    model.compile("sgd", "mse", run_eagerly=True)
    model.fit(X, Y, batch_size=8, verbose=0)
    model.evaluate(X, Y, verbose=0)
    assert flags == [True, False]


def test_a_train_step_with_optimizers_of_its_own():
    class TwoOptimizers(keras.Model):
        def __init__(self):
            super().__init__()
            self.a = layers.Dense(1, kernel_initializer="zeros", use_bias=False)
            self.b = layers.Dense(1, kernel_initializer="zeros", use_bias=False)

        def compile(self, opt_a, opt_b):
            super().compile()
            self.opt_a, self.opt_b = opt_a, opt_b

        def call(self, x):
            return self.a(x) + self.b(x)

        def train_step(self, data):
            x, y = data
            for layer, opt in ((self.a, self.opt_a), (self.b, self.opt_b)):
                loss, grads = keras.backend.value_and_grad(
                    lambda: ops.mean(ops.square(self(x) - y)), layer.trainable_weights)
                opt.apply_gradients(zip(grads, layer.trainable_weights))
            return {"loss": loss}

    model = TwoOptimizers()
    model.compile(keras.optimizers.SGD(0.05), keras.optimizers.Adam(0.05))
    model.fit(X, Y, batch_size=4, epochs=3, verbose=0)
    assert int(model.opt_a.iterations.numpy()) == int(model.opt_b.iterations.numpy()) == 6
    # SGD moved `a` along its gradients, Adam moved `b` by about its learning rate per step.
    assert np.abs(model.b.get_weights()[0]).max() == pytest.approx(0.05 * 6, rel=0.2)
    assert not np.allclose(model.a.get_weights()[0], 0)
