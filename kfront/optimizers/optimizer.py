"""``Optimizer``: the base of every optimizer.

Optimizer state (iteration count, learning rate, slots) lives in ``kfront.Variable``s, so
one update rule, written with ``kfront.ops``, runs inside every engine's compiled step.
An adapter may offer a fused multi-tensor kernel for a rule (``optimizer_kernels``, a dict
``{kernel key: fn(optimizer, grads, variables, lr)}``); then it replaces the per-variable
loop of the class that names that key in ``_kernel_key``.

Everything that runs per step (gradient accumulation, EMA, clipping) is written without
Python branching on tensor values: conditional updates are computed and then selected
with ``ops.where`` (see ``select.py``), so the same code runs in ``jax.jit`` and
``tf.function``.
"""
import inspect
import re
import warnings

import numpy as np

from kfront import ops
from kfront.backend.loader import adapter
from kfront.backend.scope import current_scope
from kfront.backend.variable import Variable
from kfront.optimizers import select
from kfront.optimizers.arguments import check_base_arguments, check_learning_rate
from kfront.optimizers.stateless import stateless_apply as _stateless_apply
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
    """Base class: subclasses create slots in ``build`` and implement ``update``
    (a whole-list rule) or ``update_step`` (one variable).

    Args:
        learning_rate: a number, or a schedule: a callable of the iteration count
            (a ``kfront.optimizers.schedules.LearningRateSchedule``, or
            ``lambda step: 0.1 * 0.9 ** step``) or of nothing.
        weight_decay: decoupled weight decay, ``v -= v * weight_decay * lr`` before
            each update (see ``exclude_from_weight_decay``).
        clipnorm / clipvalue / global_clipnorm: gradient clipping (at most one).
        use_ema: keep an exponential moving average of the weights
            (``average = ema_momentum * average + (1 - ema_momentum) * weight``);
            ``ema_overwrite_frequency`` writes it into the weights every that many steps,
            and ``finalize_variable_values`` at the end of training.
        loss_scale_factor: ``scale_loss`` multiplies the loss by it and the gradients
            are divided by it before the update.
        gradient_accumulation_steps: sum the gradients of that many steps and update
            with their mean on the last one; the others leave the weights unchanged.
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
        check_base_arguments(cls_name, weight_decay, clipnorm, clipvalue, global_clipnorm,
                             use_ema, ema_momentum, ema_overwrite_frequency,
                             loss_scale_factor, gradient_accumulation_steps)
        check_learning_rate(cls_name, learning_rate)
        self.name = name or unique_name(to_snake_case(cls_name))
        self.weight_decay = weight_decay
        self.clipnorm, self.clipvalue, self.global_clipnorm = clipnorm, clipvalue, global_clipnorm
        self.use_ema = bool(use_ema)
        self.ema_momentum = ema_momentum
        self.ema_overwrite_frequency = ema_overwrite_frequency
        self.loss_scale_factor = loss_scale_factor
        self.gradient_accumulation_steps = gradient_accumulation_steps
        self._iterations = Variable(0, dtype="int32", trainable=False,
                                    name=f"{self.name}/iteration")
        if callable(learning_rate):
            self._schedule = learning_rate
            self._schedule_takes_step = _takes_argument(learning_rate)
            self._learning_rate = None
        else:
            self._schedule = None
            self._learning_rate = Variable(float(learning_rate), dtype="float32",
                                           trainable=False, name=f"{self.name}/learning_rate")
        self._own = []        # scalar state of a rule (Nadam's running product)
        self._slots = []      # per-variable state of the rule
        self._averages = []   # EMA copies of the weights
        self._accumulators = []
        self._exclude_ids = set()
        self._exclude_pattern = None
        self._var_index = {}
        self._built_variables = []
        self.built = False

    @property
    def iterations(self):
        """The number of ``apply`` calls so far (an int32 variable)."""
        return self._iterations

    def _completed_updates(self):
        """The number of updates applied so far: ``iterations`` divided by
        ``gradient_accumulation_steps`` when accumulating (bias corrections count these)."""
        steps = self._iterations.value
        if self.gradient_accumulation_steps:
            return ops.floor_divide(steps, self.gradient_accumulation_steps)
        return steps

    # ---- learning rate ----
    @property
    def learning_rate(self):
        """The learning-rate variable, or a schedule's value at the current step (as in
        Keras: ``float(opt.learning_rate)``, ``opt.learning_rate.assign(0.1)``)."""
        if self._schedule is not None:
            return self._current_learning_rate()
        return self._learning_rate

    def _current_learning_rate(self):
        """The learning rate of this step as a scalar."""
        if self._schedule is None:
            return self._learning_rate.value
        lr = self._schedule(self._iterations.value) if self._schedule_takes_step \
            else self._schedule()
        if isinstance(lr, Variable):
            lr = lr.value
        shape = tuple(_B.shape(lr)) if _B.is_tensor(lr) else np.shape(lr)
        if shape != ():
            raise ValueError(f"{type(self).__name__}: the learning-rate schedule "
                             f"{self._schedule!r} must return a scalar, but returned a value "
                             f"of shape {shape}.")
        return lr

    @learning_rate.setter
    def learning_rate(self, value):
        if self._schedule is not None:
            raise TypeError(f"{type(self).__name__}: the learning rate is a schedule; it "
                            "cannot be set to a number after construction.")
        if isinstance(value, Variable):
            value = value.value
        if callable(value) and not _B.is_tensor(value):
            # The variable is part of compiled steps and saved files: it cannot turn into
            # a schedule in place.
            raise TypeError(f"{type(self).__name__}: a learning-rate schedule can only be "
                            "given at construction, e.g. "
                            f"{type(self).__name__}(learning_rate=schedule).")
        self._learning_rate.assign(float(_B.convert_to_numpy(value))
                                   if _B.is_tensor(value) else float(value))

    lr = learning_rate

    # ---- state ----
    def build(self, variables):
        """Records the variables this optimizer updates; subclasses add their slots, then
        call this (which adds the EMA copies and gradient accumulators)."""
        variables = list(variables)
        if self.use_ema:
            self._averages = [self._new_slot(v, "average", value=v.value) for v in variables]
        if self.gradient_accumulation_steps:
            self._accumulators = [self._new_slot(v, "gradient_accumulator")
                                  for v in variables]
        self._built_variables = variables
        self._var_index = {id(v): i for i, v in enumerate(self._built_variables)}
        self.built = True

    def _new_slot(self, reference, name, value=None):
        if value is None:
            value = ops.zeros(reference.shape, dtype=reference.dtype)
        elif _B.is_tensor(value):
            # A host copy: on JAX a slot sharing the weight's buffer could not be donated
            # to a compiled step alongside it.
            value = _B.convert_to_numpy(value)
        else:
            value = ops.full(reference.shape, value, dtype=reference.dtype)
        return Variable(value, dtype=reference.dtype, trainable=False,
                        name=f"{self.name}/{reference.path}_{name}")

    def add_variable_from_reference(self, reference, name, initial_value=None):
        """A slot shaped like ``reference``: zeros, or filled with ``initial_value``."""
        var = self._new_slot(reference, name, initial_value)
        # What the slot is, so saving can name and order it as Keras does.
        var._slot_of = (reference, name)
        self._slots.append(var)
        return var

    # Slot kinds Keras creates together, interleaved per weight ("momentum" and "velocity"
    # of the first weight, then of the second...); other kinds come in one block each.
    _keras_interleaved_slots = ()

    def keras_ordered_variables(self):
        """``variables`` in the order Keras 3 saves them: iteration, learning rate, EMA
        copies, gradient accumulators, the slots as Keras creates them, scalar state."""
        n = len(self._built_variables)
        kinds, by_kind = [], {}
        for slot in self._slots:
            kind = getattr(slot, "_slot_of", (None, None))[1]
            if kind not in by_kind:
                kinds.append(kind)
                by_kind[kind] = []
            by_kind[kind].append(slot)
        if n == 0 or any(kind is None or len(by_kind[kind]) != n for kind in kinds):
            ordered = list(self._slots)  # an unusual layout: kept as created
        else:
            ordered, done = [], set()
            for kind in kinds:
                if kind in done:
                    continue
                group = next((g for g in self._keras_interleaved_slots if kind in g), (kind,))
                group = [k for k in group if k in by_kind]
                ordered.extend(by_kind[k][i] for i in range(n) for k in group)
                done.update(group)
        own = [self._iterations] + \
            ([self._learning_rate] if self._learning_rate is not None else [])
        return own + self._averages + self._accumulators + ordered + self._own

    def add_variable(self, initial_value, dtype="float32", name="variable"):
        """A scalar (or fixed-shape) state variable of the rule, saved with the optimizer."""
        var = Variable(np.asarray(initial_value, dtype=dtype), dtype=dtype, trainable=False,
                       name=f"{self.name}/{name}")
        self._own.append(var)
        return var

    def _slots_for(self, slots, variables):
        """The entries of a per-variable slot list that belong to ``variables``, in order."""
        if variables is self._built_variables:
            return slots
        index = self._var_index
        return [slots[index[id(v)]] for v in variables]

    @property
    def variables(self):
        own = [self._iterations] + \
            ([self._learning_rate] if self._learning_rate is not None else [])
        return own + self._own + self._slots + self._averages + self._accumulators

    # ---- weight decay exclusions ----
    def exclude_from_weight_decay(self, var_list=None, var_names=None):
        """Variables that weight decay leaves alone: those in ``var_list``, and those whose
        name contains a match of one of the regular expressions ``var_names``
        (``var_names=["bias"]``). Call it before the optimizer is built."""
        if self.built:
            raise ValueError("`exclude_from_weight_decay()` can only be configured before "
                             "the optimizer is built.")
        if var_names is not None and (isinstance(var_names, str) or
                                      not all(isinstance(n, str) for n in var_names)):
            raise ValueError("`exclude_from_weight_decay`: `var_names` must be a list of "
                             f"strings, received {var_names!r}.")
        self._exclude_ids = {id(v) for v in (var_list or ())}
        names = sorted(set(var_names or ()))
        try:
            self._exclude_pattern = re.compile("|".join(names)) if names else None
        except re.error as e:
            raise ValueError("`exclude_from_weight_decay`: `var_names` holds an invalid "
                             f"regular expression ({e}).") from None

    def _use_weight_decay(self, variable):
        if id(variable) in self._exclude_ids:
            return False
        return self._exclude_pattern is None or \
            self._exclude_pattern.search(variable.name) is None

    # ---- updates ----
    def scale_loss(self, loss):
        """The loss times ``loss_scale_factor`` (a train step calls it before taking
        gradients; ``apply`` divides the gradients by the same factor)."""
        if self.loss_scale_factor is not None:
            return loss * self.loss_scale_factor
        return loss

    def apply_gradients(self, grads_and_vars):
        """Keras 2 style: a list of ``(gradient, variable)`` pairs."""
        grads, variables = [], []
        for g, v in grads_and_vars:
            grads.append(g)
            variables.append(v)
        self.apply(grads, variables)
        return self._iterations

    def apply(self, grads, variables=None):
        """Updates ``variables`` (the list the optimizer was built with, by default) from
        ``grads``, then adds one to ``iterations``."""
        grads, variables = self._prepare(grads, variables)
        if any(v.overwrite_with_gradient for v in variables):
            grads, variables = self._overwrite_with_gradients(grads, variables)
        if not grads:
            self._iterations.assign(self._iterations.value + 1)
            return
        if self.loss_scale_factor is not None:
            grads = [g / self.loss_scale_factor for g in grads]
        if self.gradient_accumulation_steps:
            self._accumulate(grads, variables)
        else:
            self._update_variables(grads, variables)
        if self.use_ema:
            self._update_averages()
        for v in variables:
            constraint = getattr(v, "constraint", None)
            if constraint is not None:
                v.assign(constraint(v.value))
        self._iterations.assign(self._iterations.value + 1)

    stateless_apply = _stateless_apply

    def _overwrite_with_gradients(self, grads, variables):
        """Writes the gradient of each ``overwrite_with_gradient`` variable into it (with
        gradient accumulation: the running maximum, written on the update step) and
        returns the other pairs."""
        rest = [(g, v) for g, v in zip(grads, variables) if not v.overwrite_with_gradient]
        targets = [(g, v) for g, v in zip(grads, variables) if v.overwrite_with_gradient]
        if self.gradient_accumulation_steps:
            n = self.gradient_accumulation_steps
            is_update = ops.equal(ops.mod(self._iterations.value + 1, n), 0)
            accumulators = self._slots_for(self._accumulators, [v for _, v in targets])
            for (g, v), a in zip(targets, accumulators):
                top = ops.maximum(g, a.value)
                v.assign(ops.where(is_update, top, v.value))
                a.assign(ops.where(is_update, ops.zeros_like(top), top))
        else:
            for g, v in targets:
                v.assign(g)
        return [g for g, _ in rest], [v for _, v in rest]

    def _prepare(self, grads, variables):
        """Checked ``(grads, variables)``: built, known, no ``None`` gradients, tensors."""
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
            return [], []
        if not self.built:
            self.build(variables)
        else:
            self._check_known(variables)
        if any(g is None for g in grads):
            grads, variables = self._drop_missing(grads, variables)
        grads = [g if _B.is_tensor(g) else _B.convert_to_tensor(g, dtype=v.dtype)
                 for g, v in zip(grads, variables)]
        for g, v in zip(grads, variables):
            if tuple(_B.shape(g)) != tuple(v.shape):
                raise ValueError(f"{type(self).__name__}.apply: the gradient of variable "
                                 f"{v.path!r} has shape {tuple(_B.shape(g))}, expected the "
                                 f"variable's shape {tuple(v.shape)}.")
        return grads, variables

    def _update_variables(self, grads, variables):
        """Clipping, weight decay, then the rule (a fused kernel where the adapter has one)."""
        grads = self._clip(grads)
        lr = self._current_learning_rate()
        if self.weight_decay:
            for v in variables:
                if self._use_weight_decay(v):
                    v.assign(v.value - v.value * self.weight_decay * lr)
        key = type(self).__dict__.get("_kernel_key")
        kernel = _KERNELS.get(key) if key is not None else None
        if kernel is not None and current_scope() is None:
            kernel(self, grads, variables, lr)
        else:
            self.update(grads, variables, lr)

    def _accumulate(self, grads, variables):
        """Adds ``grads`` to the accumulators; on every n-th call updates with their mean
        and clears them. Both outcomes are computed and one is selected per variable."""
        n = self.gradient_accumulation_steps
        is_update = ops.equal(ops.mod(self._iterations.value + 1, n), 0)
        accumulators = self._slots_for(self._accumulators, variables)
        sums = [g + a.value for g, a in zip(grads, accumulators)]
        watched = select.unique(list(variables) + self._own + self._slots)
        before = select.snapshot(watched)
        self._update_variables([s / n for s in sums], variables)
        select.keep_if(is_update, watched, before)
        for a, s in zip(accumulators, sums):
            a.assign(ops.where(is_update, ops.zeros_like(s), s))

    def _update_averages(self):
        """EMA of every built variable; the first step copies the weights."""
        step = self._completed_updates()
        first = ops.cast(ops.not_equal(step, 0), "float32")
        for v, average in zip(self._built_variables, self._averages):
            momentum = ops.cast(first * self.ema_momentum, v.dtype)
            average.assign(momentum * average.value + (1 - momentum) * v.value)
        if self.ema_overwrite_frequency:
            overwrite = ops.equal(ops.mod(step + 1, self.ema_overwrite_frequency), 0)
            for v, average in zip(self._built_variables, self._averages):
                v.assign(ops.where(overwrite, average.value, v.value))

    def finalize_variable_values(self, var_list):
        """At the end of training: with ``use_ema``, writes the moving averages into
        ``var_list`` (the variables the optimizer was built with); otherwise nothing."""
        if not self.use_ema:
            return
        var_list = list(var_list)
        if len(var_list) != len(self._averages):
            raise ValueError(f"The length of model variables ({len(var_list)}) to override "
                             "does not match the length of model variables stored in the "
                             f"optimizer ({len(self._averages)}). Please check if the "
                             "optimizer was called on your model.")
        for v, average in zip(var_list, self._averages):
            v.assign(average.value)

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
                      "argument?", stacklevel=4)
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
            # A non-finite norm makes the scale NaN instead of silently zero (as in Keras).
            scale = scale + (norm - norm)
            return [g * scale for g in grads]
        return grads

    def get_config(self):
        lr = self._schedule if self._schedule is not None else float(self._learning_rate.numpy())
        return {"name": self.name, "learning_rate": lr, "weight_decay": self.weight_decay,
                "clipnorm": self.clipnorm, "global_clipnorm": self.global_clipnorm,
                "clipvalue": self.clipvalue, "use_ema": self.use_ema,
                "ema_momentum": self.ema_momentum,
                "ema_overwrite_frequency": self.ema_overwrite_frequency,
                "loss_scale_factor": self.loss_scale_factor,
                "gradient_accumulation_steps": self.gradient_accumulation_steps}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        if isinstance(config.get("learning_rate"), dict):
            from kfront.optimizers import schedules
            config["learning_rate"] = schedules.deserialize(config["learning_rate"],
                                                            custom_objects)
        return cls(**config)


def _clip_by_norm(g, clipnorm):
    """``g`` rescaled to L2 norm ``clipnorm`` when its norm is larger (Keras's formula)."""
    norm = ops.sqrt(ops.sum(ops.square(g)))
    return g * clipnorm / ops.maximum(norm, clipnorm)
