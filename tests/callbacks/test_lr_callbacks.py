"""LearningRateScheduler and ReduceLROnPlateau: the learning rate used, and in the logs."""
import types

import numpy as np
import pytest
from callback_helpers import make_data, make_model

import kfront
from kfront.callbacks import CallbackList, LearningRateScheduler, ReduceLROnPlateau


def _numpy_sgd(weights, x, y, lrs):
    """Full-batch SGD on mean squared error for ``y = x @ w + b``."""
    w, b = (np.array(a, "float64") for a in weights)
    for lr in lrs:
        err = x @ w + b - y
        w = w - lr * 2.0 * x.T @ err / len(x)
        b = b - lr * 2.0 * err.mean(axis=0)
    return w, b


def test_scheduler_sets_the_rate_used_by_each_epoch():
    x, y = make_data()
    model = make_model()
    start = model.get_weights()
    sched = LearningRateScheduler(lambda epoch, lr: 0.2 if epoch == 0 else lr * 0.5)
    history = model.fit(x, y, batch_size=32, epochs=3, verbose=0, shuffle=False,
                        callbacks=[sched])
    lrs = [0.2, 0.1, 0.05]
    np.testing.assert_allclose(history.history["learning_rate"], lrs, rtol=1e-6)
    w, b = _numpy_sgd(start, x.astype("float64"), y.astype("float64"), lrs)
    np.testing.assert_allclose(model.get_weights()[0], w, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(model.get_weights()[1], b, rtol=1e-4, atol=1e-5)


def _fake_model(lr=0.1):
    return types.SimpleNamespace(optimizer=kfront.optimizers.SGD(lr), stop_training=False,
                                 metrics=[])


def test_scheduler_one_argument_schedule_verbose_and_bad_output(capsys):
    model = _fake_model()
    cbs = CallbackList([LearningRateScheduler(lambda epoch: 0.01 * (epoch + 1), verbose=1)],
                       model=model)
    cbs.on_epoch_begin(2)
    logs = {"loss": 1.0}
    cbs.on_epoch_end(2, logs)
    assert abs(float(model.optimizer.learning_rate.numpy()) - 0.03) < 1e-7
    assert "Epoch 3: LearningRateScheduler setting learning rate to 0.03" in \
        capsys.readouterr().out
    bad = CallbackList([LearningRateScheduler(lambda epoch, lr: "fast")], model=model)
    with pytest.raises(ValueError, match="should be a float. Got: 'fast'"):
        bad.on_epoch_begin(0)
    with pytest.raises(ValueError, match="must be a callable"):
        LearningRateScheduler(0.1)


def _drive(cb, values, model, key="val_loss"):
    cb.set_model(model)
    cb.on_train_begin()
    logged = []
    for epoch, value in enumerate(values):
        logs = {"loss": 1.0, key: value}
        cb.on_epoch_end(epoch, logs)
        logged.append(logs["learning_rate"])
    return logged


def test_reduce_lr_on_plateau_patience_cooldown_and_min_lr(capsys):
    model = _fake_model(1.0)
    cb = ReduceLROnPlateau(factor=0.5, patience=2, cooldown=1, min_lr=0.2, verbose=1)
    logged = _drive(cb, [1.0, 0.9, 0.95, 0.95, 0.97, 0.98, 0.99, 0.99, 0.99, 0.99], model)
    # Logs carry the rate in force during the epoch (before that epoch's reduction).
    np.testing.assert_allclose(logged, [1, 1, 1, 1, .5, .5, .25, .25, .2, .2], rtol=1e-6)
    assert abs(float(model.optimizer.learning_rate.numpy()) - 0.2) < 1e-7
    out = capsys.readouterr().out
    assert "Epoch 4: ReduceLROnPlateau reducing learning rate to 0.5." in out
    # One epoch of cooldown, then two of patience; at min_lr, no further reduction.
    assert "Epoch 6: ReduceLROnPlateau reducing learning rate to 0.25." in out
    assert out.count("reducing") == 3


def test_reduce_lr_on_plateau_max_mode_min_delta_and_errors():
    model = _fake_model(1.0)
    cb = ReduceLROnPlateau(monitor="val_accuracy", factor=0.1, patience=1, min_delta=0.05)
    logged = _drive(cb, [0.5, 0.52, 0.9, 0.91], model, key="val_accuracy")
    np.testing.assert_allclose(logged, [1.0, 1.0, 0.1, 0.1], rtol=1e-6)
    with pytest.raises(ValueError, match="does not support a factor >= 1.0"):
        ReduceLROnPlateau(factor=1.5)
    with pytest.raises(ValueError, match="unknown argument"):
        ReduceLROnPlateau(paitence=3)
    cbs = CallbackList([ReduceLROnPlateau(monitor="val_lss")], model=_fake_model())
    cbs.on_train_begin()
    with pytest.warns(UserWarning, match="`val_lss` which is not available. Available "
                                         "metrics are: loss,val_loss,learning_rate"):
        cbs.on_epoch_end(0, {"loss": 1.0, "val_loss": 1.0})


def test_reduce_lr_on_plateau_in_fit_puts_the_rate_in_history():
    model = make_model()
    history = model.fit(*make_data(), batch_size=32, epochs=3, verbose=0,
                        callbacks=[ReduceLROnPlateau(monitor="loss", factor=0.5,
                                                     patience=0, min_delta=10.0)])
    np.testing.assert_allclose(history.history["learning_rate"], [0.1, 0.1, 0.05],
                               rtol=1e-6)
