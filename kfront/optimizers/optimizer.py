"""``Optimizer``: the base of every optimizer.

Optimizer state (iteration count, learning rate, slots) lives in ``kfront.Variable``s, so
one update rule, written with ``kfront.ops``, runs inside every engine's compiled step.
An adapter may offer a fused multi-tensor kernel for a rule (``optimizer_kernels``, a dict
``{kernel key: fn(optimizer, grads, variables, lr)}``); then it replaces the per-variable
loop of the class that names that key in ``_kernel_key``.
"""
import inspect
import warnings

from kfront import ops
from kfront.backend.loader import adapter
from kfront.backend.scope import current_scope
from kfront.backend.variable import Variable
from kfront.utils.naming import to_snake_case, unique_name

_B = adapter()
_KERNELS = getattr(_B, "optimizer_kernels", {})


def _takes_argument(fn):
    """Whether a learning-rate callable wants the iteration count (a Keras
    ``LearningRateSchedule``) or nothing (a plain ``lambda: 0.01``)."""
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return True
    return any(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.VAR_POSITIONAL)
               for p in params)


class Optimizer:
    """Base class: subclasses create slots in ``build`` and implement ``update``.

    Args:
        learning_rate: a number, or a schedule: a callable of the iteration count
            (``lambda step: 0.1 * 0.9 ** step``) or of nothing.
        weight_decay: decoupled weight decay, ``v -= v * weight_decay * lr`` before
            each update.
        clipnorm / clipvalue / global_clipnorm: gradient clipping (at most one).
        loss_scale_factor: gradients are divided by it before the update.
        name: the optimizer's name (slot variables are named after it).
    """

    # The key of this exact class's fused kernel in the adapter's ``optimizer_kernels``.
    # Looked up on the class itself, so a subclass that changes ``update`` never gets it.
    _kernel_key = None

    def __init__(self, learning_rate=0.001, weight_decay=None, clipnorm=None, clipvalue=None,
                 global_clipnorm=None, use_ema=False, ema_momentum=0.99,
                 ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, **kwargs):
        cls_name = type(self).__name__
        if "lr" in kwargs:
            warnings.warn(f"{cls_name}: the `lr` argument is deprecated, use `learning_rate` "
                          "instead.", DeprecationWarning, stacklevel=3)
            learning_rate = kwargs.pop("lr")
        if kwargs.pop("decay", None) is not None:
            warnings.warn(f"{cls_name}: the `decay` argument is no longer supported and is "
                          "ignored; pass a learning-rate schedule instead.", stacklevel=3)
        if kwargs:
            raise ValueError(f"{cls_name}: argument(s) not recognized: {sorted(kwargs)}.")
        for arg, value in (("clipnorm", clipnorm), ("clipvalue", clipvalue),
                           ("global_clipnorm", global_clipnorm)):
            if value is not None and (not isinstance(value, (int, float)) or value < 0):
                raise ValueError(f"{cls_name}: `{arg}` must be a number >= 0, received "
                                 f"{value!r}.")
        if sum(v is not None for v in (clipnorm, clipvalue, global_clipnorm)) > 1:
            raise ValueError(f"{cls_name}: only one of `clipnorm`, `clipvalue` and "
                             f"`global_clipnorm` can be set. Received: clipnorm={clipnorm}, "
                             f"clipvalue={clipvalue}, global_clipnorm={global_clipnorm}.")
        if use_ema:
            raise NotImplementedError(f"{cls_name}: `use_ema=True` is not supported by kfront.")
        if gradient_accumulation_steps:
            raise NotImplementedError(f"{cls_name}: `gradient_accumulation_steps` is not "
                                      "supported by kfront.")
        if weight_decay is not None and (not isinstance(weight_decay, (int, float))
                                         or weight_decay < 0):
            raise ValueError(f"{cls_name}: `weight_decay` must be a number >= 0, received "
                             f"{weight_decay!r}.")
        self.name = name or unique_name(to_snake_case(cls_name))
        self.weight_decay = weight_decay
        self.clipnorm, self.clipvalue, self.global_clipnorm = clipnorm, clipvalue, global_clipnorm
        self.use_ema = use_ema
        self.ema_momentum = ema_momentum
        self.ema_overwrite_frequency = ema_overwrite_frequency
        self.loss_scale_factor = loss_scale_factor
        self.gradient_accumulation_steps = gradient_accumulation_steps
        self.iterations = Variable(0, dtype="int32", trainable=False,
                                   name=f"{self.name}/iteration")
        if callable(learning_rate):
            self._schedule = learning_rate
            self._schedule_takes_step = _takes_argument(learning_rate)
            self._learning_rate = None
        else:
            if isinstance(learning_rate, bool) or not isinstance(learning_rate, (int, float)) \
                    or learning_rate < 0:
                raise ValueError(f"{cls_name}: `learning_rate` must be a non-negative number "
                                 f"or a schedule (a callable), received {learning_rate!r}.")
            self._schedule = None
            self._learning_rate = Variable(float(learning_rate), dtype="float32",
                                           trainable=False, name=f"{self.name}/learning_rate")
        self._slots = []
        self._var_index = {}
        self._built_variables = []
        self.built = False

    # ---- learning rate ----
    @property
    def learning_rate(self):
        """The learning-rate variable, or a schedule's value at the current step (as in
        Keras: ``float(opt.learning_rate)``, ``opt.learning_rate.assign(0.1)``)."""
        if self._schedule is not None:
            return self._current_learning_rate()
        return self._learning_rate

    def _current_learning_rate(self):
        """The learning rate of this step as a scalar tensor."""
        if self._schedule is not None:
            if self._schedule_takes_step:
                return self._schedule(self.iterations.value)
            return self._schedule()
        return self._learning_rate.value

    @learning_rate.setter
    def learning_rate(self, value):
        if self._schedule is not None:
            raise TypeError(f"{type(self).__name__}: the learning rate is a schedule; it "
                            "cannot be set to a number after construction.")
        if isinstance(value, Variable):
            value = value.value
        self._learning_rate.assign(float(_B.convert_to_numpy(value))
                                   if _B.is_tensor(value) else float(value))

    lr = learning_rate

    # ---- state ----
    def build(self, variables):
        """Records the variables this optimizer updates; subclasses add slots first."""
        self._built_variables = list(variables)
        self._var_index = {id(v): i for i, v in enumerate(self._built_variables)}
        self.built = True

    def add_variable_from_reference(self, reference, name):
        var = Variable(ops.zeros(reference.shape, dtype=reference.dtype), trainable=False,
                       name=f"{self.name}/{reference.path}_{name}")
        self._slots.append(var)
        return var

    def _slots_for(self, slots, variables):
        """The entries of a per-variable slot list that belong to ``variables``, in order."""
        if variables is self._built_variables:
            return slots
        index = self._var_index
        return [slots[index[id(v)]] for v in variables]

    @property
    def variables(self):
        own = [self.iterations] + ([self._learning_rate] if self._learning_rate is not None else [])
        return own + list(self._slots)

    # ---- updates ----
    def apply_gradients(self, grads_and_vars):
        """Keras 2 style: a list of ``(gradient, variable)`` pairs."""
        grads, variables = [], []
        for g, v in grads_and_vars:
            grads.append(g)
            variables.append(v)
        self.apply(grads, variables)
        return self.iterations

    def apply(self, grads, variables=None):
        """Updates ``variables`` (the list the optimizer was built with, by default) from
        ``grads``, then adds one to ``iterations``."""
        grads = list(grads)
        if variables is None:
            if not self.built:
                raise ValueError(f"{type(self).__name__}.apply(grads) without variables needs "
                                 "an optimizer built on them: call `build(variables)` first, "
                                 "or pass `apply(grads, variables)`.")
            variables = self._built_variables
        elif not isinstance(variables, list):
            variables = list(variables)
        if len(grads) != len(variables):
            raise ValueError(f"{type(self).__name__}.apply: received {len(grads)} gradients "
                             f"for {len(variables)} variables.")
        if not grads:
            return
        if not self.built:
            self.build(variables)
        else:
            self._check_known(variables)
        if any(g is None for g in grads):
            grads, variables = self._drop_missing(grads, variables)
        grads = [g if _B.is_tensor(g) else _B.convert_to_tensor(g, dtype=v.dtype)
                 for g, v in zip(grads, variables)]
        if self.loss_scale_factor is not None:
            grads = [g / self.loss_scale_factor for g in grads]
        grads = self._clip(grads)
        lr = self._current_learning_rate()
        if self.weight_decay:
            # Decoupled weight decay acts on the weights before the update, as in Keras.
            for v in variables:
                v.assign(v.value - v.value * (self.weight_decay * lr))
        key = type(self).__dict__.get("_kernel_key")
        kernel = _KERNELS.get(key) if key is not None else None
        if kernel is not None and current_scope() is None:
            kernel(self, grads, variables, lr)
        else:
            self.update(grads, variables, lr)
        for v in variables:
            constraint = getattr(v, "constraint", None)
            if constraint is not None:
                v.assign(constraint(v.value))
        self.iterations.assign(self.iterations.value + 1)

    def _check_known(self, variables):
        index = self._var_index
        for v in variables:
            if id(v) not in index:
                raise ValueError(
                    f"Unknown variable: {v!r}. This optimizer can only be called for the "
                    "variables it was originally built with. When working with a new set of "
                    "variables (e.g. after changing `trainable`), create a new optimizer "
                    "instance (or compile() the model again with a new one)."
                )

    def _drop_missing(self, grads, variables):
        missing = [v.path for g, v in zip(grads, variables) if g is None]
        kept = [(g, v) for g, v in zip(grads, variables) if g is not None]
        if not kept:
            raise ValueError("No gradients provided for any variable.")
        warnings.warn(f"Gradients do not exist for variables {missing} when minimizing the "
                      "loss. If using `model.compile()`, did you forget to provide a `loss` "
                      "argument?", stacklevel=3)
        return [g for g, _ in kept], [v for _, v in kept]

    def update(self, grads, variables, lr):
        """Applies the rule to each variable; subclasses implement ``update_step``
        or override this for a whole-list rule."""
        for g, v in zip(grads, variables):
            self.update_step(g, v, lr)

    def update_step(self, gradient, variable, learning_rate):
        raise NotImplementedError(f"{type(self).__name__} must implement `update_step` or "
                                  "`update`.")

    def _clip(self, grads):
        if self.clipvalue:
            return [ops.clip(g, -self.clipvalue, self.clipvalue) for g in grads]
        if self.clipnorm:
            return [_clip_by_norm(g, self.clipnorm) for g in grads]
        if self.global_clipnorm:
            norm = ops.sqrt(sum(ops.sum(ops.square(g)) for g in grads))
            scale = self.global_clipnorm * ops.minimum(1.0 / norm, 1.0 / self.global_clipnorm)
            return [g * scale for g in grads]
        return grads

    def get_config(self):
        lr = self._schedule if self._schedule is not None else float(self._learning_rate.numpy())
        return {"name": self.name, "learning_rate": lr, "weight_decay": self.weight_decay,
                "clipnorm": self.clipnorm, "clipvalue": self.clipvalue,
                "global_clipnorm": self.global_clipnorm,
                "loss_scale_factor": self.loss_scale_factor}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _clip_by_norm(g, clipnorm):
    """``g`` rescaled to L2 norm ``clipnorm`` when its norm is larger (Keras's formula)."""
    norm = ops.sqrt(ops.sum(ops.square(g)))
    return g * clipnorm / ops.maximum(norm, clipnorm)
