"""CSVLogger rows; a NaN loss in History, and TerminateOnNaN stopping at that batch."""
import csv
import math

import numpy as np
import pytest
from callback_helpers import make_data, make_model

from kfront.callbacks import CSVLogger, LambdaCallback, TerminateOnNaN


def _rows(path, sep=","):
    with open(path, newline="") as f:
        return list(csv.reader(f, delimiter=sep))


def test_csv_logger_writes_history_then_appends_without_second_header(tmp_path):
    path = str(tmp_path / "log.csv")
    model = make_model()
    x, y = make_data()
    history = model.fit(x, y, batch_size=16, epochs=2, verbose=0,
                        callbacks=[CSVLogger(path)])
    rows = _rows(path)
    assert rows[0] == ["epoch", "loss", "val_loss"]
    assert [r[0] for r in rows[1:]] == ["0", "1"]
    np.testing.assert_allclose([float(r[1]) for r in rows[1:]], history.history["loss"],
                               rtol=1e-7)
    assert [r[2] for r in rows[1:]] == ["NA", "NA"]  # no validation: columns kept, empty
    model.fit(x, y, batch_size=16, epochs=1, verbose=0, validation_data=(x, y),
              callbacks=[CSVLogger(path, append=True)])
    rows = _rows(path)
    assert len(rows) == 4 and rows[0][0] == "epoch" and rows[3][0] == "0"
    assert rows[3][2] != "NA"
    model.fit(x, y, batch_size=16, epochs=1, verbose=0, callbacks=[CSVLogger(path, ";")])
    assert _rows(path, ";")[0] == ["epoch", "loss", "val_loss"]  # overwritten


def test_csv_logger_refuses_a_multi_character_separator(tmp_path):
    with pytest.raises(ValueError, match="single character"):
        CSVLogger(str(tmp_path / "log.csv"), separator=", ")


def _nan_data():
    x, y = make_data()
    x[17, 1] = np.nan  # in the third batch of 8
    return x, y


def test_nan_loss_shows_plainly_in_history_without_terminate_on_nan():
    model = make_model()
    history = model.fit(*_nan_data(), batch_size=8, epochs=2, verbose=0, shuffle=False)
    assert len(history.history["loss"]) == 2
    assert all(math.isnan(v) for v in history.history["loss"])


def test_terminate_on_nan_stops_at_the_bad_batch(capsys):
    model = make_model()
    batches = []
    seen = LambdaCallback(on_train_batch_end=lambda batch, logs: batches.append(batch))
    history = model.fit(*_nan_data(), batch_size=8, epochs=3, verbose=0, shuffle=False,
                        callbacks=[TerminateOnNaN(), seen])
    assert batches == [0, 1, 2] and model.stop_training
    assert len(history.history["loss"]) == 1 and math.isnan(history.history["loss"][0])
    assert "Batch 2: Invalid loss, terminating training" in capsys.readouterr().out


def test_terminate_on_nan_can_raise():
    model = make_model()
    with pytest.raises(RuntimeError, match="NaN or Inf loss encountered at batch 2"):
        model.fit(*_nan_data(), batch_size=8, epochs=1, verbose=0, shuffle=False,
                  callbacks=[TerminateOnNaN(raise_error=True)])
