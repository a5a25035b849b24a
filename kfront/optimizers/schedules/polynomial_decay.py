"""``PolynomialDecay``: from ``initial_learning_rate`` to ``end_learning_rate`` along
``(1 - step / decay_steps) ** power``."""
from kfront import ops
from kfront.optimizers.schedules.learning_rate_schedule import (
    LearningRateSchedule, as_float, check_decay_steps,
)


class PolynomialDecay(LearningRateSchedule):
    """``(initial - end) * (1 - step / decay_steps) ** power + end``, with ``step``
    capped at ``decay_steps``; with ``cycle`` the horizon grows to the next multiple of
    ``decay_steps`` instead.

    Args:
        initial_learning_rate: the rate at step 0.
        decay_steps: > 0.
        end_learning_rate: the final rate (0.0001).
        power: the exponent (1.0: linear).
        cycle: restart the decay past ``decay_steps``.
    """

    def __init__(self, initial_learning_rate, decay_steps, end_learning_rate=0.0001,
                 power=1.0, cycle=False, name="PolynomialDecay"):
        check_decay_steps("PolynomialDecay", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.end_learning_rate = end_learning_rate
        self.power = power
        self.cycle = cycle
        self.name = name

    def __call__(self, step):
        step = as_float(step)
        decay_steps = float(self.decay_steps)
        if self.cycle:
            multiplier = ops.where(ops.equal(step, 0.0), 1.0, ops.ceil(step / decay_steps))
            horizon = decay_steps * multiplier
        else:
            step = ops.minimum(step, decay_steps)
            horizon = decay_steps
        p = step / horizon
        end = float(self.end_learning_rate)
        return (float(self.initial_learning_rate) - end) * \
            ops.power(1.0 - p, float(self.power)) + end

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "end_learning_rate": self.end_learning_rate,
                "power": self.power, "cycle": self.cycle, "name": self.name}
