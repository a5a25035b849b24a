"""``LearningRateSchedule``: the base of learning rates that change with the step."""


class LearningRateSchedule:
    """A learning rate as a function of the optimizer's iteration count.

    Subclasses implement ``__call__(step)`` with ``kfront.ops`` (it runs inside compiled
    train steps, where ``step`` is a tensor) and ``get_config()``.

    >>> class Halving(LearningRateSchedule):
    ...     def __call__(self, step):
    ...         return 0.1 * ops.power(0.5, ops.cast(step, "float32"))
    ...     def get_config(self):
    ...         return {}
    """

    def __call__(self, step):
        raise NotImplementedError(f"Learning rate schedule '{type(self).__name__}' must "
                                  "override `__call__(self, step)`.")

    def get_config(self):
        raise NotImplementedError(f"Learning rate schedule '{type(self).__name__}' must "
                                  "override `get_config()` in order to be serializable.")

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__}>"


def check_decay_steps(name, value, arg="decay_steps", allow_zero=False):
    """``value`` is a number > 0 (>= 0 with ``allow_zero``), else a ValueError naming it."""
    is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if not is_number or value < 0 or (value == 0 and not allow_zero):
        bound = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{name}: argument `{arg}` must be {bound}. Received: "
                         f"{arg}={value!r}")


def as_float(step):
    """The step as a float32 tensor (schedules compute in float32)."""
    from kfront import ops
    return ops.cast(step, "float32")
