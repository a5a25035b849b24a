"""``CosineDecay`` (with linear warmup) and ``CosineDecayRestarts`` (SGDR)."""
import math

from kfront import ops
from kfront.optimizers.schedules.learning_rate_schedule import (
    LearningRateSchedule, as_float, check_decay_steps,
)


def _cosine(fraction, alpha):
    """``(1 - alpha) * 0.5 * (1 + cos(pi * fraction)) + alpha``."""
    return (1.0 - alpha) * (0.5 * (1.0 + ops.cos(math.pi * fraction))) + alpha


class CosineDecay(LearningRateSchedule):
    """Cosine decay from ``initial_learning_rate`` over ``decay_steps`` down to
    ``alpha * initial_learning_rate``. With ``warmup_target`` the rate first rises
    linearly from ``initial_learning_rate`` to ``warmup_target`` over ``warmup_steps``,
    then decays from ``warmup_target``.

    Args:
        initial_learning_rate: the rate at step 0.
        decay_steps: > 0.
        alpha: the final fraction of the decayed-from rate.
        warmup_target: the rate reached after warmup (None: no warmup).
        warmup_steps: the length of the warmup.
    """

    def __init__(self, initial_learning_rate, decay_steps, alpha=0.0, name="CosineDecay",
                 warmup_target=None, warmup_steps=0):
        check_decay_steps("CosineDecay", decay_steps)
        check_decay_steps("CosineDecay", warmup_steps, "warmup_steps", allow_zero=True)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.alpha = alpha
        self.name = name
        self.warmup_target = warmup_target
        self.warmup_steps = warmup_steps

    def __call__(self, step):
        step = as_float(step)
        initial, decay_steps = float(self.initial_learning_rate), float(self.decay_steps)
        alpha = float(self.alpha)
        if self.warmup_target is None:
            step = ops.minimum(step, decay_steps)
            return initial * _cosine(step / decay_steps, alpha)
        target, warmup = float(self.warmup_target), float(self.warmup_steps)
        step = ops.minimum(step, decay_steps + warmup)
        decayed = target * _cosine((step - warmup) / decay_steps, alpha)
        if warmup == 0:
            return decayed
        warming = (target - initial) * (step / warmup) + initial
        return ops.where(step < warmup, warming, decayed)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "alpha": self.alpha, "name": self.name,
                "warmup_target": self.warmup_target, "warmup_steps": self.warmup_steps}


class CosineDecayRestarts(LearningRateSchedule):
    """Cosine decay with warm restarts (SGDR): the first period lasts
    ``first_decay_steps``; each next one is ``t_mul`` times longer and starts from
    ``m_mul`` times the previous peak.

    Args:
        initial_learning_rate: the first peak.
        first_decay_steps: > 0.
        t_mul: period growth factor.
        m_mul: peak decay factor.
        alpha: the minimum as a fraction of the peak.
    """

    def __init__(self, initial_learning_rate, first_decay_steps, t_mul=2.0, m_mul=1.0,
                 alpha=0.0, name="SGDRDecay"):
        check_decay_steps("CosineDecayRestarts", first_decay_steps, "first_decay_steps")
        check_decay_steps("CosineDecayRestarts", t_mul, "t_mul")
        self.initial_learning_rate = initial_learning_rate
        self.first_decay_steps = first_decay_steps
        self._t_mul = t_mul
        self._m_mul = m_mul
        self.alpha = alpha
        self.name = name

    def __call__(self, step):
        fraction = as_float(step) / float(self.first_decay_steps)
        t_mul = float(self._t_mul)
        if t_mul == 1.0:
            restart = ops.floor(fraction)
            fraction = fraction - restart
        else:
            # The index of the current period solves sum_{k<i} t_mul^k <= fraction.
            restart = ops.floor(ops.log(1.0 - fraction * (1.0 - t_mul)) / math.log(t_mul))
            elapsed = (1.0 - ops.power(t_mul, restart)) / (1.0 - t_mul)
            fraction = (fraction - elapsed) / ops.power(t_mul, restart)
        alpha = float(self.alpha)
        peak = ops.power(float(self._m_mul), restart)
        cosine = 0.5 * peak * (1.0 + ops.cos(math.pi * fraction))
        return float(self.initial_learning_rate) * ((1.0 - alpha) * cosine + alpha)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "first_decay_steps": self.first_decay_steps, "t_mul": self._t_mul,
                "m_mul": self._m_mul, "alpha": self.alpha, "name": self.name}
