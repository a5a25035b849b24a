"""``BackupAndRestore``: lets an interrupted ``fit`` resume where it stopped."""
import io
import json
import os

import h5py

from kfront.callbacks.callback import Callback
from kfront.callbacks.save_frequency import BatchCounter, is_valid_save_freq
from kfront.distribution.api import is_chief
from kfront.random.global_state import global_rng
from kfront.saving import h5_store
from kfront.saving.file_io import atomic_copy, atomic_write

_METADATA_ATTR = "training_metadata"


class BackupAndRestore(Callback):
    """Backs up the model's weights, the optimizer state, the epoch reached and the
    shuffling generator's state in ``backup_dir``. A later ``fit`` with the same callback
    (e.g. after the process was killed) restores them and continues from the next epoch,
    giving the same result as an uninterrupted run.

    Args:
        backup_dir: a directory used only for this backup.
        save_freq: "epoch", or an integer number of batches between backups (a run
            resumed from a mid-epoch backup restarts that epoch).
        double_checkpoint: keep the previous backup too (``*.bkp``), used when the
            latest one cannot be read.
        delete_checkpoint: delete the backup when ``fit`` ends normally.

    The model must be built before ``fit`` (restored weights need variables to go into).
    """

    def __init__(self, backup_dir, save_freq="epoch", double_checkpoint=False,
                 delete_checkpoint=True):
        super().__init__()
        if not backup_dir:
            raise ValueError("Empty `backup_dir` argument passed")
        if not is_valid_save_freq(save_freq):
            raise ValueError("Invalid value for argument `save_freq`. Received: "
                             f"save_freq={save_freq!r}. Expected either 'epoch' or a "
                             "positive integer value.")
        self.backup_dir = os.fspath(backup_dir)
        self.save_freq = save_freq
        self.double_checkpoint = double_checkpoint
        self.delete_checkpoint = delete_checkpoint
        self._weights_path = os.path.join(self.backup_dir, "latest.weights.h5")
        self._training_metadata_path = os.path.join(self.backup_dir, "training_metadata.json")
        self._prev_weights_path = self._weights_path + ".bkp"
        self._batches = None if save_freq == "epoch" else BatchCounter(save_freq)
        self._last_batch_seen = 0
        self._current_epoch = 0

    # ---- restoring ----
    def on_train_begin(self, logs=None):
        if not self.model.built:
            raise ValueError(
                "To use the BackupAndRestore callback, your model must be built before you "
                f"call `fit()`. Model {self.model.name!r} is unbuilt. You can build it "
                "beforehand by calling it on a batch of data.")
        self._current_epoch = 0
        if not os.path.exists(self._weights_path):
            return
        try:
            metadata = self._restore(self._weights_path)
        except ValueError:
            if not os.path.exists(self._prev_weights_path):
                raise
            metadata = self._restore(self._prev_weights_path)
        self._current_epoch = int(metadata.get("epoch", 0))
        self.model._initial_epoch = self._current_epoch

    def _restore(self, path):
        with h5_store.WeightsFile(path, repr(path)) as store:
            raw = store.file.attrs.get(_METADATA_ATTR)
            h5_store.load_into(self.model, store, load_optimizer=True)
        if raw is None:
            raise ValueError(f"{path!r}: not a BackupAndRestore backup (no training "
                             "metadata).")
        metadata = json.loads(raw)
        rng_state = metadata.get("rng_state")
        if rng_state is not None:
            # Shuffling order of the remaining epochs depends on this generator.
            global_rng().bit_generator.state = rng_state
        return metadata

    # ---- backing up ----
    def on_epoch_end(self, epoch, logs=None):
        self._current_epoch = epoch + 1
        self._last_batch_seen = 0
        if self.save_freq == "epoch":
            self._save()

    def on_train_batch_end(self, batch, logs=None):
        if self._batches is not None and self._batches.step(batch):
            self._last_batch_seen = batch
            self._save()

    def _save(self):
        if not is_chief():
            return  # every process restores; only process 0 writes
        os.makedirs(self.backup_dir, exist_ok=True)
        metadata = {"epoch": self._current_epoch, "batch": self._last_batch_seen,
                    "rng_state": global_rng().bit_generator.state}
        buffer = io.BytesIO(h5_store.weights_bytes(self.model, include_optimizer=True))
        # The metadata lives inside the weights file, so one atomic rename updates both:
        # a crash can never pair new weights with an old epoch count.
        with h5py.File(buffer, "r+") as f:
            f.attrs[_METADATA_ATTR] = json.dumps(metadata)
        data = buffer.getvalue()
        if self.double_checkpoint and os.path.exists(self._weights_path):
            atomic_copy(self._weights_path, self._prev_weights_path)
        atomic_write(self._weights_path, lambda f: f.write(data))
        text = json.dumps({"epoch": metadata["epoch"], "batch": metadata["batch"]})
        atomic_write(self._training_metadata_path, lambda f: f.write(text.encode("utf-8")))

    def on_train_end(self, logs=None):
        if not self.delete_checkpoint or not is_chief():
            return
        # Only this callback's files are removed, never anything else in the directory.
        for path in (self._weights_path, self._prev_weights_path,
                     self._training_metadata_path):
            if os.path.exists(path):
                os.remove(path)
        try:
            os.rmdir(self.backup_dir)
        except OSError:
            pass
