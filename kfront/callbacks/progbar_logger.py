"""``ProgbarLogger``: prints "Epoch i/n" and a progress bar with the running metrics."""
from kfront.callbacks.callback import Callback
from kfront.utils import io_utils
from kfront.utils.progbar import Progbar


class ProgbarLogger(Callback):
    """Prints progress for ``fit``, ``evaluate`` and ``predict``.

    Reads ``verbose`` (1: live bar, 2: one line per epoch), ``epochs`` and ``steps``
    (steps per epoch, or None when unknown) from the params given by the training loop.
    Logged values are shown as given: they already are running averages.
    """

    # Writes files or prints: in a multi-process job only process 0 runs it.
    _chief_only = True

    def __init__(self):
        super().__init__()
        self.seen = 0
        self.progbar = None
        self.target = None
        self.verbose = 1
        self.epochs = 1
        self._called_in_fit = False

    def set_params(self, params):
        super().set_params(params)
        verbose = params.get("verbose", 1)
        self.verbose = 1 if verbose == "auto" else verbose
        self.epochs = params.get("epochs", 1)
        self.target = params.get("steps")

    def on_train_begin(self, logs=None):
        self._called_in_fit = True

    def on_train_end(self, logs=None):
        self._called_in_fit = False

    def on_test_begin(self, logs=None):
        if not self._called_in_fit:
            self._reset_progbar()

    def on_predict_begin(self, logs=None):
        self._reset_progbar()

    def on_epoch_begin(self, epoch, logs=None):
        self._reset_progbar()
        if self.verbose and self.epochs > 1:
            io_utils.print_msg(f"Epoch {epoch + 1}/{self.epochs}")

    def on_train_batch_end(self, batch, logs=None):
        self._update_progbar(batch, logs)

    def on_test_batch_end(self, batch, logs=None):
        if not self._called_in_fit:
            self._update_progbar(batch, logs)

    def on_predict_batch_end(self, batch, logs=None):
        self._update_progbar(batch, None)

    def on_epoch_end(self, epoch, logs=None):
        self._finalize_progbar(logs)

    def on_test_end(self, logs=None):
        if not self._called_in_fit:
            self._finalize_progbar(logs)

    def on_predict_end(self, logs=None):
        self._finalize_progbar(None)

    def _reset_progbar(self):
        self.seen = 0
        self.progbar = None

    def _progbar_or_new(self):
        if self.progbar is None:
            self.progbar = Progbar(target=self.target, verbose=self.verbose, unit_name="step",
                                   stateless_metrics=())
        return self.progbar

    def _update_progbar(self, batch, logs):
        progbar = self._progbar_or_new()
        self.seen = batch + 1
        if self.verbose == 1:
            progbar.update(self.seen, list((logs or {}).items()), finalize=False)

    def _finalize_progbar(self, logs):
        progbar = self._progbar_or_new()
        if self.target is None:
            progbar.target = self.seen
        target = progbar.target if progbar.target is not None else self.seen
        progbar.update(target, list((logs or {}).items()), finalize=True)
