"""``MonitorCallback``: the base of callbacks that watch one log value and compare it
with the best seen so far (EarlyStopping, ModelCheckpoint, ReduceLROnPlateau)."""
import operator
import warnings

from kfront.callbacks.callback import Callback

# Names whose direction is known without asking the model's metrics.
_UP_HINTS = ("acc", "auc", "precision", "recall", "f1", "r2")
_DOWN_HINTS = ("loss", "error", "crossentropy", "mse", "mae", "hinge", "divergence")


class MonitorCallback(Callback):
    """Watches ``monitor`` in the epoch logs.

    Args:
        monitor: the log key to watch ("val_loss", "val_accuracy", ...).
        mode: "min", "max", or "auto" (from the metric's direction, or its name).
        baseline: the value to beat at the start (``None``: anything is an improvement).
        min_delta: changes smaller than this do not count as improvement.
    """

    def __init__(self, monitor="val_loss", mode="auto", baseline=None, min_delta=0):
        super().__init__()
        if mode not in ("auto", "min", "max"):
            warnings.warn(
                f"{type(self).__name__} mode {mode!r} is unknown (expected 'auto', 'min' or "
                "'max'); using 'auto'.",
                stacklevel=3,
            )
            mode = "auto"
        self.monitor = monitor
        self.mode = mode
        self.best = baseline
        self.min_delta = abs(min_delta)
        self.monitor_op = None

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
            self.min_delta = -abs(self.min_delta)

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
            f"{type(self).__name__} callback received monitor={self.monitor!r}, but cannot "
            "tell whether that metric should be maximized or minimized. Pass mode='max' to "
            "keep the highest value, or mode='min' to keep the lowest."
        )


def missing_monitor_message(what, monitor, logs):
    """The warning given when ``monitor`` is not among the epoch's logs."""
    return (f"{what} conditioned on metric `{monitor}` which is not available. "
            f"Available metrics are: {','.join((logs or {}).keys())}")


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
