"""``History``: records every epoch's logs; ``fit`` returns it."""
from kfront.callbacks.callback import Callback


class History(Callback):
    """Collects the logs of each epoch.

    Attributes:
        history: ``{"loss": [epoch 0 value, epoch 1 value, ...], "val_loss": [...], ...}``.
        epoch: the indices of the recorded epochs.
    """

    def __init__(self):
        super().__init__()
        self.history = {}
        self.epoch = []

    def on_train_begin(self, logs=None):
        self.epoch = []

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for k, v in (logs or {}).items():
            self.history.setdefault(k, []).append(v)
