"""``ScheduleFreeAdamW`` (Keras 3's update rule: schedule-free AdamW, Defazio et al. 2024)."""
from kfront import ops
from kfront.optimizers.arguments import check_non_negative, check_unit_interval
from kfront.optimizers.optimizer import Optimizer


class ScheduleFreeAdamW(Optimizer):
    """Schedule-free AdamW: no learning-rate schedule needed; the weights are an
    interpolation between a fast iterate ``z`` (kept in the "momentum" slot) and its
    running average ``x``.

    Per step ``t``: ``u += (g**2 - u)(1 - beta_2)``,
    ``z -= lr_t * g / (sqrt(u / (1 - beta_2**t)) + epsilon)``, ``x = (w - (1 - beta_1) z_old)
    / beta_1`` then ``x = (1 - 1/t) x + z / t`` and ``w = (1 - beta_1) z + beta_1 x``, with
    ``lr_t = lr * min(t / warmup_steps, 1)`` during warmup.

    Args:
        learning_rate: a number or a schedule (default 0.0025).
        beta_1: the interpolation weight, in [0, 1].
        beta_2: the decay of the second moment, in [0, 1].
        epsilon: added to the denominator.
        warmup_steps: linear warmup length (0: none).
    """

    _keras_interleaved_slots = (("momentum", "velocity"),)

    def __init__(self, learning_rate=0.0025, beta_1=0.9, beta_2=0.999, epsilon=1e-8,
                 warmup_steps=0, name="schedule_free_adamw", **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        check_unit_interval("ScheduleFreeAdamW", beta_1=beta_1, beta_2=beta_2)
        check_non_negative("ScheduleFreeAdamW", epsilon=epsilon, warmup_steps=warmup_steps)
        self.beta_1, self.beta_2, self.epsilon = beta_1, beta_2, epsilon
        self.warmup_steps = warmup_steps

    def build(self, variables):
        self._momentums = [self.add_variable_from_reference(v, "momentum", v.value)
                           for v in variables]
        self._velocities = [self.add_variable_from_reference(v, "velocity")
                            for v in variables]
        super().build(variables)

    def update(self, grads, variables, lr):
        step = ops.cast(self._completed_updates() + 1, "float32")
        if self.warmup_steps > 0:
            lr = lr * ops.minimum(step / float(self.warmup_steps), 1.0)
        correction_2 = 1.0 - ops.power(self.beta_2, step)
        weight = 1.0 / step
        zs = self._slots_for(self._momentums, variables)
        us = self._slots_for(self._velocities, variables)
        for g, v, z, u in zip(grads, variables, zs, us):
            # The average x comes from the fast iterate before this step's update: computed
            # first, since on torch and TF a variable's value is a live view of it.
            x = (v.value - (1.0 - self.beta_1) * z.value) / self.beta_1
            u_new = u.value + (ops.square(g) - u.value) * (1.0 - self.beta_2)
            u.assign(u_new)
            z_new = z.value - lr * g / (ops.sqrt(u_new / correction_2) + self.epsilon)
            z.assign(z_new)
            x = (1.0 - weight) * x + weight * z_new
            v.assign((1.0 - self.beta_1) * z_new + self.beta_1 * x)

    def get_config(self):
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2,
                "epsilon": self.epsilon, "warmup_steps": self.warmup_steps}
