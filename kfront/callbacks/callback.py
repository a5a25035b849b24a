"""``Callback``: hooks called by ``fit``, ``evaluate`` and ``predict``.

Every hook does nothing by default. ``CallbackList`` calls a hook only on callbacks
that override it, so an unused per-batch hook costs nothing.
"""

BATCH_HOOKS = (
    "on_train_batch_begin", "on_train_batch_end", "on_test_batch_begin", "on_test_batch_end",
    "on_predict_batch_begin", "on_predict_batch_end", "on_batch_begin", "on_batch_end",
)
HOOKS = (
    "on_train_begin", "on_train_end", "on_test_begin", "on_test_end", "on_predict_begin",
    "on_predict_end", "on_epoch_begin", "on_epoch_end",
) + BATCH_HOOKS


class Callback:
    """Base class for callbacks.

    Attributes:
        params: dict of training parameters (``verbose``, ``epochs``, ``steps``).
        model: the model being trained, evaluated or used for prediction.

    ``logs`` passed to the hooks are dicts of Python floats, e.g.
    ``{"loss": 0.2, "accuracy": 0.9}``; validation entries start with ``val_``.
    """

    def __init__(self):
        self.params = None
        self._model = None

    def set_params(self, params):
        self.params = params

    def set_model(self, model):
        self._model = model

    @property
    def model(self):
        return self._model

    def on_batch_begin(self, batch, logs=None):
        """Deprecated alias of ``on_train_batch_begin``."""

    def on_batch_end(self, batch, logs=None):
        """Deprecated alias of ``on_train_batch_end``."""

    def on_epoch_begin(self, epoch, logs=None):
        """At the start of epoch ``epoch`` (0-based) of ``fit``."""

    def on_epoch_end(self, epoch, logs=None):
        """At the end of an epoch; ``logs`` hold its training and validation results."""

    def on_train_batch_begin(self, batch, logs=None):
        """Before training batch ``batch`` of the current epoch."""
        self.on_batch_begin(batch, logs=logs)

    def on_train_batch_end(self, batch, logs=None):
        """After a training batch; ``logs`` hold the running metric values."""
        self.on_batch_end(batch, logs=logs)

    def on_test_batch_begin(self, batch, logs=None):
        """Before an ``evaluate`` (or validation) batch."""

    def on_test_batch_end(self, batch, logs=None):
        """After an ``evaluate`` (or validation) batch."""

    def on_predict_batch_begin(self, batch, logs=None):
        """Before a ``predict`` batch."""

    def on_predict_batch_end(self, batch, logs=None):
        """After a ``predict`` batch; ``logs["outputs"]`` may hold the batch's outputs."""

    def on_train_begin(self, logs=None):
        """At the start of ``fit``."""

    def on_train_end(self, logs=None):
        """At the end of ``fit``."""

    def on_test_begin(self, logs=None):
        """At the start of ``evaluate`` (or of validation)."""

    def on_test_end(self, logs=None):
        """At the end of ``evaluate`` (or of validation)."""

    def on_predict_begin(self, logs=None):
        """At the start of ``predict``."""

    def on_predict_end(self, logs=None):
        """At the end of ``predict``."""


def overrides(callback, hook):
    """Whether ``callback`` does something in ``hook`` (the base class does nothing).

    A train-batch hook also counts as overridden when its deprecated alias
    (``on_batch_begin``/``on_batch_end``) is, because the default forwards to it.
    """
    method = getattr(callback, hook, None)
    if method is None:
        return False
    if getattr(method, "__func__", method) is not getattr(Callback, hook):
        return True
    if hook == "on_train_batch_begin":
        return overrides(callback, "on_batch_begin")
    if hook == "on_train_batch_end":
        return overrides(callback, "on_batch_end")
    return False
