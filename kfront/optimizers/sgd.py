"""``SGD`` with optional momentum and Nesterov momentum (Keras 3's update rule)."""
from kfront.optimizers.optimizer import Optimizer


class SGD(Optimizer):
    """Gradient descent: ``v -= lr * g``; with momentum ``m = momentum * m - lr * g`` and
    ``v += m`` (Nesterov: ``v += momentum * m - lr * g``)."""

    _kernel_key = "sgd"

    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False, name="SGD", **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        if isinstance(momentum, bool) or not isinstance(momentum, (int, float)) \
                or not 0.0 <= momentum <= 1.0:
            raise ValueError(f"SGD: `momentum` must be a float in [0, 1], received {momentum!r}.")
        self.momentum = float(momentum)
        self.nesterov = bool(nesterov)

    def build(self, variables):
        self.momentums = [self.add_variable_from_reference(v, "momentum") for v in variables] \
            if self.momentum else []
        super().build(variables)

    def update(self, grads, variables, lr):
        if not self.momentum:
            for g, v in zip(grads, variables):
                v.assign(v.value - lr * g)
            return
        for g, v, m in zip(grads, variables, self._slots_for(self.momentums, variables)):
            new_m = self.momentum * m.value - lr * g
            m.assign(new_m)
            if self.nesterov:
                v.assign(v.value + (self.momentum * new_m - lr * g))
            else:
                v.assign(v.value + new_m)

    def get_config(self):
        return {**super().get_config(), "momentum": self.momentum, "nesterov": self.nesterov}
