"""``ExponentialDecay``: ``initial_learning_rate * decay_rate ** (step / decay_steps)``."""
from kfront import ops
from kfront.optimizers.schedules.rate_decay import RateDecay


class ExponentialDecay(RateDecay):
    """``initial_learning_rate * decay_rate ** (step / decay_steps)``; with ``staircase``
    the exponent is floored (the rate drops every ``decay_steps`` steps).

    Args:
        initial_learning_rate: the rate at step 0.
        decay_steps: > 0.
        decay_rate: the factor per ``decay_steps`` steps.
        staircase: floor the exponent.
    """

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False,
                 name="ExponentialDecay"):
        super().__init__(initial_learning_rate, decay_steps, decay_rate, staircase, name)

    def decay(self, p):
        return float(self.initial_learning_rate) * ops.power(float(self.decay_rate), p)
