"""BackupAndRestore: a run killed mid-fit resumes and ends with the weights of an
uninterrupted run."""
import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from callback_helpers import make_data, make_model

import kfront
from kfront.callbacks import BackupAndRestore, LambdaCallback

_SCRIPT = textwrap.dedent("""
    import os, sys
    import numpy as np
    sys.path.insert(0, {helpers!r})
    from callback_helpers import make_data, make_model
    import kfront

    backup_dir, out, crash_after = sys.argv[1], sys.argv[2], int(sys.argv[3])
    model = make_model(optimizer=kfront.optimizers.Adam(0.05))
    x, y = make_data()

    def maybe_crash(epoch, logs):
        if epoch + 1 == crash_after:
            os._exit(1)  # a kill right after this epoch's backup: no cleanup runs

    callbacks = [kfront.callbacks.BackupAndRestore(backup_dir),
                 kfront.callbacks.LambdaCallback(on_epoch_end=maybe_crash)]
    history = model.fit(x, y, batch_size=8, epochs=6, verbose=0, callbacks=callbacks)
    np.savez(out, *model.get_weights(), epochs=np.array(history.epoch))
""")


def _reference_weights():
    model = make_model(optimizer=kfront.optimizers.Adam(0.05))
    model.fit(*make_data(), batch_size=8, epochs=6, verbose=0)
    return model.get_weights()


def test_killed_run_resumes_to_the_uninterrupted_result(tmp_path):
    script = tmp_path / "train.py"
    script.write_text(_SCRIPT.format(helpers=os.path.dirname(os.path.abspath(__file__))))
    backup, out = str(tmp_path / "backup"), str(tmp_path / "out.npz")
    env = dict(os.environ)

    def run(crash_after):
        return subprocess.run([sys.executable, str(script), backup, out, str(crash_after)],
                              env=env, capture_output=True, text=True, timeout=300)

    first = run(crash_after=3)
    assert first.returncode == 1, first.stderr[-2000:]
    with open(os.path.join(backup, "training_metadata.json")) as f:
        assert json.load(f)["epoch"] == 3
    second = run(crash_after=0)
    assert second.returncode == 0, second.stderr[-2000:]
    result = np.load(out)
    assert list(result["epochs"]) == [3, 4, 5]  # only the remaining epochs ran
    assert not os.path.exists(backup)  # deleted after a complete run
    # Same shuffles (the generator state is backed up), same Adam state: same weights.
    for i, want in enumerate(_reference_weights()):
        np.testing.assert_allclose(result[f"arr_{i}"], want, rtol=1e-6, atol=1e-7)


def test_backup_contents_and_keep_checkpoint(tmp_path):
    backup = str(tmp_path / "b")
    model = make_model(optimizer=kfront.optimizers.Adam(0.05))
    saved = []
    cb = BackupAndRestore(backup, delete_checkpoint=False)
    model.fit(*make_data(), batch_size=16, epochs=2, verbose=0,
              callbacks=[cb, LambdaCallback(on_epoch_end=lambda e, l: saved.append(
                  model.get_weights()))])
    assert sorted(os.listdir(backup)) == ["latest.weights.h5", "training_metadata.json"]
    # A new fit with the same callback finds the run complete and trains no further.
    fresh = make_model(optimizer=kfront.optimizers.Adam(0.05), seed=9)
    history = fresh.fit(*make_data(), batch_size=16, epochs=2, verbose=0,
                        callbacks=[BackupAndRestore(backup)])
    assert history.epoch == []
    for got, want in zip(fresh.get_weights(), saved[-1]):
        np.testing.assert_array_equal(got, want)
    assert int(fresh.optimizer.iterations.numpy()) == 4


def test_integer_save_freq_backs_up_mid_epoch(tmp_path):
    backup = str(tmp_path / "b")
    seen = {}

    def read_metadata(batch, logs):
        with open(os.path.join(backup, "training_metadata.json")) as f:
            seen[batch] = json.load(f)

    reader = LambdaCallback(on_train_batch_end=lambda b, l: b == 3 and read_metadata(b, l))
    make_model().fit(*make_data(), batch_size=8, epochs=1, verbose=0,
                     callbacks=[BackupAndRestore(backup, save_freq=3), reader])
    assert seen == {3: {"epoch": 0, "batch": 2}}  # saved after the third batch
    assert not os.path.exists(backup)


def test_bad_arguments_and_unbuilt_model(tmp_path):
    with pytest.raises(ValueError, match="Empty `backup_dir`"):
        BackupAndRestore("")
    with pytest.raises(ValueError, match="save_freq='batch'"):
        BackupAndRestore(str(tmp_path), save_freq="batch")
    model = kfront.Sequential([kfront.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    with pytest.raises(ValueError, match="must be built before you call `fit\\(\\)`"):
        model.fit(*make_data(), epochs=1, verbose=0,
                  callbacks=[BackupAndRestore(str(tmp_path / "b"))])
    bad = tmp_path / "c"
    bad.mkdir()
    (bad / "latest.weights.h5").write_bytes(b"not hdf5")
    with pytest.raises(ValueError, match="not a valid HDF5 weights file"):
        make_model().fit(*make_data(), epochs=1, verbose=0,
                         callbacks=[BackupAndRestore(str(bad))])
