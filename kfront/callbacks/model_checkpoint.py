"""``ModelCheckpoint``: saves the model (or its weights) during ``fit``."""
import os
import warnings

import numpy as np

from kfront.callbacks.log_values import scalar_logs
from kfront.callbacks.monitor_callback import MonitorCallback
from kfront.callbacks.save_frequency import BatchCounter, is_valid_save_freq
from kfront.saving import h5_store
from kfront.saving.file_io import atomic_write

_MODEL_SUFFIXES = (".keras", ".kfront", ".h5", ".hdf5")


class ModelCheckpoint(MonitorCallback):
    """Saves the model or its weights at the end of every epoch, or every ``save_freq``
    batches.

    Args:
        filepath: where to save. May hold ``str.format`` fields filled from the epoch
            (1-based), the batch (1-based, batch-level saves only) and the logs, e.g.
            ``"ckpt/{epoch:02d}-{val_loss:.2f}.keras"``. Must end in ``.weights.h5`` when
            ``save_weights_only``, else in ``.keras`` (also ``.kfront`` or legacy ``.h5``).
        monitor: the log key compared when ``save_best_only``.
        verbose: 1 prints a line for every save (or skipped save).
        save_best_only: save only when ``monitor`` improves on the best so far.
        save_weights_only: save with ``model.save_weights`` instead of ``model.save``.
        mode: "min", "max" or "auto" (from the metric's direction, or its name).
        save_freq: "epoch", or an integer number of batches between saves.
        initial_value_threshold: the value ``monitor`` must beat for the first save.

    Keras 2 forms still work, with a DeprecationWarning: ``period=n`` (save every n
    epochs), ``options=`` (ignored) and weights files named ``*.h5``/``*.hdf5``.

    >>> ModelCheckpoint("best.keras", monitor="val_accuracy", save_best_only=True)
    """

    # Writes files or prints: in a multi-process job only process 0 runs it.
    _chief_only = True

    def __init__(self, filepath, monitor="val_loss", verbose=0, save_best_only=False,
                 save_weights_only=False, mode="auto", save_freq="epoch",
                 initial_value_threshold=None, **kwargs):
        super().__init__(monitor, mode, initial_value_threshold)
        self.period = _keras2_period(kwargs)
        self.verbose = verbose
        self.filepath = os.fspath(filepath)
        self.save_best_only = save_best_only
        self.save_weights_only = save_weights_only
        self.save_freq = save_freq
        self._current_epoch = 0
        if not is_valid_save_freq(save_freq):
            raise ValueError(f"Unrecognized save_freq: {save_freq!r}. Expected save_freq "
                             "are 'epoch' or positive integer values")
        self._batches = None if save_freq == "epoch" else BatchCounter(save_freq)
        self._legacy_weights = False
        if save_weights_only:
            if self.filepath.endswith((".h5", ".hdf5")) and \
                    not self.filepath.endswith(".weights.h5"):
                # Keras 2 tutorials write weights to "*.h5"/"*.hdf5"; Keras 3 refuses.
                warnings.warn(
                    "ModelCheckpoint: a weights file name ending in .h5/.hdf5 is deprecated "
                    "(Keras 3 requires `.weights.h5`); the weights are saved in the "
                    "`.weights.h5` layout under the given name.", DeprecationWarning,
                    stacklevel=2)
                self._legacy_weights = True
            elif not self.filepath.endswith(".weights.h5"):
                raise ValueError(
                    "When using `save_weights_only=True` in `ModelCheckpoint`, the filepath "
                    "provided must end in `.weights.h5` (Keras weights format). Received: "
                    f"filepath={self.filepath}")
        elif not self.filepath.endswith(_MODEL_SUFFIXES):
            raise ValueError(
                "The filepath provided must end in `.keras` (Keras model format; kfront "
                f"also saves `.kfront` and legacy `.h5`). Received: filepath={self.filepath}")

    def on_epoch_begin(self, epoch, logs=None):
        self._current_epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if self._batches is not None and self._batches.step(batch):
            self._save_model(self._current_epoch, batch, logs)

    def on_epoch_end(self, epoch, logs=None):
        if self.save_freq == "epoch" and (epoch + 1) % self.period == 0:
            self._save_model(epoch, None, logs)

    def _should_save(self, epoch, logs, filepath):
        if not self.save_best_only:
            if self.verbose > 0:
                print(f"\nEpoch {epoch + 1}: saving model to {filepath}")
            return True
        current = logs.get(self.monitor)
        if current is None:
            warnings.warn(f"Can save best model only with {self.monitor} available. "
                          f"Available metrics are: {','.join(logs.keys())}", stacklevel=3)
            return True
        if np.ndim(current) > 0:
            warnings.warn("Can save best model only when `monitor` is a scalar value. "
                          f"Received: {current}. Falling back to `save_best_only=False`.",
                          stacklevel=3)
            return True
        if self.monitor_op is None:
            self._set_monitor_op()
        current = float(current)
        best = "None" if self.best is None else f"{self.best:.5f}"
        if self._is_improvement(current, self.best):
            if self.verbose > 0:
                print(f"\nEpoch {epoch + 1}: {self.monitor} improved from {best} to "
                      f"{current:.5f}, saving model to {filepath}")
            self.best = current
            return True
        if self.verbose > 0:
            print(f"\nEpoch {epoch + 1}: {self.monitor} did not improve from {best}")
        return False

    def _save_model(self, epoch, batch, logs):
        logs = scalar_logs(logs)
        filepath = self._get_file_path(epoch, batch, logs)
        if os.path.isdir(filepath):
            raise IOError("Please specify a non-directory filepath for ModelCheckpoint. "
                          f"Filepath used is an existing directory: {filepath}")
        if not self._should_save(epoch, logs, filepath):
            return
        dirname = os.path.dirname(filepath)
        if dirname:
            os.makedirs(dirname, exist_ok=True)
        if self._legacy_weights:
            data = h5_store.weights_bytes(self.model, include_optimizer=False)
            atomic_write(filepath, lambda f: f.write(data))
        elif self.save_weights_only:
            self.model.save_weights(filepath, overwrite=True)
        else:
            self.model.save(filepath, overwrite=True)
        if self.verbose > 0:
            print(f"\nEpoch {epoch + 1}: finished saving model to {filepath}")

    def _get_file_path(self, epoch, batch, logs):
        fields = dict(logs)
        fields["epoch"] = epoch + 1
        if batch is not None and "batch" not in logs:
            fields["batch"] = batch + 1
        try:
            return self.filepath.format(**fields)
        except KeyError as e:
            raise KeyError(f'Failed to format this callback filepath: "{self.filepath}". '
                           f"Reason: {e}. Available keys: {sorted(fields)}") from None


def _keras2_period(kwargs):
    """The Keras 2 ``period`` argument (save every ``period`` epochs), deprecated;
    ``options`` (TensorFlow checkpoint options) is accepted and ignored."""
    period = kwargs.pop("period", None)
    if kwargs.pop("options", None) is not None:
        warnings.warn("ModelCheckpoint: `options` (TensorFlow checkpoint options) is "
                      "ignored.", DeprecationWarning, stacklevel=3)
    if kwargs:
        raise TypeError(f"ModelCheckpoint got unexpected keyword argument(s): "
                        f"{sorted(kwargs)}")
    if period is None:
        return 1
    warnings.warn("ModelCheckpoint: `period` is deprecated (Keras 3 dropped it); use "
                  "`save_freq` (an integer counts batches).", DeprecationWarning, stacklevel=3)
    if isinstance(period, bool) or not isinstance(period, int) or period < 1:
        raise ValueError(f"`period` must be a positive integer. Received: period={period!r}")
    return period
