"""``Adafactor`` (Keras 3's update rule: factored second moments, relative step sizes)."""
import numpy as np

from kfront import ops
from kfront.backend.variable import Variable
from kfront.optimizers.arguments import check_non_negative
from kfront.optimizers.optimizer import Optimizer


def _rms(x):
    return ops.sqrt(ops.mean(ops.square(x)))


class Adafactor(Optimizer):
    """Adafactor (Shazeer and Stern, 2018): the second moment of a matrix is kept as a row
    and a column average, so its memory grows with ``rows + cols``, not ``rows * cols``.

    With ``t`` the update count, ``rho = min(lr, 1 / sqrt(t))``,
    ``alpha = max(epsilon_2, rms(v)) * rho`` and ``beta_2 = 1 - t ** beta_2_decay``,
    the update is ``v -= alpha * u / max(1, rms(u) / clip_threshold)`` with
    ``u = g / sqrt(second moment of g**2 + epsilon_1)``.

    Args:
        learning_rate: a number or a schedule.
        beta_2_decay: the decay exponent of the second-moment rate.
        epsilon_1: added to the squared gradients.
        epsilon_2: the floor of the weights' RMS in the step size.
        clip_threshold: the RMS the update is clipped to.
        relative_step: cap the learning rate at ``1 / sqrt(t)`` (Keras always caps
            ``rho`` so; kept for the config).
    """

    def __init__(self, learning_rate=0.001, beta_2_decay=-0.8, epsilon_1=1e-30,
                 epsilon_2=1e-3, clip_threshold=1.0, relative_step=True, name="adafactor",
                 **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        check_non_negative("Adafactor", epsilon_1=epsilon_1, epsilon_2=epsilon_2,
                           clip_threshold=clip_threshold)
        if isinstance(beta_2_decay, bool) or not isinstance(beta_2_decay, (int, float)):
            raise ValueError(f"Adafactor: `beta_2_decay` must be a number, received "
                             f"{beta_2_decay!r}.")
        self.beta_2_decay, self.epsilon_1, self.epsilon_2 = beta_2_decay, epsilon_1, epsilon_2
        self.clip_threshold, self.relative_step = clip_threshold, relative_step

    def _factor_slot(self, reference, name, shape):
        var = Variable(np.zeros(shape, dtype=reference.dtype), dtype=reference.dtype,
                       trainable=False, name=f"{self.name}/{reference.path}_{name}")
        var._slot_of = (reference, name)
        self._slots.append(var)
        return var

    def build(self, variables):
        # Created per weight as Keras does (row, column, velocity), so saved state keeps
        # Keras's order; vectors need no factors.
        self._r, self._c, self._v = [], [], []
        for v in variables:
            shape = tuple(v.shape)
            if len(shape) >= 2:
                self._r.append(self._factor_slot(v, "r", shape[:-1]))
                self._c.append(self._factor_slot(v, "c", shape[:-2] + shape[-1:]))
            else:
                self._r.append(None)
                self._c.append(None)
            self._v.append(self.add_variable_from_reference(v, "velocity"))
        super().build(variables)

    def update(self, grads, variables, lr):
        step = ops.cast(self._completed_updates() + 1, "float32")
        rho = ops.minimum(lr, 1.0 / ops.sqrt(step))
        beta_2 = 1.0 - ops.power(step, self.beta_2_decay)
        rs, cs, vs = (self._slots_for(s, variables) for s in (self._r, self._c, self._v))
        for g, v, r, c, vel in zip(grads, variables, rs, cs, vs):
            alpha = ops.maximum(self.epsilon_2, _rms(v.value)) * rho
            squared = ops.square(g) + self.epsilon_1
            if r is not None:
                r.assign(beta_2 * r.value + (1.0 - beta_2) * ops.mean(squared, axis=-1))
                c.assign(beta_2 * c.value + (1.0 - beta_2) * ops.mean(squared, axis=-2))
                row = r.value / ops.mean(r.value, axis=-1, keepdims=True)
                vel.assign(ops.expand_dims(row, -1) * ops.expand_dims(c.value, -2))
            else:
                vel.assign(beta_2 * vel.value + (1.0 - beta_2) * squared)
            u = g / ops.sqrt(vel.value)
            u = u / ops.maximum(1.0, _rms(u) / self.clip_threshold)
            v.assign(v.value - alpha * u)

    def get_config(self):
        return {**super().get_config(), "beta_2_decay": self.beta_2_decay,
                "epsilon_1": self.epsilon_1, "epsilon_2": self.epsilon_2,
                "clip_threshold": self.clip_threshold, "relative_step": self.relative_step}
