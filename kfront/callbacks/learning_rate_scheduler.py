"""``LearningRateScheduler``: sets the learning rate at the start of every epoch."""
import numpy as np

from kfront.callbacks.callback import Callback
from kfront.callbacks.log_values import add_learning_rates, current_learning_rate


class LearningRateScheduler(Callback):
    """Calls ``schedule(epoch, lr)`` (or ``schedule(epoch)``) at each epoch's start and
    sets the optimizer's learning rate to the float it returns. The epoch's logs get a
    ``learning_rate`` entry.

    Args:
        schedule: a function of the epoch index (0-based) and the current learning rate.
        verbose: 1 prints the new learning rate every epoch.

    >>> LearningRateScheduler(lambda epoch, lr: lr if epoch < 10 else lr * 0.9)
    """

    def __init__(self, schedule, verbose=0):
        super().__init__()
        if not callable(schedule):
            raise ValueError(f"`schedule` must be a callable. Received: {schedule!r}")
        self.schedule = schedule
        self.verbose = verbose

    def _update(self, optimizer, epoch):
        lr = current_learning_rate(optimizer)
        try:
            lr = self.schedule(epoch, lr)
        except TypeError:  # a one-argument schedule(epoch), as Keras 2 allowed
            lr = self.schedule(epoch)
        if isinstance(lr, bool) or not isinstance(lr, (float, int, np.floating, np.integer)):
            raise ValueError("The output of the `schedule` function should be a float. "
                             f"Got: {lr!r}")
        optimizer.learning_rate = float(lr)
        return float(lr)

    def on_epoch_begin(self, epoch, logs=None):
        optimizer = self.model.optimizer
        for opt in getattr(optimizer, "optimizers", None) or [optimizer]:
            lr = self._update(opt, epoch)
            if self.verbose > 0:
                print(f"\nEpoch {epoch + 1}: LearningRateScheduler setting learning rate to "
                      f"{lr}.")

    def on_epoch_end(self, epoch, logs=None):
        if logs is not None:
            add_learning_rates(self.model, logs)
