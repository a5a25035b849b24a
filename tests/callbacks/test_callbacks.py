"""Callbacks: hook dispatch, History, LambdaCallback, ProgbarLogger output, EarlyStopping."""
import re
import warnings

import numpy as np
import pytest

from kfront import callbacks
from kfront.callbacks.callback import HOOKS


class Recorder(callbacks.Callback):
    """Overrides every hook and records (tag, hook, argument)."""

    def __init__(self, tag, log):
        super().__init__()
        self.tag, self.log = tag, log


def _recording_hook(hook):
    def method(self, *args, **kwargs):
        self.log.append((self.tag, hook) + tuple(a for a in args if isinstance(a, int)))
    return method


for _hook in HOOKS:
    setattr(Recorder, _hook, _recording_hook(_hook))


def run_fit(cbs, epochs=2, steps=2, validate=True):
    """Drives the hooks in the order ``fit`` does."""
    cbs.on_train_begin()
    for epoch in range(epochs):
        cbs.on_epoch_begin(epoch)
        for step in range(steps):
            cbs.on_train_batch_begin(step)
            cbs.on_train_batch_end(step, {"loss": 1.0 / (step + 1)})
        if validate:
            cbs.on_test_begin()
            cbs.on_test_batch_begin(0)
            cbs.on_test_batch_end(0, {"loss": 0.5})
            cbs.on_test_end({"loss": 0.5})
        cbs.on_epoch_end(epoch, {"loss": 0.25, "val_loss": 0.5})
        if getattr(cbs.model, "stop_training", False):
            break
    cbs.on_train_end()


class FakeModel:
    """get_weights/set_weights over a list of arrays; ``metrics`` as a model has them."""

    def __init__(self, metrics=()):
        self.weights = [np.zeros(2), np.zeros(())]
        self.stop_training = False
        self.metrics = list(metrics)

    def get_weights(self):
        return [w.copy() for w in self.weights]

    def set_weights(self, weights):
        self.weights = [np.array(w) for w in weights]


# --- dispatch ----------------------------------------------------------------------------


def test_every_hook_reaches_every_callback_in_order():
    log = []
    cbs = callbacks.CallbackList([Recorder("a", log), [Recorder("b", log)]], model=FakeModel())
    run_fit(cbs, epochs=1, steps=1)
    hooks = [h for t, h, *_ in log if t == "a"]
    assert hooks == ["on_train_begin", "on_epoch_begin", "on_train_batch_begin",
                     "on_train_batch_end", "on_test_begin", "on_test_batch_begin",
                     "on_test_batch_end", "on_test_end", "on_epoch_end", "on_train_end"]
    # Callbacks are called in list order for each hook.
    assert [t for t, *_ in log] == ["a", "b"] * len(hooks)
    cbs.on_predict_begin()
    cbs.on_predict_batch_begin(3)
    cbs.on_predict_batch_end(3, {"outputs": None})
    cbs.on_predict_end()
    cbs.on_batch_begin(4)
    cbs.on_batch_end(4)
    assert [entry for entry in log[-12:] if entry[0] == "a"] == [
        ("a", "on_predict_begin"), ("a", "on_predict_batch_begin", 3),
        ("a", "on_predict_batch_end", 3), ("a", "on_predict_end"),
        ("a", "on_batch_begin", 4), ("a", "on_batch_end", 4)]


def test_unused_hooks_are_not_dispatched():
    class EpochOnly(callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            pass

    cbs = callbacks.CallbackList([EpochOnly(), callbacks.History()])
    for hook in ("on_train_batch_begin", "on_train_batch_end", "on_test_batch_end",
                 "on_predict_batch_end"):
        assert not cbs.has_hook(hook), hook
        assert cbs._handlers[hook] == []
    assert cbs.has_hook("on_epoch_end") and len(cbs._handlers["on_epoch_end"]) == 2
    cbs_with_bar = callbacks.CallbackList([], add_progbar=True, verbose=1, epochs=1, steps=1)
    assert cbs_with_bar.has_hook("on_train_batch_end")


def test_deprecated_batch_hooks_are_called_for_train_batches():
    seen = []

    class Old(callbacks.Callback):
        def on_batch_begin(self, batch, logs=None):
            seen.append(("begin", batch))

        def on_batch_end(self, batch, logs=None):
            seen.append(("end", batch, logs["loss"]))

    cbs = callbacks.CallbackList([Old()])
    assert cbs.has_hook("on_train_batch_end")
    cbs.on_train_batch_begin(0)
    cbs.on_train_batch_end(0, {"loss": 2.0})
    assert seen == [("begin", 0), ("end", 0, 2.0)]


def test_set_model_set_params_and_defaults():
    model = FakeModel()
    hist = callbacks.History()
    cbs = callbacks.CallbackList([hist], add_history=True, add_progbar=True, model=model,
                                 verbose=2, epochs=3, steps=10)
    assert cbs.callbacks[0] is hist and len(cbs.callbacks) == 2  # no second History
    bar = cbs.callbacks[1]
    assert isinstance(bar, callbacks.ProgbarLogger)
    assert all(cb.model is model for cb in cbs.callbacks)
    assert hist.params == {"verbose": 2, "epochs": 3, "steps": 10}
    assert (bar.verbose, bar.epochs, bar.target) == (2, 3, 10)
    extra = callbacks.LambdaCallback(on_train_batch_end=lambda batch, logs: None)
    cbs.append(extra)
    assert extra.model is model and cbs.has_hook("on_train_batch_end")


def test_callbacks_added_to_the_list_later_are_dispatched():
    log = []
    cbs = callbacks.CallbackList([])
    cbs.callbacks.append(Recorder("late", log))
    cbs.on_train_begin()
    cbs.on_train_batch_end(0)
    assert log == [("late", "on_train_begin"), ("late", "on_train_batch_end", 0)]


def test_logs_become_python_floats_at_epoch_level():
    got = {}
    cbs = callbacks.CallbackList([callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: got.update(logs))])
    cbs.on_epoch_end(0, {"loss": np.float32(0.5), "acc": np.array(0.25)})
    assert got == {"loss": 0.5, "acc": 0.25}
    assert all(type(v) is float for v in got.values())


# --- History and LambdaCallback ----------------------------------------------------------


def test_history_records_epoch_logs():
    hist = callbacks.History()
    cbs = callbacks.CallbackList([hist], model=FakeModel())
    run_fit(cbs, epochs=3)
    assert hist.epoch == [0, 1, 2]
    assert hist.history == {"loss": [0.25] * 3, "val_loss": [0.5] * 3}


def test_lambda_callback():
    calls = []
    cb = callbacks.LambdaCallback(
        on_train_begin=lambda logs: calls.append("train_begin"),
        on_epoch_end=lambda epoch, logs: calls.append(("epoch_end", epoch, logs["loss"])),
        on_train_batch_end=lambda batch, logs: calls.append(("batch", batch)),
        on_test_end=lambda logs: calls.append("test_end"),
    )
    cbs = callbacks.CallbackList([cb], model=FakeModel())
    assert not cbs.has_hook("on_train_batch_begin")
    run_fit(cbs, epochs=1, steps=2)
    assert calls == ["train_begin", ("batch", 0), ("batch", 1), "test_end",
                     ("epoch_end", 0, 0.25)]
    with pytest.raises(ValueError, match="unknown hook 'on_epoch_ending'"):
        callbacks.LambdaCallback(on_epoch_ending=print)
    with pytest.raises(ValueError, match="`on_epoch_end` must be callable"):
        callbacks.LambdaCallback(on_epoch_end=3)


# --- ProgbarLogger -----------------------------------------------------------------------

LINE = re.compile(r"^2/2 ━{20} \d+s \d+(us|ms|s)/step - loss: 0\.2500 - val_loss: 0\.5000$")


def test_progbar_logger_verbose_1(capsys):
    cbs = callbacks.CallbackList([], add_progbar=True, verbose=1, epochs=2, steps=2)
    run_fit(cbs, epochs=2, steps=2)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Epoch 1/2" and lines[2] == "Epoch 2/2" and len(lines) == 4
    assert LINE.match(lines[1]), lines[1]
    assert LINE.match(lines[3]), lines[3]


def test_progbar_logger_verbose_2_and_single_epoch(capsys):
    cbs = callbacks.CallbackList([], add_progbar=True, verbose=2, epochs=1, steps=2)
    run_fit(cbs, epochs=1, steps=2)
    out = capsys.readouterr().out
    assert re.fullmatch(
        r"2/2 - \d+s - \d+(us|ms|s)/step - loss: 0\.2500 - val_loss: 0\.5000\n", out), out


def test_progbar_logger_unknown_steps_and_evaluate(capsys):
    cbs = callbacks.CallbackList([], add_progbar=True, verbose=1, epochs=1, steps=None)
    run_fit(cbs, epochs=1, steps=3, validate=False)
    out = capsys.readouterr().out
    assert re.fullmatch(r"3/3 ━{20} \d+s \d+(us|ms|s)/step - loss: 0\.2500 - "
                        r"val_loss: 0\.5000\n", out), out
    # evaluate on its own prints its bar; validation inside fit did not.
    cbs = callbacks.CallbackList([], add_progbar=True, verbose=1, epochs=1, steps=4)
    cbs.on_test_begin()
    for step in range(4):
        cbs.on_test_batch_end(step, {"loss": 0.1})
    cbs.on_test_end({"loss": 0.125, "accuracy": 1.0})
    out = capsys.readouterr().out
    assert re.fullmatch(r"4/4 ━{20} \d+s \d+(us|ms|s)/step - loss: 0\.1250 - "
                        r"accuracy: 1\.0000\n", out), out


# --- EarlyStopping -----------------------------------------------------------------------


def drive(cb, values, key="val_loss", model=None):
    """Runs epochs with the monitored values, stopping as ``fit`` does; returns the model."""
    model = model or FakeModel()
    cbs = callbacks.CallbackList([cb], model=model)
    cbs.on_train_begin()
    for epoch, value in enumerate(values):
        model.weights[1] = np.array(float(epoch))  # the weights remember the epoch
        cbs.on_epoch_end(epoch, {"loss": 1.0, key: value})
        if model.stop_training:
            break
    cbs.on_train_end()
    return model, epoch


def test_early_stopping_patience():
    cb = callbacks.EarlyStopping(patience=2)
    model, last = drive(cb, [1.0, 0.8, 0.9, 0.85, 0.7, 0.6])
    assert model.stop_training and last == 3 and cb.stopped_epoch == 3
    assert cb.best == 0.8 and cb.best_epoch == 1
    assert float(model.weights[1]) == 3.0  # weights are not restored by default


def test_early_stopping_restores_best_weights(capsys):
    cb = callbacks.EarlyStopping(monitor="val_loss", patience=1, restore_best_weights=True,
                                 verbose=1)
    model, last = drive(cb, [1.0, 0.5, 0.7, 0.2])
    assert last == 2 and float(model.weights[1]) == 1.0
    assert capsys.readouterr().out == (
        "Epoch 3: early stopping\nRestoring model weights from the end of the best epoch: 2.\n")


def test_early_stopping_min_delta_and_max_mode():
    cb = callbacks.EarlyStopping(monitor="val_accuracy", mode="max", min_delta=0.05, patience=1)
    model, last = drive(cb, [0.5, 0.52, 0.9], key="val_accuracy")
    assert model.stop_training and last == 1  # +0.02 is below min_delta
    cb = callbacks.EarlyStopping(monitor="val_accuracy", patience=1)  # auto -> max by name
    model, last = drive(cb, [0.5, 0.6, 0.7, 0.65, 0.6], key="val_accuracy")
    assert last == 3 and cb.best == 0.7


def test_early_stopping_auto_mode_from_metric_direction():
    class Metric:
        def __init__(self, name, direction):
            self.name, self._direction = name, direction

    class Container:
        metrics = [Metric("my_score", "up")]

    model = FakeModel(metrics=[Container()])
    cb = callbacks.EarlyStopping(monitor="val_my_score", patience=0)
    _, last = drive(cb, [0.1, 0.3, 0.2], key="val_my_score", model=model)
    assert last == 2 and cb.best == 0.3
    cb = callbacks.EarlyStopping(monitor="val_mystery")
    with pytest.raises(ValueError, match="monitor='val_mystery'.*mode='max'.*mode='min'"):
        drive(cb, [0.1], key="val_mystery")


def test_early_stopping_baseline_and_start_from_epoch():
    cb = callbacks.EarlyStopping(patience=2, baseline=0.5)
    model, last = drive(cb, [0.9, 0.8, 0.7, 0.6])
    assert not model.stop_training and last == 3  # still improving: never stopped
    cb = callbacks.EarlyStopping(patience=2, baseline=0.5)
    model, last = drive(cb, [0.9, 0.8, 0.85, 0.6])
    # Two epochs short of the baseline used up the patience: the first setback stops.
    assert model.stop_training and last == 2 and cb.best == 0.8
    cb = callbacks.EarlyStopping(patience=2, baseline=0.5)
    model, last = drive(cb, [0.9, 0.4, 0.45, 0.46, 0.3])
    assert model.stop_training and last == 3 and cb.best == 0.4
    cb = callbacks.EarlyStopping(patience=0, start_from_epoch=2)
    model, last = drive(cb, [1.0, 2.0, 3.0, 2.5, 2.6])
    assert last == 4 and cb.best == 2.5


def test_early_stopping_warns_with_available_keys():
    cb = callbacks.EarlyStopping(monitor="val_los")
    with pytest.warns(UserWarning, match="`val_los` which is not available. "
                                         "Available metrics are: loss,val_loss"):
        model, last = drive(cb, [1.0, 1.0, 1.0], key="val_loss")
    assert not model.stop_training and last == 2


def test_early_stopping_unknown_mode_warns():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        cb = callbacks.EarlyStopping(mode="maximum")
    assert cb.mode == "auto" and "'maximum' is unknown" in str(caught[0].message)
