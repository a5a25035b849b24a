"""``Ftrl``: Follow The Regularized Leader (Keras 3's update rule)."""
from kfront import ops
from kfront.optimizers.optimizer import Optimizer


class Ftrl(Optimizer):
    """FTRL-Proximal. With ``n`` the accumulated squared gradients, ``z`` the linear term
    and ``p = -learning_rate_power``:
    ``g' = g + 2 * l2_shrinkage * v``; ``n' = n + g^2``;
    ``z += g' - (n'^p - n^p) / lr * v``;
    ``v = (clip(z, -l1, l1) - z) / (n'^p / lr + 2 * (l2 + beta / (2 lr)))``.

    Args:
        learning_rate: a number or a schedule.
        learning_rate_power: <= 0 (-0.5 by default).
        initial_accumulator_value: the starting ``n`` (>= 0).
        l1_regularization_strength, l2_regularization_strength,
        l2_shrinkage_regularization_strength: >= 0.
        beta: added to the denominator as in the FTRL paper.
    """

    _keras_interleaved_slots = (("accumulator", "linear"),)

    def __init__(self, learning_rate=0.001, learning_rate_power=-0.5,
                 initial_accumulator_value=0.1, l1_regularization_strength=0.0,
                 l2_regularization_strength=0.0, l2_shrinkage_regularization_strength=0.0,
                 beta=0.0, name="ftrl", **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        checks = (("initial_accumulator_value", initial_accumulator_value, "positive or zero"),
                  ("l1_regularization_strength", l1_regularization_strength,
                   "positive or zero"),
                  ("l2_regularization_strength", l2_regularization_strength,
                   "positive or zero"),
                  ("l2_shrinkage_regularization_strength",
                   l2_shrinkage_regularization_strength, "positive or zero"),
                  ("learning_rate_power", -learning_rate_power
                   if isinstance(learning_rate_power, (int, float)) else None,
                   "negative or zero"))
        for arg, value, wanted in checks:
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                shown = learning_rate_power if arg == "learning_rate_power" else value
                raise ValueError(f"Ftrl: `{arg}` needs to be {wanted}. Received: "
                                 f"{arg}={shown!r}.")
        self.learning_rate_power = learning_rate_power
        self.initial_accumulator_value = initial_accumulator_value
        self.l1_regularization_strength = l1_regularization_strength
        self.l2_regularization_strength = l2_regularization_strength
        self.l2_shrinkage_regularization_strength = l2_shrinkage_regularization_strength
        self.beta = beta

    def build(self, variables):
        self.accumulators = [self.add_variable_from_reference(
            v, "accumulator", self.initial_accumulator_value) for v in variables]
        self.linears = [self.add_variable_from_reference(v, "linear") for v in variables]
        super().build(variables)

    def update(self, grads, variables, lr):
        power = -self.learning_rate_power
        l1 = self.l1_regularization_strength
        l2 = self.l2_regularization_strength + self.beta / (2.0 * lr)
        shrinkage = 2 * self.l2_shrinkage_regularization_strength
        accumulators = self._slots_for(self.accumulators, variables)
        linears = self._slots_for(self.linears, variables)
        for g, v, n, z in zip(grads, variables, accumulators, linears):
            w = v.value
            g_shrunk = g + shrinkage * w
            n_new = n.value + ops.square(g)
            n_power = ops.power(n_new, power)
            z_new = z.value + (g_shrunk - (n_power - ops.power(n.value, power)) / lr * w)
            z.assign(z_new)
            quadratic = n_power / lr + 2 * l2
            v.assign((ops.clip(z_new, -l1, l1) - z_new) / quadratic)
            n.assign(n_new)

    def get_config(self):
        return {**super().get_config(), "learning_rate_power": self.learning_rate_power,
                "initial_accumulator_value": self.initial_accumulator_value,
                "l1_regularization_strength": self.l1_regularization_strength,
                "l2_regularization_strength": self.l2_regularization_strength,
                "l2_shrinkage_regularization_strength":
                    self.l2_shrinkage_regularization_strength,
                "beta": self.beta}
