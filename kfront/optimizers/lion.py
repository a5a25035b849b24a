"""``Lion`` (Keras 3's update rule: the sign of an interpolated momentum)."""
from kfront import ops
from kfront.optimizers.arguments import check_unit_interval
from kfront.optimizers.optimizer import Optimizer


class Lion(Optimizer):
    """Lion: ``v -= lr * sign(beta_1 m + (1 - beta_1) g)``; then
    ``m = beta_2 m + (1 - beta_2) g``.

    Args:
        learning_rate: a number or a schedule.
        beta_1: the interpolation of the update, in (0, 1].
        beta_2: the decay rate of the momentum, in [0, 1].
    """

    _kernel_key = "lion"

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.99, name="lion", **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        if isinstance(beta_1, bool) or not isinstance(beta_1, (int, float)) \
                or beta_1 <= 0 or beta_1 > 1:
            raise ValueError("Lion: argument `beta_1` must be in the (0, 1] range. Otherwise, "
                             "the optimizer degenerates to SignSGD. Received: "
                             f"beta_1={beta_1!r}.")
        check_unit_interval("Lion", beta_2=beta_2)
        self.beta_1, self.beta_2 = beta_1, beta_2

    def build(self, variables):
        self.momentums = [self.add_variable_from_reference(v, "momentum") for v in variables]
        super().build(variables)

    def update(self, grads, variables, lr):
        b1, b2 = self.beta_1, self.beta_2
        for g, v, m in zip(grads, variables, self._slots_for(self.momentums, variables)):
            v.assign(v.value - lr * ops.sign(m.value * b1 + g * (1.0 - b1)))
            m.assign(m.value * b2 + g * (1.0 - b2))

    def get_config(self):
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2}
