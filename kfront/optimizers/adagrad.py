"""``Adagrad`` (Keras 3's update rule)."""
from kfront import ops
from kfront.optimizers.arguments import check_non_negative
from kfront.optimizers.optimizer import Optimizer


class Adagrad(Optimizer):
    """Adagrad: ``a += g^2``; ``v -= lr * g / sqrt(a + epsilon)``.

    Args:
        learning_rate: a number or a schedule.
        initial_accumulator_value: the starting value of ``a`` (>= 0).
        epsilon: added inside the square root.
    """

    _kernel_key = "adagrad"

    def __init__(self, learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7,
                 name="adagrad", **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        check_non_negative("Adagrad", initial_accumulator_value=initial_accumulator_value)
        self.initial_accumulator_value = initial_accumulator_value
        self.epsilon = epsilon

    def build(self, variables):
        self.accumulators = [self.add_variable_from_reference(
            v, "accumulator", self.initial_accumulator_value) for v in variables]
        super().build(variables)

    def update(self, grads, variables, lr):
        for g, v, a in zip(grads, variables, self._slots_for(self.accumulators, variables)):
            a_new = a.value + ops.square(g)
            a.assign(a_new)
            v.assign(v.value - lr * g / ops.sqrt(a_new + self.epsilon))

    def get_config(self):
        return {**super().get_config(),
                "initial_accumulator_value": self.initial_accumulator_value,
                "epsilon": self.epsilon}
