"""``EarlyStopping``: stops ``fit`` when a monitored value stops improving."""
import operator
import warnings

from kfront.callbacks.callback import Callback

# Names whose direction is known without asking the model's metrics.
_UP_HINTS = ("acc", "auc", "precision", "recall", "f1", "r2")
_DOWN_HINTS = ("loss", "error", "crossentropy", "mse", "mae", "hinge", "divergence")


class EarlyStopping(Callback):
    """Sets ``model.stop_training = True`` once ``monitor`` has not improved for
    ``patience`` epochs.

    Args:
        monitor: the log key to watch ("val_loss", "val_accuracy", ...).
        min_delta: changes smaller than this do not count as improvement.
        patience: epochs without improvement before stopping.
        verbose: 1 prints a message when stopping and when restoring weights.
        mode: "min", "max", or "auto" (from the metric's direction, or its name).
        baseline: a value to beat; training stops if it is not beaten within
            ``patience`` epochs.
        restore_best_weights: at the end, set the weights of the best epoch.
        start_from_epoch: epochs to wait before watching (a warm-up).
    """

    def __init__(self, monitor="val_loss", min_delta=0, patience=0, verbose=0, mode="auto",
                 baseline=None, restore_best_weights=False, start_from_epoch=0):
        super().__init__()
        if mode not in ("auto", "min", "max"):
            warnings.warn(
                f"EarlyStopping mode {mode!r} is unknown (expected 'auto', 'min' or 'max'); "
                "using 'auto'.",
                stacklevel=2,
            )
            mode = "auto"
        self.monitor = monitor
        self.mode = mode
        self.min_delta = abs(min_delta)
        self.patience = patience
        self.verbose = verbose
        self.baseline = baseline
        self.restore_best_weights = restore_best_weights
        self.start_from_epoch = start_from_epoch
        self.monitor_op = None
        self.best = None
        self.best_weights = None
        self.best_epoch = 0
        self.wait = 0
        self.stopped_epoch = 0

    def on_train_begin(self, logs=None):
        self.wait = 0
        self.stopped_epoch = 0
        self.best = None
        self.best_weights = None
        self.best_epoch = 0

    def on_epoch_end(self, epoch, logs=None):
        current = self.get_monitor_value(logs)
        if current is None or epoch < self.start_from_epoch:
            return
        if self.monitor_op is None:
            self._set_monitor_op()
        if self.restore_best_weights and self.best_weights is None:
            # The first watched epoch is the best so far, even if it fails the baseline.
            self.best_weights = self.model.get_weights()
            self.best_epoch = epoch
        self.wait += 1
        if self._is_improvement(current, self.best):
            self.best = current
            self.best_epoch = epoch
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
            if self.baseline is None or self._is_improvement(current, self.baseline):
                self.wait = 0
                return
            # Better than before but still short of the baseline: patience keeps running.
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def on_train_end(self, logs=None):
        if self.stopped_epoch > 0 and self.verbose > 0:
            print(f"Epoch {self.stopped_epoch + 1}: early stopping")
        if self.restore_best_weights and self.best_weights is not None:
            if self.verbose > 0:
                print("Restoring model weights from the end of the best epoch: "
                      f"{self.best_epoch + 1}.")
            self.model.set_weights(self.best_weights)

    def get_monitor_value(self, logs):
        logs = logs or {}
        value = logs.get(self.monitor)
        if value is None:
            warnings.warn(
                f"Early stopping conditioned on metric `{self.monitor}` which is not "
                f"available. Available metrics are: {','.join(logs.keys())}",
                stacklevel=2,
            )
        return value

    def _is_improvement(self, value, reference):
        if reference is None:
            return True
        return self.monitor_op(value - self.min_delta, reference)

    def _set_monitor_op(self):
        if self.mode == "min":
            self.monitor_op = operator.lt
        elif self.mode == "max":
            self.monitor_op = operator.gt
        else:
            self.monitor_op = self._auto_op()
        if self.monitor_op is operator.lt:
            self.min_delta = -self.min_delta

    def _auto_op(self):
        name = self.monitor[4:] if self.monitor.startswith("val_") else self.monitor
        if name == "loss" or name.endswith("_loss"):
            return operator.lt
        try:
            metrics = getattr(self.model, "metrics", None)
        except Exception:  # an unbuilt model may refuse to list its metrics
            metrics = None
        direction = _metric_direction(metrics, name)
        if direction is not None:
            return operator.gt if direction == "up" else operator.lt
        lowered = name.lower()
        if any(h in lowered for h in _DOWN_HINTS):
            return operator.lt
        if any(h in lowered for h in _UP_HINTS):
            return operator.gt
        raise ValueError(
            f"EarlyStopping callback received monitor={self.monitor!r}, but cannot tell "
            "whether that metric should be maximized or minimized. Pass mode='max' to keep "
            "the highest value, or mode='min' to keep the lowest."
        )


def _metric_direction(metrics, name, depth=0):
    """The ``_direction`` ("up"/"down") of the metric called ``name``, searching
    metric containers (objects with a ``metrics`` list) too."""
    if not metrics or depth > 3:
        return None
    try:
        metrics = list(metrics)
    except TypeError:
        return None
    for m in metrics:
        if getattr(m, "name", None) == name and hasattr(m, "_direction"):
            return m._direction
        inner = getattr(m, "metrics", None)
        if inner is not None and inner is not metrics:
            found = _metric_direction(inner, name, depth + 1)
            if found is not None:
                return found
    return None
