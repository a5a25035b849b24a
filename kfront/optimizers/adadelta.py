"""``Adadelta`` (Keras 3's update rule)."""
from kfront import ops
from kfront.optimizers.arguments import check_unit_interval
from kfront.optimizers.optimizer import Optimizer


class Adadelta(Optimizer):
    """Adadelta: ``a = rho a + (1 - rho) g^2``;
    ``d = -sqrt(b + epsilon) g / sqrt(a + epsilon)``; ``b = rho b + (1 - rho) d^2``;
    ``v += lr * d``.

    Args:
        learning_rate: a number or a schedule (Keras's default 0.001).
        rho: the decay rate of both running averages, in [0, 1].
        epsilon: added inside the square roots.
    """

    _keras_interleaved_slots = (("accumulated_grad", "accumulated_delta_var"),)

    def __init__(self, learning_rate=0.001, rho=0.95, epsilon=1e-7, name="adadelta",
                 **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        check_unit_interval("Adadelta", rho=rho)
        self.rho, self.epsilon = rho, epsilon

    def build(self, variables):
        self.accumulated_grads = [self.add_variable_from_reference(v, "accumulated_grad")
                                  for v in variables]
        self.accumulated_delta_vars = [
            self.add_variable_from_reference(v, "accumulated_delta_var") for v in variables]
        super().build(variables)

    def update(self, grads, variables, lr):
        rho, eps = self.rho, self.epsilon
        grad_avgs = self._slots_for(self.accumulated_grads, variables)
        delta_avgs = self._slots_for(self.accumulated_delta_vars, variables)
        for g, v, a, b in zip(grads, variables, grad_avgs, delta_avgs):
            a_new = rho * a.value + (1 - rho) * ops.square(g)
            a.assign(a_new)
            delta = -(ops.sqrt(b.value + eps) * g / ops.sqrt(a_new + eps))
            b.assign(rho * b.value + (1 - rho) * ops.square(delta))
            v.assign(v.value + lr * delta)

    def get_config(self):
        return {**super().get_config(), "rho": self.rho, "epsilon": self.epsilon}
