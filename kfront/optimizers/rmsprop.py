"""``RMSprop`` (Keras 3's update rule: optional momentum and centering)."""
from kfront import ops
from kfront.optimizers.optimizer import Optimizer


class RMSprop(Optimizer):
    """RMSprop: ``u = rho u + (1 - rho) g^2``; ``v -= lr g / sqrt(u + epsilon)``.
    ``centered`` subtracts the squared running mean of ``g`` from ``u``; ``momentum``
    accumulates the increments."""

    _kernel_key = "rmsprop"

    def __init__(self, learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7,
                 centered=False, name="rmsprop", **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.rho, self.momentum, self.epsilon = rho, momentum, epsilon
        self.centered = bool(centered)

    def build(self, variables):
        self.velocities = [self.add_variable_from_reference(v, "velocity") for v in variables]
        self.momentums = [self.add_variable_from_reference(v, "momentum") for v in variables] \
            if self.momentum > 0 else []
        self.average_gradients = [self.add_variable_from_reference(v, "average_gradient")
                                  for v in variables] if self.centered else []
        super().build(variables)

    def update(self, grads, variables, lr):
        rho = self.rho
        velocities = self._slots_for(self.velocities, variables)
        averages = self._slots_for(self.average_gradients, variables) if self.centered else None
        momentums = self._slots_for(self.momentums, variables) if self.momentum > 0 else None
        for i, (g, v) in enumerate(zip(grads, variables)):
            vel = velocities[i]
            vel_new = rho * vel.value + (1.0 - rho) * ops.square(g)
            vel.assign(vel_new)
            if averages is not None:
                ag_new = rho * averages[i].value + (1.0 - rho) * g
                averages[i].assign(ag_new)
                denominator = vel_new - ops.square(ag_new) + self.epsilon
            else:
                denominator = vel_new + self.epsilon
            increment = lr * g / ops.sqrt(denominator)
            if momentums is not None:
                m_new = self.momentum * momentums[i].value + increment
                momentums[i].assign(m_new)
                v.assign(v.value - m_new)
            else:
                v.assign(v.value - increment)

    def get_config(self):
        return {**super().get_config(), "rho": self.rho, "momentum": self.momentum,
                "epsilon": self.epsilon, "centered": self.centered}
