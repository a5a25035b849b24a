"""``Lamb`` (Keras 3's update rule: Adam steps rescaled by a layer-wise trust ratio)."""
from kfront import ops
from kfront.optimizers.arguments import check_unit_interval
from kfront.optimizers.optimizer import Optimizer


class Lamb(Optimizer):
    """Lamb: Adam's bias-corrected ``r = m_hat / (sqrt(u_hat) + epsilon)``, then
    ``v -= ratio * lr * r`` with ``ratio = ||v|| / ||r||`` (1 when either norm is 0).

    Args:
        learning_rate: a number or a schedule.
        beta_1, beta_2: decay rates of the moments, in [0, 1].
        epsilon: added to the denominator.
    """

    _keras_interleaved_slots = (("momentum", "velocity"),)

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                 name="lamb", **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        check_unit_interval("Lamb", beta_1=beta_1, beta_2=beta_2)
        self.beta_1, self.beta_2, self.epsilon = beta_1, beta_2, epsilon

    def build(self, variables):
        self.momentums = [self.add_variable_from_reference(v, "momentum") for v in variables]
        self.velocities = [self.add_variable_from_reference(v, "velocity") for v in variables]
        super().build(variables)

    def update(self, grads, variables, lr):
        step = ops.cast(self._completed_updates() + 1, "float32")
        beta_1_power = ops.power(self.beta_1, step)
        beta_2_power = ops.power(self.beta_2, step)
        momentums = self._slots_for(self.momentums, variables)
        velocities = self._slots_for(self.velocities, variables)
        for g, v, m, u in zip(grads, variables, momentums, velocities):
            m_new = m.value + (g - m.value) * (1 - self.beta_1)
            u_new = u.value + (ops.square(g) - u.value) * (1 - self.beta_2)
            m.assign(m_new)
            u.assign(u_new)
            r = (m_new / (1.0 - beta_1_power)) / \
                (ops.sqrt(u_new / (1.0 - beta_2_power)) + self.epsilon)
            w_norm = ops.sqrt(ops.sum(ops.square(v.value)))
            r_norm = ops.sqrt(ops.sum(ops.square(r)))
            # A zero norm (fresh zero weights, a zero step) falls back to plain steps.
            ratio = ops.where(w_norm > 0, ops.where(r_norm > 0, w_norm / r_norm, 1.0), 1.0)
            v.assign(v.value - ratio * lr * r)

    def get_config(self):
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2,
                "epsilon": self.epsilon}
