"""``Muon`` (Keras 3's update rule: orthogonalised momentum for 2-D weights, AdamW for
the rest)."""
import re

from kfront import ops
from kfront.optimizers.optimizer import Optimizer


def _swap_last_axes(x):
    rank = len(ops.shape(x))
    return ops.transpose(x, list(range(rank - 2)) + [rank - 1, rank - 2])


class Muon(Optimizer):
    """Muon: momentum whose update is orthogonalised by ``ns_steps`` Newton-Schulz
    iterations (coefficients ``muon_a, muon_b, muon_c``), scaled by
    ``sqrt(max(rows, cols)) * rms_rate``, for 2-D weights; AdamW (learning rate times
    ``adam_lr_ratio``) for every other weight, for embeddings (``exclude_embeddings``:
    a path containing "embedding") and for paths matching a regular expression of
    ``exclude_layers``.

    Weight decay is ``weight_decay`` for Muon weights and ``adam_weight_decay`` for the
    AdamW ones (``v -= v * decay * lr`` before the update).

    Args:
        learning_rate: a number or a schedule.
        adam_beta_1, adam_beta_2, epsilon: the AdamW part's moments and epsilon.
        adam_weight_decay / weight_decay: the decoupled decays (see above).
        exclude_layers: regular expressions of paths updated by AdamW.
        exclude_embeddings: update embedding tables with AdamW.
        muon_a, muon_b, muon_c: the Newton-Schulz coefficients.
        adam_lr_ratio: the AdamW learning rate relative to ``learning_rate``.
        momentum: Muon's momentum.
        ns_steps: the number of Newton-Schulz iterations.
        nesterov: use Nesterov momentum.
        rms_rate: the update-RMS matching factor (None: no rescaling).
    """

    def __init__(self, learning_rate=0.001, adam_beta_1=0.9, adam_beta_2=0.999,
                 adam_weight_decay=0.004, epsilon=1e-7, weight_decay=0.004,
                 exclude_layers=None, exclude_embeddings=True, muon_a=3.4445, muon_b=-4.775,
                 muon_c=2.0315, adam_lr_ratio=1, momentum=0.95, ns_steps=5, nesterov=True,
                 rms_rate=0.2, name="muon", **kwargs):
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay, name=name,
                         **kwargs)
        if isinstance(ns_steps, bool) or not isinstance(ns_steps, int) or ns_steps < 0:
            raise ValueError(f"Muon: `ns_steps` must be a non-negative int, received "
                             f"{ns_steps!r}.")
        if exclude_layers is not None and (isinstance(exclude_layers, str) or not all(
                isinstance(p, str) for p in exclude_layers)):
            raise ValueError("Muon: `exclude_layers` must be a list of regular expressions, "
                             f"received {exclude_layers!r}.")
        self.adam_beta_1, self.adam_beta_2, self.epsilon = adam_beta_1, adam_beta_2, epsilon
        self.muon_a, self.muon_b, self.muon_c = muon_a, muon_b, muon_c
        self.adam_lr_ratio, self.momentum, self.ns_steps = adam_lr_ratio, momentum, ns_steps
        self.nesterov, self.rms_rate = nesterov, rms_rate
        self.exclude_embeddings = exclude_embeddings
        self.exclude_layers = list(exclude_layers or [])
        self.adam_weight_decay = adam_weight_decay

    def _should_use_adamw(self, variable):
        if len(variable.shape) != 2:
            return True
        if self.exclude_embeddings and "embedding" in variable.path.lower():
            return True
        return any(re.search(p, variable.path) for p in self.exclude_layers)

    def build(self, variables):
        # Keras's order: each weight's momentum, then its velocity when AdamW updates it.
        self._momentums, self._velocities = [], []
        for v in variables:
            self._momentums.append(self.add_variable_from_reference(v, "momentum"))
            self._velocities.append(self.add_variable_from_reference(v, "velocity")
                                    if self._should_use_adamw(v) else None)
        super().build(variables)

    def _use_weight_decay(self, variable):
        # The base decay is off: `update` applies each weight's own decay.
        return False

    def update(self, grads, variables, lr):
        for v in variables:
            decay = self.adam_weight_decay if self._should_use_adamw(v) else self.weight_decay
            if decay and super()._use_weight_decay(v):
                v.assign(v.value - v.value * decay * lr)
        step = ops.cast(self._completed_updates() + 1, "float32")
        ms = self._slots_for(self._momentums, variables)
        us = self._slots_for(self._velocities, variables)
        for g, v, m, u in zip(grads, variables, ms, us):
            if u is not None:
                self._adamw_step(g, v, lr * self.adam_lr_ratio, m, u, step)
            else:
                self._muon_step(g, v, lr, m)

    def _adamw_step(self, g, v, lr, m, u, step):
        alpha = lr * ops.sqrt(1.0 - ops.power(self.adam_beta_2, step)) / \
            (1.0 - ops.power(self.adam_beta_1, step))
        m.assign(m.value + (g - m.value) * (1.0 - self.adam_beta_1))
        u.assign(u.value + (ops.square(g) - u.value) * (1.0 - self.adam_beta_2))
        v.assign(v.value - m.value * alpha / (ops.sqrt(u.value) + self.epsilon))

    def _muon_step(self, g, v, lr, m):
        m.assign(m.value + g + m.value * (self.momentum - 1.0))
        direction = g + self.momentum * m.value if self.nesterov else m.value
        update = lr * self.zeropower_via_newtonschulz5(direction, self.ns_steps)
        if self.rms_rate is not None:
            rows, cols = tuple(v.shape)[:2]
            update = update * (max(rows, cols) ** 0.5) * self.rms_rate
        v.assign(v.value - update)

    def zeropower_via_newtonschulz5(self, x, steps):
        """An approximately orthogonal matrix with ``x``'s singular vectors
        (quintic Newton-Schulz iterations on the normalised ``x``)."""
        shape = tuple(ops.shape(x))
        if len(shape) < 2:
            raise ValueError("Expected gradient or momentum to have at least 2 dimensions. "
                             f"Received: shape={shape}")
        tall = shape[-2] > shape[-1]
        if tall:
            x = _swap_last_axes(x)
        norm = ops.sqrt(ops.sum(ops.square(x), axis=(-2, -1), keepdims=True))
        x = x / (norm + 1e-7)
        for _ in range(steps):
            gram = ops.matmul(x, _swap_last_axes(x))
            poly = self.muon_b * gram + self.muon_c * ops.matmul(gram, gram)
            x = self.muon_a * x + ops.matmul(poly, x)
        return _swap_last_axes(x) if tall else x

    def get_config(self):
        return {**super().get_config(), "adam_beta_1": self.adam_beta_1,
                "adam_beta_2": self.adam_beta_2, "epsilon": self.epsilon,
                "exclude_layers": self.exclude_layers, "muon_a": self.muon_a,
                "muon_b": self.muon_b, "muon_c": self.muon_c,
                "adam_lr_ratio": self.adam_lr_ratio, "momentum": self.momentum,
                "ns_steps": self.ns_steps, "nesterov": self.nesterov,
                "exclude_embeddings": self.exclude_embeddings,
                "adam_weight_decay": self.adam_weight_decay, "rms_rate": self.rms_rate}
