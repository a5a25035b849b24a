"""``Model.fit``: History, its arguments, callbacks and progress output."""
import re

import numpy as np
import pytest

import kfront
from kfront import callbacks, optimizers
from trainer_helpers import (X, Y_BINARY, binary_model, np_bce, np_forward, weighted_mean)


class Recorder(callbacks.Callback):
    """Records the hooks fit calls, with the epoch/batch index and the log keys."""

    def __init__(self):
        super().__init__()
        self.events = []

    def on_train_begin(self, logs=None):
        self.events.append(("train_begin",))

    def on_epoch_begin(self, epoch, logs=None):
        self.events.append(("epoch_begin", epoch))

    def on_train_batch_end(self, batch, logs=None):
        self.events.append(("batch_end", batch, tuple(sorted(logs))))

    def on_epoch_end(self, epoch, logs=None):
        self.events.append(("epoch_end", epoch, dict(logs)))

    def on_train_end(self, logs=None):
        self.events.append(("train_end",))

    def batches(self, epoch):
        """The batch indices seen in ``epoch``."""
        out, current = [], None
        for event in self.events:
            if event[0] == "epoch_begin":
                current = event[1]
            elif event[0] == "batch_end" and current == epoch:
                out.append(event[1])
        return out


@pytest.fixture(scope="module")
def frozen_model():
    """A compiled model whose weights never change (learning rate 0): every loss it
    reports must equal the NumPy loss of its fixed weights."""
    model = binary_model()
    model.compile(optimizer=optimizers.SGD(learning_rate=0.0), loss="binary_crossentropy",
                  metrics=["accuracy"])
    return model


def np_loss(model, x, y, sample_weight=None):
    return weighted_mean(np_bce(y, np_forward(model, x)), sample_weight)


def np_accuracy(model, x, y):
    return float(((np_forward(model, x) > 0.5) == (y > 0.5)).mean())


def test_history_keys_epochs_and_values(frozen_model):
    history = frozen_model.fit(X, Y_BINARY, batch_size=16, epochs=3, verbose=0,
                               validation_split=0.25)
    assert history is frozen_model.history
    assert isinstance(history, callbacks.History)
    assert history.epoch == [0, 1, 2]
    assert set(history.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert all(len(v) == 3 for v in history.history.values())
    # validation_split holds out the last 25% of the samples, before any shuffling.
    train_x, train_y, val_x, val_y = X[:48], Y_BINARY[:48], X[48:], Y_BINARY[48:]
    for epoch in range(3):
        assert history.history["loss"][epoch] == pytest.approx(
            np_loss(frozen_model, train_x, train_y), rel=1e-5)
        assert history.history["accuracy"][epoch] == pytest.approx(
            np_accuracy(frozen_model, train_x, train_y), rel=1e-6)
        assert history.history["val_loss"][epoch] == pytest.approx(
            np_loss(frozen_model, val_x, val_y), rel=1e-5)
        assert history.history["val_accuracy"][epoch] == pytest.approx(
            np_accuracy(frozen_model, val_x, val_y), rel=1e-6)


def test_epoch_loss_is_the_sample_weighted_mean_over_uneven_batches(frozen_model):
    # 64 samples in batches of 24: 24, 24, 16. The epoch loss weighs batches by size.
    history = frozen_model.fit(X, Y_BINARY, batch_size=24, epochs=1, verbose=0)
    assert history.history["loss"][0] == pytest.approx(np_loss(frozen_model, X, Y_BINARY),
                                                        rel=1e-5)


def test_validation_data_tuple_and_with_sample_weight(frozen_model):
    val_x, val_y = X[:20], Y_BINARY[:20]
    sw = np.linspace(0.0, 2.0, 20).astype("float32")
    history = frozen_model.fit(X, Y_BINARY, batch_size=16, epochs=1, verbose=0,
                               validation_data=(val_x, val_y))
    assert history.history["val_loss"][0] == pytest.approx(np_loss(frozen_model, val_x, val_y),
                                                           rel=1e-5)
    history = frozen_model.fit(X, Y_BINARY, batch_size=16, epochs=1, verbose=0,
                               validation_data=(val_x, val_y, sw), validation_batch_size=8)
    assert history.history["val_loss"][0] == pytest.approx(
        np_loss(frozen_model, val_x, val_y, sw), rel=1e-5)
    # A list [x, y] is read as a tuple, as in Keras.
    history = frozen_model.fit(X, Y_BINARY, batch_size=16, epochs=1, verbose=0,
                               validation_data=[val_x, val_y])
    assert history.history["val_loss"][0] == pytest.approx(np_loss(frozen_model, val_x, val_y),
                                                           rel=1e-5)


def test_sample_weight_scales_the_loss(frozen_model):
    sw = np.where(np.arange(64) % 2 == 0, 0.0, 3.0).astype("float32")
    history = frozen_model.fit(X, Y_BINARY, sample_weight=sw, batch_size=16, epochs=1,
                               verbose=0)
    want = np_loss(frozen_model, X, Y_BINARY, sw)
    assert history.history["loss"][0] == pytest.approx(want, rel=1e-5)
    assert want != pytest.approx(np_loss(frozen_model, X, Y_BINARY), rel=1e-3)


def test_class_weight_becomes_sample_weight(frozen_model):
    class_weight = {0: 0.25, 1: 4.0}
    history = frozen_model.fit(X, Y_BINARY, class_weight=class_weight, batch_size=16, epochs=1,
                               verbose=0)
    sw = np.where(Y_BINARY[:, 0] > 0.5, 4.0, 0.25)
    assert history.history["loss"][0] == pytest.approx(
        np_loss(frozen_model, X, Y_BINARY, sw), rel=1e-5)


def test_initial_epoch_and_validation_freq(frozen_model, capsys):
    history = frozen_model.fit(X, Y_BINARY, batch_size=16, epochs=5, initial_epoch=3,
                               verbose=2, validation_data=(X, Y_BINARY))
    assert history.epoch == [3, 4]
    assert len(history.history["loss"]) == 2
    out = capsys.readouterr().out
    assert "Epoch 4/5" in out and "Epoch 5/5" in out and "Epoch 3/5" not in out
    history = frozen_model.fit(X, Y_BINARY, batch_size=16, epochs=4, verbose=0,
                               validation_data=(X, Y_BINARY), validation_freq=2)
    assert len(history.history["loss"]) == 4
    assert len(history.history["val_loss"]) == 2


def test_steps_per_epoch_and_callbacks(frozen_model):
    recorder = Recorder()
    frozen_model.fit(X, Y_BINARY, batch_size=16, epochs=2, steps_per_epoch=3, verbose=0,
                     callbacks=[recorder])
    assert recorder.events[0] == ("train_begin",)
    assert recorder.events[-1] == ("train_end",)
    assert recorder.batches(0) == [0, 1, 2]
    assert recorder.batches(1) == [0, 1, 2]
    epoch_ends = [e for e in recorder.events if e[0] == "epoch_end"]
    assert [e[1] for e in epoch_ends] == [0, 1]
    assert set(epoch_ends[0][2]) == {"loss", "accuracy"}
    assert all(isinstance(v, float) for v in epoch_ends[0][2].values())
    batch_logs = [e[2] for e in recorder.events if e[0] == "batch_end"]
    assert batch_logs[0] == ("accuracy", "loss")
    # More steps than one pass over the data: the arrays are cycled.
    recorder = Recorder()
    frozen_model.fit(X, Y_BINARY, batch_size=32, epochs=1, steps_per_epoch=5, verbose=0,
                     callbacks=[recorder])
    assert recorder.batches(0) == [0, 1, 2, 3, 4]


def test_lambda_callback_and_stop_training(frozen_model):
    seen = []

    def on_epoch_end(epoch, logs):
        seen.append(epoch)
        if epoch == 1:
            frozen_model.stop_training = True

    history = frozen_model.fit(X, Y_BINARY, batch_size=32, epochs=10, verbose=0,
                               callbacks=[callbacks.LambdaCallback(on_epoch_end=on_epoch_end)])
    assert seen == [0, 1]
    assert history.epoch == [0, 1]


def test_verbose_0_prints_nothing(frozen_model, capsys):
    frozen_model.fit(X, Y_BINARY, batch_size=16, epochs=2, verbose=0)
    assert capsys.readouterr().out == ""


def test_verbose_2_prints_one_line_per_epoch(frozen_model, capsys):
    frozen_model.fit(X, Y_BINARY, batch_size=16, epochs=2, verbose=2,
                     validation_data=(X, Y_BINARY))
    lines = [line for line in capsys.readouterr().out.splitlines() if line.strip()]
    assert lines[0] == "Epoch 1/2" and lines[2] == "Epoch 2/2"
    assert len(lines) == 4
    pattern = (r"^4/4 - \d+s - \d+(ms|us|s)/step - loss: \d\.\d{4} - accuracy: \d\.\d{4} - "
               r"val_loss: \d\.\d{4} - val_accuracy: \d\.\d{4}$")
    assert re.match(pattern, lines[1]), lines[1]
    loss = float(re.search(r" loss: (\d\.\d{4})", lines[1]).group(1))
    assert loss == pytest.approx(np_loss(frozen_model, X, Y_BINARY), abs=1e-4)


def test_verbose_1_prints_a_progress_bar(frozen_model, capsys):
    frozen_model.fit(X, Y_BINARY, batch_size=16, epochs=2, verbose=1)
    out = capsys.readouterr().out
    assert out.count("Epoch 1/2") == 1 and out.count("Epoch 2/2") == 1
    final = out.split("Epoch 2/2")[1].split("\r")[-1].strip()
    assert re.search(r"^4/4 .*\d+(ms|us|s)/step .*loss: \d\.\d{4}", final), final
    assert "accuracy:" in final


def test_default_verbose_is_the_progress_bar(frozen_model, capsys):
    frozen_model.fit(X, Y_BINARY, batch_size=32, epochs=1)
    assert "2/2" in capsys.readouterr().out


def test_shuffle_false_equals_train_on_batch_in_order():
    def make():
        model = binary_model(seed=1)
        model.compile(optimizer=optimizers.SGD(0.1, momentum=0.5), loss="binary_crossentropy")
        return model

    fitted = make()
    fitted.fit(X, Y_BINARY, batch_size=16, epochs=1, shuffle=False, verbose=0)
    stepped = make()
    for start in range(0, 64, 16):
        stepped.train_on_batch(X[start:start + 16], Y_BINARY[start:start + 16])
    for a, b in zip(fitted.get_weights(), stepped.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    assert int(fitted.optimizer.iterations.numpy()) == 4

    shuffled = make()
    shuffled.fit(X, Y_BINARY, batch_size=16, epochs=1, shuffle=True, verbose=0)
    assert not np.allclose(shuffled.get_weights()[0], fitted.get_weights()[0], atol=1e-6)


def test_fit_on_tensors_and_number_lists():
    model = binary_model()
    model.compile(optimizer=optimizers.SGD(0.0), loss="binary_crossentropy")
    history = model.fit(kfront.ops.convert_to_tensor(X), kfront.ops.convert_to_tensor(Y_BINARY),
                        batch_size=32, epochs=1, verbose=0)
    want = np_loss(model, X, Y_BINARY)
    assert history.history["loss"][0] == pytest.approx(want, rel=1e-5)
    history = model.fit(X.tolist(), Y_BINARY[:, 0].tolist(), batch_size=32, epochs=1, verbose=0)
    assert history.history["loss"][0] == pytest.approx(want, rel=1e-5)
