"""``LambdaCallback``: a callback built from plain functions."""
from kfront.callbacks.callback import HOOKS, Callback


class LambdaCallback(Callback):
    """Each argument, when given, replaces that hook.

    Epoch hooks take ``(epoch, logs)``, batch hooks ``(batch, logs)``, run hooks ``(logs)``.
    Any other hook (``on_test_begin=...``, ``on_predict_batch_end=...``) can be passed by
    keyword too.

    >>> LambdaCallback(on_epoch_end=lambda epoch, logs: print(epoch, logs["loss"]))
    """

    def __init__(self, on_epoch_begin=None, on_epoch_end=None, on_train_begin=None,
                 on_train_end=None, on_train_batch_begin=None, on_train_batch_end=None,
                 **kwargs):
        super().__init__()
        hooks = dict(on_epoch_begin=on_epoch_begin, on_epoch_end=on_epoch_end,
                     on_train_begin=on_train_begin, on_train_end=on_train_end,
                     on_train_batch_begin=on_train_batch_begin,
                     on_train_batch_end=on_train_batch_end)
        for name, fn in kwargs.items():
            if name not in HOOKS:
                raise ValueError(
                    f"LambdaCallback got an unknown hook {name!r}. Expected one of: "
                    f"{sorted(HOOKS)}."
                )
            hooks[name] = fn
        for name, fn in hooks.items():
            if fn is None:
                continue
            if not callable(fn):
                raise ValueError(f"LambdaCallback: `{name}` must be callable. Received: {fn!r}")
            setattr(self, name, fn)
