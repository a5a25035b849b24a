"""``LossScaleOptimizer``: dynamic loss scaling around another optimizer.

With float16 compute, small gradients underflow to zero. The train step multiplies the
loss by a large scale (``scale_loss``) before taking gradients; this optimizer divides the
gradients by it again. When a gradient overflows (inf or NaN) the step is skipped and the
scale halved; after ``dynamic_growth_steps`` finite steps in a row the scale doubles.
Skipping is a selection with ``ops.where``, not a Python branch, so it runs inside
compiled steps.
"""
from kfront import ops
from kfront.optimizers import select
from kfront.optimizers.optimizer import Optimizer

# Base-optimizer arguments and their defaults: they belong on the inner optimizer.
_INNER_ONLY = {"weight_decay": None, "clipnorm": None, "global_clipnorm": None,
               "clipvalue": None, "use_ema": False, "ema_momentum": 0.99,
               "ema_overwrite_frequency": None, "loss_scale_factor": None,
               "gradient_accumulation_steps": None}


class LossScaleOptimizer(Optimizer):
    """Wraps ``inner_optimizer`` with a dynamic loss scale.

    Args:
        inner_optimizer: the optimizer that applies the unscaled gradients (an
            ``Optimizer`` or its config).
        initial_scale: the starting scale (2**15).
        dynamic_growth_steps: finite steps between doublings of the scale (2000).

    >>> opt = LossScaleOptimizer(kfront.optimizers.SGD(0.1))
    >>> scaled_loss = opt.scale_loss(loss)   # in the train step, before the gradient
    >>> opt.apply(grads_of_scaled_loss, variables)
    """

    def __init__(self, inner_optimizer, initial_scale=2.0 ** 15, dynamic_growth_steps=2000,
                 name=None, **kwargs):
        if not kwargs.pop("dynamic", True):
            raise ValueError("LossScaleOptimizer no longer supports `dynamic=False`. "
                             "Instead, simply set `loss_scale_factor` directly on the "
                             "`inner_optimizer`.")
        for arg, default in _INNER_ONLY.items():
            if arg in kwargs and kwargs.pop(arg) != default:
                raise ValueError(f"LossScaleOptimizer does not support `{arg}`. Instead, set "
                                 f"`{arg}` on the `inner_optimizer`.")
        if kwargs:
            raise ValueError("LossScaleOptimizer does not support arguments: "
                             f"`{'`, `'.join(sorted(kwargs))}`.")
        if isinstance(inner_optimizer, (dict, str)):
            from kfront.saving.saving_lib import deserialize_optimizer
            inner_optimizer = deserialize_optimizer(inner_optimizer)
        if not isinstance(inner_optimizer, Optimizer):
            raise ValueError("LossScaleOptimizer: `inner_optimizer` must be a kfront "
                             f"optimizer, received {inner_optimizer!r}.")
        if isinstance(initial_scale, bool) or not isinstance(initial_scale, (int, float)) \
                or not initial_scale > 0:
            raise ValueError("LossScaleOptimizer: `initial_scale` must be a number > 0, "
                             f"received {initial_scale!r}.")
        if isinstance(dynamic_growth_steps, bool) or \
                not isinstance(dynamic_growth_steps, int) or dynamic_growth_steps < 1:
            raise ValueError("LossScaleOptimizer: `dynamic_growth_steps` must be an integer "
                             f">= 1, received {dynamic_growth_steps!r}.")
        super().__init__(learning_rate=0.0, name=name)
        self.inner_optimizer = inner_optimizer
        self.initial_scale = float(initial_scale)
        self.dynamic_growth_steps = dynamic_growth_steps
        # The scale replaces any fixed factor of the inner optimizer.
        self.inner_optimizer.loss_scale_factor = None

    def build(self, variables):
        variables = list(variables)
        self.step_counter = self.add_variable(0, dtype="int32", name="step_counter")
        self.dynamic_scale = self.add_variable(self.initial_scale, dtype="float32",
                                               name="dynamic_scale")
        if not self.inner_optimizer.built:
            self.inner_optimizer.build(variables)
        super().build(variables)

    @property
    def variables(self):
        return self._own + self.inner_optimizer.variables

    @property
    def iterations(self):
        return self.inner_optimizer.iterations

    @property
    def learning_rate(self):
        return self.inner_optimizer.learning_rate

    @learning_rate.setter
    def learning_rate(self, value):
        self.inner_optimizer.learning_rate = value

    lr = learning_rate

    def scale_loss(self, loss):
        """The loss times the current scale (call it before taking gradients)."""
        scale = self.dynamic_scale.value if self.built else self.initial_scale
        return loss * ops.cast(scale, ops.dtype(loss))

    def check_finite(self, grads):
        """A boolean scalar: whether every gradient is finite."""
        return ops.all(ops.stack([ops.all(ops.isfinite(g)) for g in grads]))

    def apply(self, grads, variables=None):
        """Unscales ``grads`` and applies them with the inner optimizer, unless one is not
        finite; then adjusts the scale."""
        grads = list(grads)
        if variables is not None:
            variables = list(variables)
        if not self.built:
            if variables is None:
                raise ValueError("LossScaleOptimizer.apply(grads) without variables needs "
                                 "an optimizer built on them: call `build(variables)` "
                                 "first, or pass `apply(grads, variables)`.")
            self.build(variables)
        if variables is None:
            variables = self._built_variables
        if len(grads) != len(variables):
            raise ValueError(f"LossScaleOptimizer.apply: received {len(grads)} gradients for "
                             f"{len(variables)} variables.")
        pairs = [(g, v) for g, v in zip(grads, variables) if g is not None]
        if not pairs:
            return self.inner_optimizer.apply(grads, variables)
        present = [ops.convert_to_tensor(g) for g, _ in pairs]
        finite = self.check_finite(present)
        scale = self.dynamic_scale.value
        unscaled = [g / ops.cast(scale, ops.dtype(g)) for g in present]
        watched = select.unique([v for _, v in pairs] + self.inner_optimizer.variables)
        before = select.snapshot(watched)
        self.inner_optimizer.apply(unscaled, [v for _, v in pairs])
        select.keep_if(finite, watched, before)
        counter = self.step_counter.value
        grow = ops.logical_and(finite, ops.equal(counter, self.dynamic_growth_steps - 1))
        new_scale = ops.where(finite, ops.where(grow, scale * 2.0, scale), scale * 0.5)
        new_counter = ops.where(ops.logical_and(finite, ops.logical_not(grow)), counter + 1,
                                ops.zeros_like(counter))
        self.dynamic_scale.assign(new_scale)
        self.step_counter.assign(new_counter)

    def finalize_variable_values(self, var_list):
        self.inner_optimizer.finalize_variable_values(var_list)

    def get_config(self):
        from kfront.saving import serialization
        return {"name": self.name,
                "inner_optimizer": serialization.serialize_object(self.inner_optimizer,
                                                                  "optimizer"),
                "initial_scale": self.initial_scale,
                "dynamic_growth_steps": self.dynamic_growth_steps}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        from kfront.saving.saving_lib import deserialize_optimizer
        inner = deserialize_optimizer(config.pop("inner_optimizer"), custom_objects)
        return cls(inner, **config)
