"""ModelCheckpoint: file names, best-only saving, batch frequency, formats and errors."""
import os
import re

import numpy as np
import pytest
from callback_helpers import ScriptedLogs, WeightsRecorder, make_data, make_model

import kfront
from kfront.callbacks import ModelCheckpoint


def _assert_weights(model_or_path, expected):
    if isinstance(model_or_path, str):
        model_or_path = kfront.saving.load_model(model_or_path)
    for got, want in zip(model_or_path.get_weights(), expected):
        np.testing.assert_array_equal(got, want)


def test_epoch_and_log_keys_format_the_file_name_and_files_hold_that_epoch(tmp_path):
    model = make_model()
    rec = WeightsRecorder()
    pattern = str(tmp_path / "ckpt" / "{epoch:02d}-{loss:.4f}.keras")
    history = model.fit(*make_data(), batch_size=8, epochs=3, verbose=0,
                        callbacks=[rec, ModelCheckpoint(pattern, monitor="loss")])
    names = sorted(os.listdir(tmp_path / "ckpt"))
    assert names == [f"{e + 1:02d}-{loss:.4f}.keras"
                     for e, loss in enumerate(history.history["loss"])]
    for epoch, name in enumerate(names):
        _assert_weights(str(tmp_path / "ckpt" / name), rec.weights[epoch])


def test_save_best_only_keeps_the_best_epoch(tmp_path, capsys):
    model = make_model()
    rec = WeightsRecorder()
    path = str(tmp_path / "best.weights.h5")
    scores = [0.5, 0.7, 0.6, 0.65]
    ckpt = ModelCheckpoint(path, monitor="val_accuracy", save_best_only=True,
                           save_weights_only=True, verbose=1)  # auto: max for accuracy
    model.fit(*make_data(), batch_size=8, epochs=4, verbose=0,
              callbacks=[rec, ScriptedLogs("val_accuracy", scores), ckpt])
    assert ckpt.best == 0.7
    fresh = make_model(seed=5)
    fresh.load_weights(path)
    _assert_weights(fresh, rec.weights[1])
    out = capsys.readouterr().out
    assert "Epoch 1: val_accuracy improved from None to 0.50000, saving model to" in out
    assert "Epoch 2: val_accuracy improved from 0.50000 to 0.70000" in out
    assert "Epoch 3: val_accuracy did not improve from 0.70000" in out


def test_mode_min_and_initial_value_threshold(tmp_path):
    model = make_model()
    path = str(tmp_path / "m.weights.h5")
    ckpt = ModelCheckpoint(path, monitor="val_score", mode="min", save_best_only=True,
                           save_weights_only=True, initial_value_threshold=0.1)
    model.fit(*make_data(), batch_size=8, epochs=2, verbose=0,
              callbacks=[ScriptedLogs("val_score", [0.3, 0.2]), ckpt])
    assert not os.path.exists(path)  # neither epoch beat the threshold


def test_integer_save_freq_saves_every_n_batches(tmp_path):
    model = make_model()
    pattern = str(tmp_path / "{epoch}-{batch}.weights.h5")
    # 32 samples in batches of 8: four batches per epoch.
    model.fit(*make_data(), batch_size=8, epochs=2, verbose=0,
              callbacks=[ModelCheckpoint(pattern, save_freq=3, save_weights_only=True)])
    assert sorted(os.listdir(tmp_path)) == ["1-3.weights.h5", "2-2.weights.h5"]


@pytest.mark.parametrize("suffix", [".h5", ".kfront"])
def test_legacy_h5_and_kfront_paths(tmp_path, suffix):
    model = make_model()
    rec = WeightsRecorder()
    path = str(tmp_path / f"model{suffix}")
    model.fit(*make_data(), batch_size=32, epochs=1, verbose=0,
              callbacks=[rec, ModelCheckpoint(path, monitor="loss")])
    _assert_weights(path, rec.weights[0])


def test_missing_monitor_warns_with_available_keys_and_still_saves(tmp_path):
    model = make_model()
    path = str(tmp_path / "m.keras")
    with pytest.warns(UserWarning, match="Can save best model only with val_loss available. "
                                         "Available metrics are: loss"):
        model.fit(*make_data(), batch_size=32, epochs=1, verbose=0,
                  callbacks=[ModelCheckpoint(path, save_best_only=True)])
    assert os.path.exists(path)


def test_bad_arguments_are_refused(tmp_path):
    with pytest.raises(ValueError, match="must end in `.weights.h5`"):
        ModelCheckpoint(str(tmp_path / "w.keras"), save_weights_only=True)
    with pytest.raises(ValueError, match=re.escape("must end in `.keras`")):
        ModelCheckpoint(str(tmp_path / "m.pt"))
    with pytest.raises(ValueError, match="Unrecognized save_freq: 'batch'"):
        ModelCheckpoint(str(tmp_path / "m.keras"), save_freq="batch")
    with pytest.raises(ValueError, match="Unrecognized save_freq: 0"):
        ModelCheckpoint(str(tmp_path / "m.keras"), save_freq=0)
    with pytest.warns(UserWarning, match="mode 'best' is unknown"):
        ModelCheckpoint(str(tmp_path / "m.keras"), mode="best")


def test_unknown_format_key_and_directory_path(tmp_path):
    model = make_model()
    with pytest.raises(KeyError, match="Failed to format this callback filepath.*val_acc"):
        model.fit(*make_data(), batch_size=32, epochs=1, verbose=0,
                  callbacks=[ModelCheckpoint(str(tmp_path / "{val_acc}.keras"))])
    os.makedirs(tmp_path / "d.keras")
    with pytest.raises(IOError, match="non-directory filepath"):
        model.fit(*make_data(), batch_size=32, epochs=1, verbose=0,
                  callbacks=[ModelCheckpoint(str(tmp_path / "d.keras"))])


def test_keras2_period_and_h5_weights_name(tmp_path):
    model = make_model()
    rec = WeightsRecorder()
    with pytest.warns(DeprecationWarning, match="`period` is deprecated"):
        by_two = ModelCheckpoint(str(tmp_path / "m{epoch}.keras"), period=2)
    with pytest.warns(DeprecationWarning, match="ending in .h5/.hdf5 is deprecated"):
        weights = ModelCheckpoint(str(tmp_path / "w.hdf5"), save_weights_only=True)
    model.fit(*make_data(), batch_size=32, epochs=4, verbose=0,
              callbacks=[rec, by_two, weights])
    assert sorted(os.listdir(tmp_path)) == ["m2.keras", "m4.keras", "w.hdf5"]
    _assert_weights(str(tmp_path / "m2.keras"), rec.weights[1])
    fresh = make_model(seed=7)
    fresh.load_weights(str(tmp_path / "w.hdf5"))
    _assert_weights(fresh, rec.weights[3])
    with pytest.raises(TypeError, match="unexpected keyword argument.*'monitr'"):
        ModelCheckpoint(str(tmp_path / "m.keras"), monitr="loss")
