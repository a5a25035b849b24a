"""``Layer``: the base of every layer and model.

A layer owns variables (``add_weight``), builds them lazily from the first input shape,
and runs ``call``. Called on symbolic ``KerasTensor``s it records a graph node instead.
"""
import inspect
import threading
import weakref

import numpy as np

from kfront import initializers, regularizers
from kfront.backend.keras_tensor import KerasTensor
from kfront.backend.loader import adapter
from kfront.backend.variable import Variable, standardize_dtype
from kfront.layers.input_spec import assert_input_compatibility
from kfront.layers.node import Node
from kfront.layers.stateless import stateless_call as _stateless_call
from kfront.random.seed_generator import SeedGenerator
from kfront.utils import tree
from kfront.utils.naming import to_snake_case, unique_name
from kfront.mixed_precision.dtype_policy import low_precision_used as _low_precision
from kfront.mixed_precision import policy_state as _policy_state
from kfront.mixed_precision.autocast import autocast_call as _autocast_call

_B = adapter()
# What the engine adds to every layer (on torch: being a torch.nn.Module); else nothing.
_LayerBase = getattr(_B, "layer_base", object)


class _CallContext(threading.local):
    """Per thread: the state of the layer calls in progress (read on every layer call, so
    each field has a class default rather than a ``getattr`` fallback)."""

    depth = 0             # 1 inside an outermost layer call (which clears losses)
    training = None       # the ``training`` flag of the outermost call
    explicit_masks = False  # the next call gets its masks from a model (``_call_masked``)


_ctx = _CallContext()
# Masks of eager (and traced) tensors, by id; an entry leaves with its tensor. KerasTensors
# carry their mask as the attribute ``_keras_mask`` instead.
_MASKS = {}

# Keyword arguments that are plain flags, never tensors (the fast path of ``__call__``).
_FLAG_KWARGS = frozenset({"training"})

# Keyword arguments every layer accepts (Keras 2 spellings included).
_BASE_KWARGS = {"input_shape", "batch_input_shape", "batch_size", "input_dim", "weights",
                "activity_regularizer", "autocast", "input_length"}


class Layer(_LayerBase):
    """Base layer. Subclass it and implement ``build(input_shape)`` and ``call(inputs)``.

    >>> class Scale(kfront.layers.Layer):
    ...     def build(self, input_shape):
    ...         self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones")
    ...     def call(self, x):
    ...         return x * self.w

    Masks (Keras 3 rules): a layer with ``supports_masking`` (True when it overrides
    ``compute_mask(inputs, mask)``) gives its output a mask, by default the incoming one;
    a layer whose ``call`` takes ``mask`` receives the incoming mask unless one is passed.
    How the mask travels:

    - Functional models compute masks node by node beside the values (symbolic tensors
      carry theirs as ``_keras_mask`` while the graph is built); ``Sequential`` passes the
      mask from layer to layer. Both accept ``mask=`` for their inputs.
    - Direct calls (subclassed models): pass ``mask=`` explicitly as in Keras, or rely on
      the layer's own bookkeeping: the output mask of an eager call is recorded against the
      output tensor (by identity, released with it) and found again when that same tensor
      object is passed to the next layer. A new tensor made in between (``x + 1``) has no
      mask.

    Nothing of this costs anything while no layer has produced a mask.
    """

    # The training flag of calls that pass none (and run inside no other call); the torch
    # adapter's train()/eval() set it, as torch modules have it. None: Keras's inference.
    _default_training = None

    def __init__(self, trainable=True, name=None, dtype=None, **kwargs):
        unknown = set(kwargs) - _BASE_KWARGS
        if unknown:
            raise TypeError(
                f"{type(self).__name__}: unrecognized keyword argument(s) {sorted(unknown)}."
            )
        object.__setattr__(self, "_tracked", [])
        self.name = name or unique_name(to_snake_case(type(self).__name__))
        self._trainable = bool(trainable)
        self.dtype_policy = dtype
        self.built = False
        self.input_spec = None
        self.supports_masking = type(self).compute_mask is not Layer.compute_mask
        self._inbound_nodes = []
        self._losses = []
        self._regularized = []
        self.activity_regularizer = regularizers.get(kwargs.get("activity_regularizer"))
        self._batch_input_shape = None
        _warn_deprecated_kwargs(kwargs)
        if "batch_input_shape" in kwargs and kwargs["batch_input_shape"] is not None:
            self._batch_input_shape = tuple(kwargs["batch_input_shape"])
        elif kwargs.get("input_shape") is not None:
            self._batch_input_shape = (kwargs.get("batch_size"),) + tuple(kwargs["input_shape"])
        elif kwargs.get("input_dim") is not None:
            self._batch_input_shape = (kwargs.get("batch_size"), kwargs["input_dim"])
        self._initial_weights = kwargs.get("weights")
        # Under a mixed policy, whether `call` reads float variables in the compute dtype.
        self.autocast = bool(kwargs.get("autocast", True))
        cls = type(self)
        if "_call_params" not in cls.__dict__:
            params = inspect.signature(cls.call).parameters
            cls._call_params = frozenset(params)
            cls._call_takes_training = "training" in params
            cls._call_takes_mask = "mask" in params
            positional = [n for n, p in params.items() if n != "self" and p.kind in (
                p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
            cls._call_first_arg = positional[0] if positional else None
            cls._call_positional = tuple(positional)
            # Keras 3: a tensor argument `x` whose mask `call` takes as `x_mask`
            # (MultiHeadAttention's query/value/key) receives that tensor's mask.
            cls._call_named_masks = tuple((n, f"{n}_mask") for n in params
                                          if n != "mask" and f"{n}_mask" in params)

    # ---- attribute tracking: variables and sublayers assigned as attributes ----
    def __setattr__(self, name, value):
        if name not in _UNTRACKED_ATTRS and not name.startswith("__") and \
                hasattr(self, "_tracked"):
            old = self.__dict__.get(name)
            if old is not None and old is not value and isinstance(old, (list, dict)):
                self._tracked[:] = [t for t in self._tracked if t is not old]
            if isinstance(value, _trackable_types()):
                self._tracked.append(value)
                _LOSS_EPOCH[0] += 1  # an attached layer may hold losses: see _clear_losses
            elif isinstance(value, (list, tuple, dict)) and _may_hold_trackables(value):
                # Kept by reference: layers appended to the list later are tracked too.
                self._tracked.append(value)
                _LOSS_EPOCH[0] += 1
        object.__setattr__(self, name, value)

    def _track_sublayers(self, layers):
        """Tracks ``layers`` as sublayers (models that keep them outside attributes)."""
        self._tracked.extend(layers)
        _LOSS_EPOCH[0] += 1  # an attached layer may hold losses: see _clear_losses

    def _iter_tracked(self):
        for obj in self._tracked:
            if isinstance(obj, (list, tuple, dict)):
                yield from _expand(obj)
            else:
                yield obj

    @property
    def trainable(self):
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        self._trainable = bool(value)
        # As Keras 3: the layer's own variables made trainable follow the flag (on torch a
        # frozen base then records no autograd graph), then its sublayers.
        for v in self._own(Variable):
            if v._trains_with_layer:
                v.trainable = value
        for layer in self._sublayers():
            layer.trainable = value

    def _sublayers(self):
        seen, out = set(), []
        for obj in self._iter_tracked():
            if isinstance(obj, Layer) and id(obj) not in seen:
                seen.add(id(obj))
                out.append(obj)
        return out

    def _own(self, kind):
        seen, out = set(), []
        for obj in self._iter_tracked():
            if isinstance(obj, kind) and id(obj) not in seen:
                seen.add(id(obj))
                out.append(obj)
        return out

    # ---- weights ----
    def add_weight(self, *args, shape=None, initializer=None, dtype=None, trainable=True,
                   autocast=True, regularizer=None, constraint=None, aggregation="none",
                   name=None, overwrite_with_gradient=False):
        """Creates a variable owned by this layer (call it in ``build``).

        Positionally it takes at most ``shape, initializer, dtype``, as in Keras 3.
        """
        if args:
            if len(args) > 3:
                raise TypeError(f"{self.name}.add_weight() takes at most 3 positional arguments "
                                f"(shape, initializer, dtype) but {len(args)} were given.")
            if isinstance(args[0], str):
                # Keras 2 code passes the name first: add_weight("kernel", shape=...)
                raise ValueError(
                    f"{self.name}.add_weight: `name` must be passed as a keyword argument. "
                    f"Received: add_weight({args[0]!r}, ...). Use: "
                    f"add_weight(shape=..., name={args[0]!r})."
                )
            for arg, kw in zip(("shape", "initializer", "dtype")[:len(args)],
                               (shape, initializer, dtype)):
                if kw is not None:
                    raise ValueError(f"{self.name}.add_weight: `{arg}` was passed both "
                                     "positionally and as a keyword argument.")
            shape, initializer, dtype = (list(args) + [shape, initializer, dtype][len(args):])
        dtype = standardize_dtype(dtype or self.dtype)
        shape = () if shape is None else tuple(shape)
        if initializer is None:
            initializer = "glorot_uniform" if "float" in dtype else "zeros"
        init = initializers.get(initializer)
        if not callable(init):
            raise ValueError(f"{self.name}.add_weight: invalid initializer {initializer!r}.")
        var = Variable(init, shape=shape, dtype=dtype, trainable=trainable,
                       name=name or "variable", path=f"{self.name}/{name or 'variable'}",
                       autocast=autocast)
        if overwrite_with_gradient:
            var.overwrite_with_gradient = True
        if not self.trainable:
            var.trainable = False  # made by a frozen layer: frozen too, as in Keras 3
        self._tracked.append(var)
        if regularizer is not None:
            from kfront import regularizers
            self._regularized.append((var, regularizers.get(regularizer)))
        var.constraint = constraint
        return var

    def _walk_variables(self):
        """(variable, whether its owners let it train): own variables, then sublayers'.

        A variable a sublayer owns counts as the sublayer's even when this layer also
        holds it (``self.cache = list(model.weights)``), so freezing the sublayer holds.
        """
        from_sublayers, seen = [], set()
        for layer in self._sublayers():
            for var, on in layer._walk_variables():
                if id(var) not in seen:
                    seen.add(id(var))
                    from_sublayers.append((var, on and self._trainable))
        for obj in self._iter_tracked():
            if isinstance(obj, Variable) and id(obj) not in seen:
                seen.add(id(obj))
                yield obj, self._trainable
        yield from from_sublayers

    @property
    def weights(self):
        return [v for v, _ in self._walk_variables()]

    @property
    def trainable_weights(self):
        return [v for v, on in self._walk_variables() if on and v.trainable]

    @property
    def non_trainable_weights(self):
        return [v for v, on in self._walk_variables() if not (on and v.trainable)]

    trainable_variables = trainable_weights

    # ---- dtype policy (mixed precision) ----
    @property
    def dtype_policy(self):
        return self._dtype_policy

    @dtype_policy.setter
    def dtype_policy(self, value):
        object.__setattr__(self, "_dtype_policy", _policy_state.get(self._from_policy_map(value)))

    def _from_policy_map(self, value):
        """``value``, or for a ``DTypePolicyMap`` the policy it gives this layer's path
        (the map is kept: ``get_config`` writes it and later policies go into it)."""
        from kfront.dtype_policies import DTypePolicyMap
        policy_map = self.__dict__.get("_dtype_policy_map")
        if isinstance(value, dict) and value.get("class_name") == "DTypePolicyMap":
            from kfront.dtype_policies import deserialize
            value = deserialize(value)
        if isinstance(value, DTypePolicyMap):
            object.__setattr__(self, "_dtype_policy_map", value)
            return value[self.name]
        if policy_map is not None and value is not None:
            if self.name in policy_map:
                del policy_map[self.name]
            policy_map[self.name] = value
        return value

    def _dtype_config(self):
        """``get_config``'s ``dtype``: a float policy's name, else the serialized policy
        (quantized policies with their settings, policy maps), as Keras writes them."""
        from kfront import dtype_policies
        policy_map = self.__dict__.get("_dtype_policy_map")
        if policy_map is not None:
            return dtype_policies.serialize(policy_map)
        policy = self._dtype_policy
        if policy.quantization_mode is None:
            return policy.name
        return dtype_policies.serialize(policy)

    @property
    def dtype(self):
        """The variable dtype (``dtype_policy.variable_dtype``), as in Keras."""
        return self._dtype_policy.variable_dtype

    @dtype.setter
    def dtype(self, value):
        self.dtype_policy = value

    @property
    def compute_dtype(self):
        return self._dtype_policy.compute_dtype

    @property
    def variable_dtype(self):
        return self._dtype_policy.variable_dtype

    @property
    def non_trainable_variables(self):
        return self.non_trainable_weights + [g.state for g in self._seed_generators()]

    @property
    def variables(self):
        return self.weights + [g.state for g in self._seed_generators()]

    def _seed_generators(self):
        gens = self._own(SeedGenerator)
        for layer in self._sublayers():
            gens.extend(g for g in layer._seed_generators() if g not in gens)
        return gens

    def get_weights(self):
        return [v.numpy() for v in self.weights]

    def set_weights(self, weights):
        params = self.weights
        if len(params) != len(weights):
            raise ValueError(
                f'Layer "{self.name}" expects {len(params)} weight arrays, but set_weights received '
                f"{len(weights)}. Expected shapes: {[v.shape for v in params]}."
            )
        for var, value in zip(params, weights):
            value = np.asarray(value)
            if tuple(value.shape) != tuple(var.shape):
                raise ValueError(
                    f'Layer "{self.name}": weight {var.path!r} has shape {var.shape}, but '
                    f"set_weights received an array of shape {value.shape}."
                )
            var.assign(value)

    def count_params(self):
        if not self.built:
            raise ValueError(
                f'Layer "{self.name}" is not built yet, so its weights do not exist. Call it on '
                "an input (or `build(input_shape)`) first."
            )
        return int(sum(np.prod(v.shape) for v in self.weights))

    # ---- losses added in call (activity regularization) and by weight regularizers ----
    def add_loss(self, loss):
        self._losses.append(loss)
        _LOSS_EPOCH[0] += 1

    @property
    def losses(self):
        out = list(self._losses)
        out.extend(reg(var) for var, reg in self._regularized)
        for layer in self._sublayers():
            out.extend(layer.losses)
        return out

    def _clear_losses(self):
        # Every outermost call clears the tree's losses. The walk is skipped when no loss
        # was added and no sublayer attached anywhere since this layer last cleared: then
        # none of its layers can hold one (a walk per call is most of a small model's
        # per-call Python).
        epoch = _LOSS_EPOCH[0]
        if self.__dict__.get("_losses_cleared_at") == epoch:
            return
        self._losses = []
        for layer in self._sublayers():
            layer._clear_losses()
        self.__dict__["_losses_cleared_at"] = epoch

    # ---- building and calling ----
    def build(self, input_shape=None):
        self.built = True

    def call(self, inputs, *args, **kwargs):
        return inputs

    def _maybe_build(self, inputs):
        if self.built:
            return
        shapes = tree.map_structure(lambda x: tuple(_shape(x)) if _is_tensorlike(x) else x, inputs)
        self.build(shapes)
        self.built = True
        if self._initial_weights is not None:
            self.set_weights(self._initial_weights)
            self._initial_weights = None

    def __call__(self, *args, **kwargs):
        if not args:
            # `layer(inputs=x)`: the first argument of `call`, given by name.
            if self._call_first_arg is None or self._call_first_arg not in kwargs:
                raise ValueError(f'Layer "{self.name}" was called without an input tensor.')
            args = (kwargs.pop(self._call_first_arg),)
        inputs = args[0]
        if len(args) == 1 and (not kwargs or kwargs.keys() <= _FLAG_KWARGS):
            if _B.is_tensor(inputs) and not _MASKS and not _ctx.explicit_masks:
                # layer(tensor) or layer(tensor, training=...) with no mask anywhere (every
                # layer call of an eager model): nothing to find, convert or record first.
                if not kwargs and _ctx.depth and self.built and \
                        self.activity_regularizer is None and not self._call_takes_training \
                        and not _low_precision() and not (
                            self.supports_masking and
                            type(self).compute_mask is not Layer.compute_mask):
                    # Inside another layer's call, a built layer with no training flag,
                    # activity loss, autocast or mask to make: all that ``_run`` would add
                    # is the input check (a few frames per layer of every eager call).
                    spec = self.input_spec
                    if spec is not None:
                        self._check_tensor_spec(spec, inputs)
                    return self.call(inputs)
                return self._run(inputs, args, kwargs, None, False)
            nested = tree.is_nested(inputs)
            symbolic = not nested and isinstance(inputs, KerasTensor)
            arrays = not nested and isinstance(inputs, np.ndarray)
        else:
            nested = True
        if nested:
            flat = tree.flatten((args, kwargs))
            symbolic = any(isinstance(x, KerasTensor) for x in flat)
            arrays = any(isinstance(x, np.ndarray) for x in flat)
        if symbolic:
            return self._symbolic_call(inputs, args, kwargs)
        explicit = _ctx.explicit_masks
        mask = None
        if explicit:
            # A model passes masks itself (see ``_call_masked``); this call keeps no records.
            _ctx.explicit_masks = False
        else:
            if self._call_takes_mask:
                mask = kwargs.get("mask")
            if mask is None and _MASKS:
                mask = _find_mask(inputs)
                if mask is not None and self._call_takes_mask:
                    kwargs["mask"] = mask
            if self._call_named_masks and _MASKS:
                kwargs.update(self._named_masks(args, kwargs, _find_mask))
        if arrays:
            # As in Keras, NumPy arguments become engine tensors (floats in the layer's dtype),
            # so `call` can mix them freely with tensors and variables.
            args, kwargs = tree.map_structure(self._convert_array, (args, kwargs))
            inputs = args[0]
            if mask is not None and self._call_takes_mask:
                mask = kwargs.get("mask", mask)
        return self._run(inputs, args, kwargs, mask, explicit)

    def _run(self, inputs, args, kwargs, mask, explicit):
        """The eager call proper: ``call`` under the training flag and autocast, then the
        activity losses and the output mask."""
        outermost = not _ctx.depth
        if outermost:
            # As in Keras, each outermost call starts with no losses from earlier calls
            # (nor traced tensors of an earlier compiled step). Only whether a call is
            # inside another matters, so nested calls leave the depth alone.
            self._clear_losses()
            _ctx.depth = 1
        try:
            if _low_precision():
                outputs = _autocast_call(self, inputs, args, kwargs)
            else:
                outputs = self._eager_call(inputs, args, kwargs)
        finally:
            if outermost:
                _ctx.depth = 0
        if self.activity_regularizer is not None:
            self._add_activity_losses(outputs)
        if not explicit and self.supports_masking and (
                mask is not None or type(self).compute_mask is not Layer.compute_mask):
            _record_mask(outputs, self.compute_mask(inputs, mask))
        return outputs

    def _add_activity_losses(self, outputs):
        from kfront.layers.regularization._shapes import batch_size
        for out in tree.flatten(outputs):
            if out is None or not _B.is_tensor(out):
                continue
            loss = self.activity_regularizer(out)
            if len(_B.shape(out)) > 0:
                # Divided by the batch size, as Keras 3 does: the strength is per example.
                loss = loss / _B.cast(_B.convert_to_tensor(batch_size(out)), _B.dtype(loss))
            self.add_loss(loss)

    def _eager_call(self, inputs, args, kwargs):
        if not self.built:
            self._maybe_build(inputs)
        spec = self.input_spec
        if spec is not None:
            self._check_input_spec(spec, inputs)
        previous = _ctx.training  # the flag of the outermost call, for nested layers
        if self._call_takes_training:
            training = kwargs.get("training")
            if training is None:
                training = previous if previous is not None else self._default_training
                if training is not None:
                    kwargs["training"] = training
        else:
            # `call` takes no `training`, but the flag still reaches the layers it calls.
            training = kwargs.pop("training", None)
            if training is None:
                training = previous if previous is not None else self._default_training
        if training is previous:
            return self.call(*args, **kwargs)
        _ctx.training = training
        try:
            return self.call(*args, **kwargs)
        finally:
            _ctx.training = previous

    def _check_input_spec(self, spec, inputs):
        if tree.is_nested(inputs):
            assert_input_compatibility(spec, inputs, self.name, _shape)
            return
        self._check_tensor_spec(spec, inputs)

    def _check_tensor_spec(self, spec, inputs):
        # The spec and shape last accepted pass again without the walk: an eager model
        # calls its layers on the same shapes call after call.
        # The batch size stays out of the memo where the spec cannot constrain it: a step
        # compiled with a dynamic batch dimension then never compares (specializes) it.
        shape = tuple(_B.shape(inputs) if _B.is_tensor(inputs) else _shape(inputs))
        key = ("inner", shape[1:]) if shape and _spec_ignores_batch(spec, len(shape)) \
            else shape
        accepted = self.__dict__.get("_spec_accepted")
        if accepted is not None and accepted[0] is spec and accepted[1] == key:
            return
        assert_input_compatibility(spec, inputs, self.name, _shape)
        self.__dict__["_spec_accepted"] = (spec, key)

    def _convert_array(self, x):
        if not isinstance(x, np.ndarray):
            return x
        if x.dtype.kind == "f" and "float" in self.compute_dtype:
            return _B.convert_to_tensor(x, dtype=self.compute_dtype)
        return _B.convert_to_tensor(x)

    def _symbolic_call(self, inputs, args, kwargs):
        if not self._call_takes_training:
            kwargs.pop("training", None)
        if not self.built:
            self._maybe_build(inputs)
        if self.input_spec is not None:
            assert_input_compatibility(self.input_spec, inputs, self.name, _shape)
        mask = kwargs.get("mask") if self._call_takes_mask else None
        spec_kwargs = kwargs
        if mask is None:
            mask = _symbolic_mask(inputs)
            if mask is not None and self._call_takes_mask:
                # The incoming mask shapes the output spec, but the node does not record it:
                # the model supplies the run-time mask.
                spec_kwargs = {**kwargs, "mask": mask}
        outputs = self.compute_output_spec(*args, **spec_kwargs)
        Node(self, args, kwargs, outputs)
        if self.supports_masking and (
                mask is not None or type(self).compute_mask is not Layer.compute_mask):
            if type(self).compute_mask is Layer.compute_mask:
                out_mask = mask
            else:
                out_mask = _B.compute_output_spec(self.compute_mask, inputs, mask)
            _attach_symbolic_masks(outputs, out_mask)
        return outputs

    # ---- masks ----
    stateless_call = _stateless_call

    def compute_mask(self, inputs, mask=None):
        """The output mask: the incoming one unless a layer says otherwise."""
        return mask

    def _named_masks(self, args, kwargs, lookup):
        """``{"x_mask": mask of x}`` for each argument ``x`` whose mask ``call`` takes as
        ``x_mask`` and was not given one; ``lookup(tensor)`` finds a tensor's mask."""
        bound = dict(zip(self._call_positional, args))
        found = {}
        for arg, mask_arg in self._call_named_masks:
            value = kwargs.get(arg, bound.get(arg))
            if value is None or kwargs.get(mask_arg) is not None:
                continue
            m = lookup(value)
            if m is not None:
                found[mask_arg] = m
        return found

    def _call_masked(self, args, kwargs, mask, node=None, graph_masks=None):
        """Calls the layer with an explicit input mask; returns (outputs, output mask).

        Models use it to carry masks between their layers without the per-tensor records.
        A graph passes its ``node`` and ``graph_masks`` (run-time masks by symbolic tensor
        id) for layers that take a mask per argument (``query_mask``, ...).
        """
        if node is not None and graph_masks and self._call_named_masks:
            named = self._named_masks(node.call_args, node.call_kwargs,
                                      lambda t: _find_in(graph_masks, t))
            kwargs = {**kwargs, **named} if named else kwargs
        if mask is not None and self._call_takes_mask and kwargs.get("mask") is None:
            kwargs = {**kwargs, "mask": mask}
        elif self._call_takes_mask and kwargs.get("mask") is not None:
            mask = kwargs["mask"]
        _ctx.explicit_masks = True
        try:
            outputs = self(*args, **kwargs)
        finally:
            _ctx.explicit_masks = False
        if not self.supports_masking or (
                mask is None and type(self).compute_mask is Layer.compute_mask):
            return outputs, None
        return outputs, self.compute_mask(args[0], mask)

    def compute_output_spec(self, *args, **kwargs):
        if type(self).compute_output_shape is not Layer.compute_output_shape:
            shape = self.compute_output_shape(_shape(args[0]))
            return KerasTensor(shape, dtype=self.dtype)
        return _B.compute_output_spec(self.call, *args, **kwargs)

    def compute_output_shape(self, input_shape):
        raise NotImplementedError

    # ---- config ----
    def get_config(self):
        config = {"name": self.name, "trainable": self.trainable,
                  "dtype": self._dtype_config()}
        if self._batch_input_shape is not None:
            config["batch_input_shape"] = self._batch_input_shape
        if self.activity_regularizer is not None:
            config["activity_regularizer"] = regularizers.serialize(self.activity_regularizer)
        return config

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    @property
    def input(self):
        return self._node_tensors("input_tensors")

    @property
    def output(self):
        return self._node_tensors("outputs")

    def _node_tensors(self, attr):
        if not self._inbound_nodes:
            raise AttributeError(f'Layer "{self.name}" has never been called on a symbolic input.')
        tensors = getattr(self._inbound_nodes[0], attr)
        return tensors[0] if len(tensors) == 1 else tensors

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"


def _warn_deprecated_kwargs(kwargs):
    """Keras 3's warnings for the Keras 2 arguments it still accepts (same words)."""
    import warnings
    if kwargs.get("input_dim") is not None or kwargs.get("input_shape") is not None:
        warnings.warn("Do not pass an `input_shape`/`input_dim` argument to a layer. When "
                      "using Sequential models, prefer using an `Input(shape)` object as the "
                      "first layer in the model instead.", UserWarning, stacklevel=4)
    if kwargs.get("input_length") is not None:
        warnings.warn("Argument `input_length` is deprecated. Just remove it.", UserWarning,
                      stacklevel=4)


# Bookkeeping attributes of every layer: never searched for sublayers or variables.
# Bumped by every add_loss and every sublayer attached as an attribute (see _clear_losses).
_LOSS_EPOCH = [0]

_UNTRACKED_ATTRS = frozenset({"_inbound_nodes", "_losses", "_regularized", "_initial_weights",
                              "activity_regularizer",
                              "_batch_input_shape", "input_spec", "inputs", "outputs",
                              "_input_specs", "_tracked"})


def _trackable_types():
    return Variable, Layer, SeedGenerator


def _may_hold_trackables(container):
    if not container:
        return isinstance(container, (list, dict))
    items = container.values() if isinstance(container, dict) else container
    return any(isinstance(v, _trackable_types()) or
               (isinstance(v, (list, tuple, dict)) and _may_hold_trackables(v)) for v in items)


def _expand(container):
    """The variables, layers and seed generators in a (nested) list, tuple or dict."""
    items = container.values() if isinstance(container, dict) else container
    for v in items:
        if isinstance(v, (list, tuple, dict)):
            yield from _expand(v)
        elif isinstance(v, _trackable_types()):
            yield v


def _find_mask(inputs):
    """The recorded mask of ``inputs`` (a structure gives a list, or None if none has one)."""
    if not tree.is_nested(inputs):
        return _MASKS.get(id(inputs))
    masks = [_MASKS.get(id(x)) for x in tree.flatten(inputs)]
    return masks if any(m is not None for m in masks) else None


def _find_in(masks, tensor):
    """The mask ``masks`` (by tensor id) holds for ``tensor`` (a structure gives a list)."""
    if not tree.is_nested(tensor):
        return masks.get(id(tensor))
    found = [masks.get(id(x)) for x in tree.flatten(tensor)]
    return found if any(m is not None for m in found) else None


def _drop_mask(key):
    _MASKS.pop(key, None)


def _record_mask(outputs, mask):
    if mask is None:
        return
    flat_out = tree.flatten(outputs)
    flat_mask = tree.flatten(mask) if tree.is_nested(mask) else [mask]
    if len(flat_mask) != len(flat_out):
        flat_mask = flat_mask[:1] + [None] * (len(flat_out) - 1)
    for x, m in zip(flat_out, flat_mask):
        if m is None or x is None:
            continue
        try:
            weakref.finalize(x, _drop_mask, id(x))
        except TypeError:
            continue  # an object that cannot be tracked keeps no mask
        # The entry leaves when the tensor dies, so a reused id never meets a stale mask.
        _MASKS[id(x)] = m


def _symbolic_mask(inputs):
    if not tree.is_nested(inputs):
        return getattr(inputs, "_keras_mask", None)
    masks = [getattr(x, "_keras_mask", None) for x in tree.flatten(inputs)]
    return masks if any(m is not None for m in masks) else None


def _attach_symbolic_masks(outputs, mask):
    if mask is None:
        return
    flat_out = tree.flatten(outputs)
    flat_mask = tree.flatten(mask) if tree.is_nested(mask) else [mask]
    if len(flat_mask) != len(flat_out):
        flat_mask = flat_mask[:1] + [None] * (len(flat_out) - 1)
    for x, m in zip(flat_out, flat_mask):
        if isinstance(x, KerasTensor) and m is not None:
            x._keras_mask = m


def _is_tensorlike(x):
    return isinstance(x, KerasTensor) or _B.is_tensor(x) or isinstance(x, np.ndarray)


def _shape(x):
    if isinstance(x, KerasTensor):
        return x.shape
    if isinstance(x, np.ndarray):
        return x.shape
    return _B.shape(x)


def _spec_ignores_batch(spec, rank):
    """Whether an InputSpec's check can never depend on axis 0 of a rank-``rank`` input."""
    if spec is None or isinstance(spec, (list, tuple)):
        return False
    if spec.shape is not None and spec.shape and spec.shape[0] is not None:
        return False
    return all(axis not in (0, -rank) or size is None for axis, size in spec.axes.items())
