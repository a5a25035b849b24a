"""``ReduceLROnPlateau``: lowers the learning rate when a metric stops improving."""
import warnings

import numpy as np

from kfront.callbacks.log_values import add_learning_rates, current_learning_rate
from kfront.callbacks.monitor_callback import MonitorCallback, missing_monitor_message


class ReduceLROnPlateau(MonitorCallback):
    """Multiplies the learning rate by ``factor`` once ``monitor`` has not improved for
    ``patience`` epochs. The epoch's logs get a ``learning_rate`` entry.

    Args:
        monitor: the log key to watch.
        factor: new_lr = lr * factor (must be below 1).
        patience: epochs without improvement before reducing.
        verbose: 1 prints a message on every reduction.
        mode: "min", "max" or "auto".
        min_delta: the smallest change that counts as improvement.
        cooldown: epochs to wait after a reduction before counting again.
        min_lr: the learning rate never goes below this.
    """

    def __init__(self, monitor="val_loss", factor=0.1, patience=10, verbose=0, mode="auto",
                 min_delta=1e-4, cooldown=0, min_lr=0.0, **kwargs):
        if "epsilon" in kwargs:  # the Keras 2 name of min_delta
            warnings.warn("`epsilon` is deprecated, use `min_delta` instead.",
                          DeprecationWarning, stacklevel=2)
            min_delta = kwargs.pop("epsilon")
        if kwargs:
            raise ValueError(f"ReduceLROnPlateau: unknown argument(s) {sorted(kwargs)}.")
        super().__init__(monitor, mode, min_delta=min_delta)
        if factor >= 1.0:
            raise ValueError("ReduceLROnPlateau does not support a factor >= 1.0. "
                             f"Received factor={factor}")
        self.factor = factor
        self.min_lr = min_lr
        self.patience = patience
        self.verbose = verbose
        self.cooldown = cooldown
        self.cooldown_counter = 0
        self.wait = 0

    def on_train_begin(self, logs=None):
        self.best = None
        self.cooldown_counter = 0
        self.wait = 0

    def in_cooldown(self):
        return self.cooldown_counter > 0

    def on_epoch_end(self, epoch, logs=None):
        logs = logs if logs is not None else {}
        add_learning_rates(self.model, logs)
        current = logs.get(self.monitor)
        if current is None:
            warnings.warn(missing_monitor_message("Learning rate reduction", self.monitor,
                                                  logs), stacklevel=2)
            return
        if self.monitor_op is None:
            # Only now: a misspelt monitor gets the warning above, not a direction error.
            self._set_monitor_op()
        if self.in_cooldown():
            self.cooldown_counter -= 1
            self.wait = 0
        if self._is_improvement(current, self.best):
            self.best = current
            self.wait = 0
            return
        if self.in_cooldown():
            return
        self.wait += 1
        if self.wait < self.patience:
            return
        optimizer = self.model.optimizer
        reduced = False
        for opt in getattr(optimizer, "optimizers", None) or [optimizer]:
            reduced = self._reduce(opt, epoch) or reduced
        if reduced:
            self.cooldown_counter = self.cooldown
            self.wait = 0

    def _reduce(self, optimizer, epoch):
        old = current_learning_rate(optimizer)
        # Compared in float32: the learning rate is stored in a float32 variable.
        if old <= np.float32(self.min_lr):
            return False
        new = max(old * self.factor, self.min_lr)
        optimizer.learning_rate = new
        if self.verbose > 0:
            print(f"\nEpoch {epoch + 1}: ReduceLROnPlateau reducing learning rate to {new}.")
        return True
