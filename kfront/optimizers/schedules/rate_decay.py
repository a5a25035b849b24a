"""The arguments shared by ``ExponentialDecay`` and ``InverseTimeDecay``."""
from kfront import ops
from kfront.optimizers.schedules.learning_rate_schedule import (
    LearningRateSchedule, as_float, check_decay_steps,
)


class RateDecay(LearningRateSchedule):
    """A decay driven by ``decay_rate`` per ``decay_steps`` steps, optionally stepwise.

    Subclasses implement ``decay(p)`` of ``p = step / decay_steps`` (floored with
    ``staircase``).
    """

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False,
                 name=None):
        check_decay_steps(type(self).__name__, decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name or type(self).__name__

    def __call__(self, step):
        p = as_float(step) / float(self.decay_steps)
        if self.staircase:
            p = ops.floor(p)
        return self.decay(p)

    def decay(self, p):
        raise NotImplementedError

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "decay_rate": self.decay_rate,
                "staircase": self.staircase, "name": self.name}
