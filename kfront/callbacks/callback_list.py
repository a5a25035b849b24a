"""``CallbackList``: calls each hook on every callback that overrides it, in order."""
from kfront.callbacks.callback import HOOKS, Callback, overrides
from kfront.callbacks.history import History
from kfront.callbacks.progbar_logger import ProgbarLogger
from kfront.distribution.api import is_chief
from kfront.utils import tree


def _pythonify(logs):
    """Logs as a dict of Python floats where the values allow it."""
    if not logs:
        return {} if logs is None else logs
    out = {}
    for k, v in logs.items():
        if not isinstance(v, (float, int, str)):
            try:
                v = float(v)
            except (TypeError, ValueError):
                pass
        out[k] = v
    return out


class CallbackList(Callback):
    """A container that forwards every hook to its callbacks.

    Args:
        callbacks: a list of ``Callback``s (nested lists are flattened).
        add_history: append a ``History`` if none is given.
        add_progbar: append a ``ProgbarLogger`` if none is given.
        model: the model handed to every callback.
        **params: training parameters (``verbose``, ``epochs``, ``steps``) handed to
            every callback's ``set_params``.

    Which callbacks override which hook is computed once (and again at each
    ``on_*_begin``), so per-batch hooks nobody uses cost one empty loop. The training
    loop can skip building per-batch logs when ``has_hook(name)`` is False.
    """

    def __init__(self, callbacks=None, add_history=False, add_progbar=False, model=None,
                 **params):
        super().__init__()
        self.callbacks = tree.flatten(callbacks) if callbacks else []
        if not is_chief():
            # In a multi-process job only process 0 prints progress and writes files.
            self.callbacks = [c for c in self.callbacks if not getattr(c, "_chief_only", False)]
            add_progbar = False
        self._progbar = next((c for c in self.callbacks if isinstance(c, ProgbarLogger)), None)
        self._history = next((c for c in self.callbacks if isinstance(c, History)), None)
        if self._history is None and add_history:
            self._history = History()
            self.callbacks.append(self._history)
        if self._progbar is None and add_progbar:
            self._progbar = ProgbarLogger()
            self.callbacks.append(self._progbar)
        self.set_model(model)
        self.set_params(params)
        self._build_dispatch()

    def _build_dispatch(self):
        self._handlers = {
            hook: [getattr(cb, hook) for cb in self.callbacks if overrides(cb, hook)]
            for hook in HOOKS
        }
        self._dispatched = list(self.callbacks)

    def _refresh(self):
        if len(self._dispatched) != len(self.callbacks) or any(
                a is not b for a, b in zip(self._dispatched, self.callbacks)):
            self._build_dispatch()

    def has_hook(self, hook):
        """Whether any callback overrides ``hook`` (e.g. "on_train_batch_end")."""
        self._refresh()
        return bool(self._handlers[hook])

    def append(self, callback):
        self.callbacks.append(callback)
        if self.model is not None:
            callback.set_model(self.model)
        if self.params:
            callback.set_params(self.params)
        self._build_dispatch()

    def set_params(self, params):
        self.params = params
        if params:
            for callback in self.callbacks:
                callback.set_params(params)

    def set_model(self, model):
        if model is None:
            return
        super().set_model(model)
        for callback in self.callbacks:
            callback.set_model(model)

    # Run-level hooks.

    def on_train_begin(self, logs=None):
        self._refresh()
        logs = _pythonify(logs)
        for fn in self._handlers["on_train_begin"]:
            fn(logs)

    def on_train_end(self, logs=None):
        logs = _pythonify(logs)
        for fn in self._handlers["on_train_end"]:
            fn(logs)

    def on_test_begin(self, logs=None):
        self._refresh()
        logs = _pythonify(logs)
        for fn in self._handlers["on_test_begin"]:
            fn(logs)

    def on_test_end(self, logs=None):
        logs = _pythonify(logs)
        for fn in self._handlers["on_test_end"]:
            fn(logs)

    def on_predict_begin(self, logs=None):
        self._refresh()
        logs = _pythonify(logs)
        for fn in self._handlers["on_predict_begin"]:
            fn(logs)

    def on_predict_end(self, logs=None):
        logs = _pythonify(logs)
        for fn in self._handlers["on_predict_end"]:
            fn(logs)

    def on_epoch_begin(self, epoch, logs=None):
        logs = _pythonify(logs)
        for fn in self._handlers["on_epoch_begin"]:
            fn(epoch, logs)

    def on_epoch_end(self, epoch, logs=None):
        logs = _pythonify(logs)
        for fn in self._handlers["on_epoch_end"]:
            fn(epoch, logs)

    # Per-batch hooks: the hot path, so no conversion here.

    def on_train_batch_begin(self, batch, logs=None):
        for fn in self._handlers["on_train_batch_begin"]:
            fn(batch, logs)

    def on_train_batch_end(self, batch, logs=None):
        for fn in self._handlers["on_train_batch_end"]:
            fn(batch, logs)

    def on_test_batch_begin(self, batch, logs=None):
        for fn in self._handlers["on_test_batch_begin"]:
            fn(batch, logs)

    def on_test_batch_end(self, batch, logs=None):
        for fn in self._handlers["on_test_batch_end"]:
            fn(batch, logs)

    def on_predict_batch_begin(self, batch, logs=None):
        for fn in self._handlers["on_predict_batch_begin"]:
            fn(batch, logs)

    def on_predict_batch_end(self, batch, logs=None):
        for fn in self._handlers["on_predict_batch_end"]:
            fn(batch, logs)

    def on_batch_begin(self, batch, logs=None):
        for fn in self._handlers["on_batch_begin"]:
            fn(batch, logs)

    def on_batch_end(self, batch, logs=None):
        for fn in self._handlers["on_batch_end"]:
            fn(batch, logs)
