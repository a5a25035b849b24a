"""Optimizers inside ``fit``: EMA and gradient accumulation in compiled steps (``jax.jit``,
``tf.function``) give the eager numbers; optimizer state survives save and load."""
import numpy as np
import pytest

import kfront
from kfront import optimizers

RNG = np.random.default_rng(3)
X = RNG.normal(size=(16, 3)).astype("float32")
Y = RNG.normal(size=(16, 2)).astype("float32")


def make_model(optimizer, run_eagerly=False):
    kfront.utils.set_random_seed(4)
    model = kfront.Sequential([kfront.Input((3,)), kfront.layers.Dense(4, activation="tanh"),
                               kfront.layers.Dense(2)])
    model.compile(optimizer=optimizer, loss="mse", run_eagerly=run_eagerly)
    return model


def test_ema_accumulation_and_schedule_in_compiled_steps_match_eager():
    def train(run_eagerly):
        schedule = optimizers.schedules.CosineDecay(0.02, 4, warmup_target=0.05,
                                                    warmup_steps=2)
        opt = optimizers.Adam(schedule, use_ema=True, ema_momentum=0.7, ema_overwrite_frequency=2,
                              gradient_accumulation_steps=2, clipnorm=1.0)
        model = make_model(opt, run_eagerly)
        model.fit(X, Y, batch_size=4, epochs=1, shuffle=False, verbose=0)
        return model, opt

    compiled, opt = train(False)
    eager, _ = train(True)
    for a, b in zip(compiled.get_weights(), eager.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    for a, b in zip(opt.variables, eager.optimizer.variables):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-5, atol=1e-6)
    assert int(opt.iterations.numpy()) == 4
    assert not np.allclose(opt._averages[0].numpy(), 0)


def test_accumulation_leaves_weights_until_the_nth_batch():
    model = make_model(optimizers.SGD(0.1, gradient_accumulation_steps=3))
    initial = model.get_weights()
    model.fit(X[:8], Y[:8], batch_size=4, epochs=1, shuffle=False, verbose=0)  # 2 batches
    for a, b in zip(model.get_weights(), initial):
        np.testing.assert_array_equal(a, b)
    model.fit(X[8:12], Y[8:12], batch_size=4, epochs=1, shuffle=False, verbose=0)
    assert not np.allclose(model.get_weights()[0], initial[0])


NEW = {"AdamW": {"learning_rate": 0.01}, "Adagrad": {"learning_rate": 0.1},
       "Adadelta": {"learning_rate": 1.0}, "Adamax": {"learning_rate": 0.01},
       "Nadam": {"learning_rate": 0.01, "use_ema": True},
       "Ftrl": {"learning_rate": 0.1, "l1_regularization_strength": 0.001},
       "Lion": {"learning_rate": 0.01, "gradient_accumulation_steps": 2},
       "Lamb": {"learning_rate": 0.01}}


@pytest.mark.parametrize("cls_name", sorted(NEW))
def test_save_load_continue_training(tmp_path, cls_name):
    # Eager steps: this checks the saved state, not compilation (one jit per model costs
    # seconds on JAX).
    model = make_model(getattr(optimizers, cls_name)(**NEW[cls_name]), run_eagerly=True)
    model.fit(X, Y, batch_size=8, epochs=1, shuffle=False, verbose=0)  # 2 steps
    path = tmp_path / "model.kfront"
    model.save(path)
    loaded = kfront.saving.load_model(path)
    assert type(loaded.optimizer).__name__ == cls_name
    assert len(loaded.optimizer.variables) == len(model.optimizer.variables)
    for a, b in zip(loaded.optimizer.variables, model.optimizer.variables):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    loaded.run_eagerly = True
    h1 = model.fit(X, Y, batch_size=16, epochs=1, shuffle=False, verbose=0).history["loss"]
    h2 = loaded.fit(X, Y, batch_size=16, epochs=1, shuffle=False, verbose=0).history["loss"]
    np.testing.assert_allclose(h2, h1, rtol=1e-6)
    for a, b in zip(loaded.get_weights(), model.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)
