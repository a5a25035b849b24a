"""Keras 3's "training loop from scratch in JAX" guide on kfront: a ``jax.jit`` step over
``model.stateless_call`` and ``optimizer.stateless_apply`` (or optax) trains a model to
the losses ``fit`` reaches from the same seed."""
import numpy as np
import pytest

import kfront as keras

pytestmark = pytest.mark.skipif(keras.backend.backend() != "jax",
                                reason="a hand-written jax.jit training loop")
jax = pytest.importorskip("jax")

STEPS = 4


def _data():
    rng = np.random.RandomState(0)
    x = rng.randn(16, 5).astype("float32")
    y = (x @ rng.randn(5, 2)).astype("float32")
    return x, y


def _model():
    keras.utils.set_random_seed(3)
    return keras.Sequential([keras.Input((5,)), keras.layers.Dense(8, activation="relu"),
                             keras.layers.BatchNormalization(), keras.layers.Dense(2)])


def _fit_losses(optimizer):
    x, y = _data()
    model = _model()
    model.compile(optimizer=optimizer, loss="mse")
    history = model.fit(x, y, batch_size=16, epochs=STEPS, shuffle=False, verbose=0)
    return history.history["loss"], model


def _loss_and_updates(model, loss_fn):
    def compute(trainable, non_trainable, x, y):
        y_pred, non_trainable = model.stateless_call(trainable, non_trainable, x,
                                                     training=True)
        return loss_fn(y, y_pred), non_trainable
    return jax.value_and_grad(compute, has_aux=True)


def test_jit_loop_with_stateless_apply_matches_fit():
    fit_losses, fitted = _fit_losses(keras.optimizers.Adam(0.01))
    x, y = _data()
    model = _model()
    optimizer = keras.optimizers.Adam(0.01)
    optimizer.build(model.trainable_variables)
    grad_fn = _loss_and_updates(model, keras.losses.MeanSquaredError())

    metric = keras.metrics.MeanAbsoluteError()

    @jax.jit
    def train_step(state, data):
        trainable, non_trainable, optimizer_variables, metric_variables = state
        (loss, non_trainable), grads = grad_fn(trainable, non_trainable, *data)
        trainable, optimizer_variables = optimizer.stateless_apply(
            optimizer_variables, grads, trainable)
        # The guide's metric: its state goes through the step too.
        y_pred, _ = model.stateless_call(trainable, non_trainable, data[0])
        metric_variables = metric.stateless_update_state(metric_variables, data[1], y_pred)
        return (loss, y_pred), (trainable, non_trainable, optimizer_variables,
                                metric_variables)

    state = ([v.value for v in model.trainable_variables],
             [v.value for v in model.non_trainable_variables],
             [v.value for v in optimizer.variables],
             [v.value for v in metric.variables])
    losses, errors = [], []
    for _ in range(STEPS):
        (loss, y_pred), state = train_step(state, (x, y))
        losses.append(float(loss))
        errors.append(np.abs(np.asarray(y_pred) - y))
    np.testing.assert_allclose(losses, fit_losses, rtol=1e-5, atol=1e-6)
    assert losses[-1] < losses[0]
    state, metric_variables = state[:3], state[3]
    np.testing.assert_allclose(float(metric.stateless_result(metric_variables)),
                               np.mean(errors), rtol=1e-5)
    assert float(metric.result()) == 0.0
    # Nothing reached the model until the state is written back, as in the guide.
    np.testing.assert_array_equal(model.layers[0].kernel.numpy(),
                                  _model().layers[0].kernel.numpy())
    trainable, non_trainable, optimizer_variables = state
    for var, value in zip(model.trainable_variables, trainable):
        var.assign(value)
    for var, value in zip(model.non_trainable_variables, non_trainable):
        var.assign(value)
    for var, value in zip(optimizer.variables, optimizer_variables):
        var.assign(value)
    assert int(optimizer.iterations.numpy()) == STEPS
    for a, b in zip(model.weights, fitted.weights):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(model.predict(x, verbose=0), fitted.predict(x, verbose=0),
                               rtol=1e-5, atol=1e-5)


def test_jit_loop_with_optax_matches_fit():
    optax = pytest.importorskip("optax")
    fit_losses, _ = _fit_losses(keras.optimizers.SGD(0.05, momentum=0.9))
    x, y = _data()
    model = _model()
    tx = optax.sgd(0.05, momentum=0.9)
    grad_fn = _loss_and_updates(model, keras.losses.MeanSquaredError())

    @jax.jit
    def train_step(state, data):
        trainable, non_trainable, opt_state = state
        (loss, non_trainable), grads = grad_fn(trainable, non_trainable, *data)
        updates, opt_state = tx.update(grads, opt_state, trainable)
        return loss, (optax.apply_updates(trainable, updates), non_trainable, opt_state)

    trainable = [v.value for v in model.trainable_variables]
    state = (trainable, [v.value for v in model.non_trainable_variables], tx.init(trainable))
    losses = []
    for _ in range(STEPS):
        loss, state = train_step(state, (x, y))
        losses.append(float(loss))
    np.testing.assert_allclose(losses, fit_losses, rtol=1e-5, atol=1e-6)
