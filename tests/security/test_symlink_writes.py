"""Files kfront writes replace a symbolic link planted at their path; they never write
through it (the link could point at any file the user may write)."""
import os

import numpy as np
import pytest

import kfront as keras

if not hasattr(os, "symlink"):
    pytest.skip("no symbolic links on this system", allow_module_level=True)

VICTIM = b"precious data\n"


@pytest.fixture
def victim(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    path = outside / "victim.txt"
    path.write_bytes(VICTIM)
    return path


def _plant(path, victim):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    os.symlink(victim, path)


def _assert_replaced(path, victim):
    assert victim.read_bytes() == VICTIM, "the link was written through"
    assert not os.path.islink(path) and os.path.isfile(path)


def _fit(callbacks, epochs=2):
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    x = np.ones((8, 3), "float32")
    model.fit(x, x[:, :1], epochs=epochs, verbose=0, callbacks=callbacks,
              validation_data=(x, x[:, :1]))
    return model


@pytest.mark.parametrize("append", [False, True])
def test_csv_logger(tmp_path, victim, append):
    path = str(tmp_path / "log" / "training.csv")
    _plant(path, victim)
    if append:
        with pytest.warns(UserWarning, match="is a symbolic link; it is replaced"):
            _fit([keras.callbacks.CSVLogger(path, append=True)])
    else:
        _fit([keras.callbacks.CSVLogger(path)])
    _assert_replaced(path, victim)
    rows = open(path).read().splitlines()
    assert rows[0].startswith("epoch,") and len(rows) == 3
    assert "precious" not in open(path).read()


def test_csv_logger_appends_to_its_own_file(tmp_path):
    path = str(tmp_path / "training.csv")
    _fit([keras.callbacks.CSVLogger(path)])
    _fit([keras.callbacks.CSVLogger(path, append=True)])
    rows = open(path).read().splitlines()
    assert len(rows) == 5 and rows[0].startswith("epoch,") and not rows[3].startswith("epoch")


def test_backup_and_restore(tmp_path, victim):
    backup_dir = str(tmp_path / "backup")
    weights = os.path.join(backup_dir, "latest.weights.h5")
    previous = weights + ".bkp"
    meta = os.path.join(backup_dir, "training_metadata.json")
    _fit([keras.callbacks.BackupAndRestore(backup_dir, delete_checkpoint=False,
                                                 double_checkpoint=True)], epochs=1)
    # Planted between two runs: the backup file exists, then links replace the others.
    for path in (previous, meta):
        if os.path.lexists(path):
            os.remove(path)
        _plant(path, victim)
    _fit([keras.callbacks.BackupAndRestore(backup_dir, delete_checkpoint=False,
                                                 double_checkpoint=True)], epochs=3)
    _assert_replaced(previous, victim)
    _assert_replaced(meta, victim)


@pytest.mark.parametrize("name, weights_only", [("ckpt.kfront", False),
                                                ("ckpt.weights.h5", True)])
def test_model_checkpoint_and_save(tmp_path, victim, name, weights_only):
    path = str(tmp_path / name)
    _plant(path, victim)
    model = _fit([keras.callbacks.ModelCheckpoint(path, save_weights_only=weights_only)])
    _assert_replaced(path, victim)
    for target, save in ((tmp_path / "m.kfront", model.save),
                         (tmp_path / "w.weights.h5", model.save_weights)):
        _plant(str(target), victim)
        save(str(target))
        _assert_replaced(str(target), victim)
