"""``Adamax`` (Keras 3's update rule: Adam with the infinity norm)."""
from kfront import ops
from kfront.optimizers.arguments import check_unit_interval
from kfront.optimizers.optimizer import Optimizer


class Adamax(Optimizer):
    """Adamax: ``m += (g - m)(1 - beta_1)``; ``u = max(beta_2 u, |g|)``;
    ``v -= lr * m / ((1 - beta_1^t)(u + epsilon))``.

    Args:
        learning_rate: a number or a schedule.
        beta_1, beta_2: decay rates of the first moment and of the norm, in [0, 1].
        epsilon: added to ``u``.
    """

    _keras_interleaved_slots = (("momentum", "norm"),)

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                 name="adamax", **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        check_unit_interval("Adamax", beta_1=beta_1, beta_2=beta_2)
        self.beta_1, self.beta_2, self.epsilon = beta_1, beta_2, epsilon

    def build(self, variables):
        self.momentums = [self.add_variable_from_reference(v, "momentum") for v in variables]
        self.norms = [self.add_variable_from_reference(v, "norm") for v in variables]
        super().build(variables)

    def update(self, grads, variables, lr):
        step = ops.cast(self._completed_updates() + 1, "float32")
        correction = 1 - ops.power(self.beta_1, step)
        momentums = self._slots_for(self.momentums, variables)
        norms = self._slots_for(self.norms, variables)
        for g, v, m, u in zip(grads, variables, momentums, norms):
            m_new = m.value + (g - m.value) * (1 - self.beta_1)
            u_new = ops.maximum(self.beta_2 * u.value, ops.abs(g))
            m.assign(m_new)
            u.assign(u_new)
            v.assign(v.value - lr * m_new / (correction * (u_new + self.epsilon)))

    def get_config(self):
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2,
                "epsilon": self.epsilon}
