"""``Adam`` (Keras 3's update rule, bias correction folded into the step size)."""
import numpy as np

from kfront import ops
from kfront.optimizers.optimizer import Optimizer


class Adam(Optimizer):
    """Adam: ``m += (g - m)(1 - beta_1)``, ``u += (g^2 - u)(1 - beta_2)``,
    ``v -= alpha * m / (sqrt(u) + epsilon)`` with
    ``alpha = lr * sqrt(1 - beta_2^t) / (1 - beta_1^t)``; ``amsgrad`` uses the running max of ``u``.
    """

    _kernel_key = "adam"

    _keras_interleaved_slots = (("momentum", "velocity"),)

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                 amsgrad=False, name="adam", **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.beta_1, self.beta_2, self.epsilon = beta_1, beta_2, epsilon
        self.amsgrad = bool(amsgrad)

    def build(self, variables):
        self.momentums = [self.add_variable_from_reference(v, "momentum") for v in variables]
        self.velocities = [self.add_variable_from_reference(v, "velocity") for v in variables]
        self.velocity_hats = [self.add_variable_from_reference(v, "velocity_hat")
                              for v in variables] if self.amsgrad else []
        super().build(variables)

    def step_size(self, lr, updates=None):
        """``alpha`` of this step (the bias corrections of step ``iterations + 1``).

        ``updates``, the count of completed updates as a Python int (an eager caller that
        holds it in host memory), computes the same float32 arithmetic on NumPy scalars
        instead of nine small tensor ops. Float32 matters: ``1 - beta_2 ** t`` cancels
        most digits, and every engine computes it in float32.
        """
        if updates is not None:
            t = np.float32(updates + 1)
            one = np.float32(1.0)
            return float(np.float32(lr) * np.sqrt(one - np.float32(self.beta_2) ** t)
                         / (one - np.float32(self.beta_1) ** t))
        step = ops.cast(self._completed_updates() + 1, "float32")
        return lr * ops.sqrt(1.0 - ops.power(self.beta_2, step)) / \
            (1.0 - ops.power(self.beta_1, step))

    def update(self, grads, variables, lr):
        alpha = self.step_size(lr)
        momentums = self._slots_for(self.momentums, variables)
        velocities = self._slots_for(self.velocities, variables)
        hats = self._slots_for(self.velocity_hats, variables) if self.amsgrad else None
        for i, (g, v) in enumerate(zip(grads, variables)):
            m, u = momentums[i], velocities[i]
            m_new = m.value + (g - m.value) * (1.0 - self.beta_1)
            u_new = u.value + (ops.square(g) - u.value) * (1.0 - self.beta_2)
            m.assign(m_new)
            u.assign(u_new)
            if hats is not None:
                u_new = ops.maximum(hats[i].value, u_new)
                hats[i].assign(u_new)
            v.assign(v.value - alpha * m_new / (ops.sqrt(u_new) + self.epsilon))

    def get_config(self):
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2,
                "epsilon": self.epsilon, "amsgrad": self.amsgrad}
