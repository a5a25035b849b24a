"""Training that must work the same on every backend: learning a task, early stopping with
restored weights, a custom ``train_step``, and compiled versus eager steps."""

import numpy as np
import pytest

import kfront
from kfront import callbacks, layers, metrics, ops, optimizers
from trainer_helpers import BACKEND, X, Y_REGRESSION

RNG = np.random.default_rng(42)


def separable(n):
    """Two Gaussian blobs in 4-D, well apart: a linear boundary separates them."""
    labels = RNG.integers(0, 2, size=n)
    centers = np.where(labels[:, None] == 1, 1.5, -1.5) * np.array([1.0, -1.0, 0.5, 0.0])
    x = (centers + RNG.normal(size=(n, 4))).astype("float32")
    return x, labels.astype("float32")[:, None]


def test_mlp_learns_a_separable_task():
    x, y = separable(320)
    kfront.utils.set_random_seed(0)
    model = kfront.Sequential([layers.Dense(16, activation="relu", input_shape=(4,)),
                               layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer=optimizers.Adam(0.02), loss="binary_crossentropy",
                  metrics=["accuracy"])
    history = model.fit(x[:256], y[:256], batch_size=32, epochs=8, verbose=0,
                        validation_data=(x[256:], y[256:]))
    assert history.history["loss"][-1] < history.history["loss"][0]
    loss, accuracy = model.evaluate(x[256:], y[256:], verbose=0)
    assert accuracy >= 0.9
    assert history.history["val_accuracy"][-1] == pytest.approx(accuracy, rel=1e-6)
    predicted = (model.predict(x[256:], verbose=0) > 0.5).astype("float32")
    assert float((predicted == y[256:]).mean()) == pytest.approx(accuracy, rel=1e-6)


def test_early_stopping_stops_and_restores_the_best_weights():
    """Validation targets are the negated training targets: every epoch of training makes
    val_loss worse, so epoch 0 is the best one."""
    kfront.utils.set_random_seed(0)
    model = kfront.Sequential([layers.Dense(1, input_shape=(5,))])
    model.compile(optimizer=optimizers.SGD(0.05), loss="mse")
    snapshots = []
    record = callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: snapshots.append(model.get_weights()))
    stopper = callbacks.EarlyStopping(monitor="val_loss", patience=2,
                                      restore_best_weights=True)
    history = model.fit(X, Y_REGRESSION, batch_size=16, epochs=20, verbose=0,
                        validation_data=(X, -Y_REGRESSION), callbacks=[record, stopper])
    val_loss = history.history["val_loss"]
    assert history.epoch == [0, 1, 2]
    assert val_loss[0] < val_loss[1] < val_loss[2]
    assert stopper.stopped_epoch == 2 and stopper.best_epoch == 0
    for restored, best in zip(model.get_weights(), snapshots[0]):
        np.testing.assert_array_equal(restored, best)
    assert not np.array_equal(snapshots[-1][0], snapshots[0][0])
    assert model.evaluate(X, -Y_REGRESSION, verbose=0) == pytest.approx(val_loss[0], rel=1e-5)


class CustomStep(kfront.Model):
    """A train_step written once with kfront.backend.value_and_grad."""

    def __init__(self):
        super().__init__()
        self.hidden = layers.Dense(4, activation="relu")
        self.head = layers.Dense(1)
        self.loss_tracker = metrics.Mean(name="loss")
        self.mae_tracker = metrics.MeanAbsoluteError(name="mae")

    def call(self, x):
        return self.head(self.hidden(x))

    def train_step(self, data):
        x, y = data

        def loss_fn():
            y_pred = self(x, training=True)
            return ops.mean(ops.square(y_pred - y)), y_pred

        (loss, y_pred), grads = kfront.backend.value_and_grad(
            loss_fn, self.trainable_variables, has_aux=True)
        self.optimizer.apply(grads, self.trainable_variables)
        self.loss_tracker.update_state(loss)
        self.mae_tracker.update_state(y, y_pred)
        return {"loss": self.loss_tracker.result(), "mae": self.mae_tracker.result()}


def test_custom_train_step_matches_the_built_in_one():
    kfront.utils.set_random_seed(0)
    custom = CustomStep()
    custom(X[:2])
    custom.compile(optimizer=optimizers.SGD(0.05, momentum=0.5))
    reference = kfront.Sequential([layers.Dense(4, activation="relu", input_shape=(5,)),
                                   layers.Dense(1)])
    reference.set_weights(custom.get_weights())
    reference.compile(optimizer=optimizers.SGD(0.05, momentum=0.5), loss="mse",
                      metrics=["mae"])

    got = custom.fit(X, Y_REGRESSION, batch_size=16, epochs=3, shuffle=False, verbose=0)
    want = reference.fit(X, Y_REGRESSION, batch_size=16, epochs=3, shuffle=False, verbose=0)
    assert set(got.history) == {"loss", "mae"}
    np.testing.assert_allclose(got.history["loss"], want.history["loss"], rtol=1e-5)
    np.testing.assert_allclose(got.history["mae"], want.history["mae"], rtol=1e-5)
    for a, b in zip(custom.get_weights(), reference.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    assert int(custom.optimizer.iterations.numpy()) == 12
    # The attribute metrics are the model's metrics: fit resets them every epoch.
    assert custom.loss_tracker in custom.metrics and custom.mae_tracker in custom.metrics
    assert float(custom.mae_tracker.result()) == pytest.approx(got.history["mae"][-1])


def train_variant(**compile_kwargs):
    kfront.utils.set_random_seed(0)
    model = kfront.Sequential([layers.Dense(8, activation="tanh", input_shape=(5,)),
                               layers.Dense(1)])
    model.compile(optimizer=optimizers.Adam(0.01), loss="mse", metrics=["mae"],
                  **compile_kwargs)
    history = model.fit(X, Y_REGRESSION, batch_size=24, epochs=2, shuffle=False, verbose=0)
    return model.get_weights(), history.history, model.evaluate(X, Y_REGRESSION, verbose=0)


def test_jit_compile_and_eager_steps_agree():
    reference = train_variant(jit_compile=False)
    # torch.compile'd steps are checked in test_torch_compile.py (compiling costs seconds).
    variants = [train_variant(run_eagerly=True)]
    if BACKEND != "torch":
        variants.append(train_variant(jit_compile=True))
    for weights, history, evaluation in variants:
        for a, b in zip(weights, reference[0]):
            np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)
        np.testing.assert_allclose(history["loss"], reference[1]["loss"], rtol=1e-4)
        np.testing.assert_allclose(evaluation, reference[2], rtol=1e-4)
