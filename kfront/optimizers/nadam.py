"""``Nadam`` (Keras 3's update rule: Adam with Nesterov momentum and a momentum schedule)."""
from kfront import ops
from kfront.optimizers.arguments import check_unit_interval
from kfront.optimizers.optimizer import Optimizer


class Nadam(Optimizer):
    """Nadam. With ``mu_t = beta_1 (1 - 0.5 * 0.96^t)`` and ``P_t`` the running product
    of the ``mu``: ``m += (g - m)(1 - beta_1)``, ``u += (g^2 - u)(1 - beta_2)``,
    ``m_hat = mu_{t+1} m / (1 - P_t mu_{t+1}) + (1 - mu_t) g / (1 - P_t)``,
    ``v -= lr * m_hat / (sqrt(u / (1 - beta_2^t)) + epsilon)``.

    Args:
        learning_rate: a number or a schedule.
        beta_1, beta_2: decay rates of the moments, in [0, 1].
        epsilon: added to the denominator.
    """

    _keras_interleaved_slots = (("momentum", "velocity"),)

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                 name="nadam", **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        check_unit_interval("Nadam", beta_1=beta_1, beta_2=beta_2)
        self.beta_1, self.beta_2, self.epsilon = beta_1, beta_2, epsilon

    def build(self, variables):
        dtype = variables[0].dtype if variables else "float32"
        self.u_product = self.add_variable(1.0, dtype=dtype, name="u_product")
        self.momentums = [self.add_variable_from_reference(v, "momentum") for v in variables]
        self.velocities = [self.add_variable_from_reference(v, "velocity") for v in variables]
        super().build(variables)

    def update(self, grads, variables, lr):
        beta_1, beta_2 = self.beta_1, self.beta_2
        completed = self._completed_updates()
        step = ops.cast(completed + 1, "float32")
        next_step = ops.cast(completed + 2, "float32")
        u_t = beta_1 * (1.0 - 0.5 * ops.power(0.96, step))
        u_t_1 = beta_1 * (1.0 - 0.5 * ops.power(0.96, next_step))
        # The product is advanced once per update, before the per-variable steps read it.
        product = self.u_product.value * beta_1 * (1.0 - 0.5 * ops.power(0.96, step))
        self.u_product.assign(product)
        product_next = product * u_t_1
        beta_2_power = ops.power(beta_2, step)
        momentums = self._slots_for(self.momentums, variables)
        velocities = self._slots_for(self.velocities, variables)
        for g, v, m, u in zip(grads, variables, momentums, velocities):
            m_new = m.value + (g - m.value) * (1 - beta_1)
            u_new = u.value + (ops.square(g) - u.value) * (1 - beta_2)
            m.assign(m_new)
            u.assign(u_new)
            m_hat = u_t_1 * m_new / (1 - product_next) + (1 - u_t) * g / (1 - product)
            u_hat = u_new / (1 - beta_2_power)
            v.assign(v.value - m_hat * lr / (ops.sqrt(u_hat) + self.epsilon))

    def get_config(self):
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2,
                "epsilon": self.epsilon}
