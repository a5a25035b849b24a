"""``InverseTimeDecay``: ``initial_learning_rate / (1 + decay_rate * step / decay_steps)``."""
from kfront.optimizers.schedules.rate_decay import RateDecay


class InverseTimeDecay(RateDecay):
    """``initial_learning_rate / (1 + decay_rate * step / decay_steps)``; with
    ``staircase`` the ratio ``step / decay_steps`` is floored.

    Args:
        initial_learning_rate: the rate at step 0.
        decay_steps: > 0.
        decay_rate: how fast the rate falls.
        staircase: floor ``step / decay_steps``.
    """

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False,
                 name="InverseTimeDecay"):
        super().__init__(initial_learning_rate, decay_steps, decay_rate, staircase, name)

    def decay(self, p):
        return float(self.initial_learning_rate) / (1.0 + float(self.decay_rate) * p)
