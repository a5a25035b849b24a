"""``OptimizerMap`` and ``MultiOptimizer``: different optimizers for different variables."""
import re
from collections.abc import MutableMapping

from kfront.optimizers.loss_scale_optimizer import LossScaleOptimizer
from kfront.optimizers.optimizer import Optimizer


def _serialize(obj):
    from kfront.saving.serialization import serialize_object
    return serialize_object(obj, "optimizer")


def _deserialize(config, custom_objects=None):
    if isinstance(config, Optimizer) or config is None:
        return config
    from kfront.saving.saving_lib import deserialize_optimizer
    return deserialize_optimizer(config, custom_objects)


def _check_inner(optimizer, what):
    if not isinstance(optimizer, Optimizer):
        raise ValueError(f"{what} must be a Keras Optimizer instance. Received: {optimizer!r}")
    if isinstance(optimizer, LossScaleOptimizer):
        raise ValueError(f"{what} cannot be LossScaleOptimizer. Received: {optimizer!r}")
    if isinstance(optimizer, MultiOptimizer):
        raise ValueError(f"{what} cannot be MultiOptimizer. Received: {optimizer!r}")


class OptimizerMap(MutableMapping):
    """Maps variable paths (exact, or regular expressions matched in full) to optimizers;
    unmatched paths get ``default_optimizer``.

    Args:
        default_optimizer: the optimizer of every unmatched variable.
        optimizer_map: an optional ``{path or pattern: optimizer}`` dict.

    Example::

        opt_map = OptimizerMap(default_optimizer=SGD())
        opt_map["encoder/.*"] = Adam()
        opt_map["encoder/dense/kernel"].name   # "adam"
    """

    def __init__(self, default_optimizer, optimizer_map=None):
        if not isinstance(default_optimizer, Optimizer):
            raise TypeError("default_optimizer must be a Keras Optimizer instance. "
                            f"Received: {default_optimizer!r}")
        if optimizer_map is not None and not isinstance(optimizer_map, dict):
            raise TypeError(f"optimizer_map must be a dictionary. Received: {optimizer_map!r}")
        self._default_optimizer = default_optimizer
        self._optimizer_map = {}
        for key, optimizer in (optimizer_map or {}).items():
            self[key] = optimizer

    @property
    def default_optimizer(self):
        return self._default_optimizer

    def __getitem__(self, key):
        """The optimizer of ``key``: an exact entry, else the one pattern that matches it in
        full, else the default; a ValueError when several patterns match."""
        if key in self._optimizer_map:
            return self._optimizer_map[key]
        matches = [p for p in self._optimizer_map if re.fullmatch(p, key)]
        if len(matches) > 1:
            raise ValueError(f"Multiple optimizers assigned to variable {key}: patterns "
                             f"{matches} all match it.")
        return self._optimizer_map[matches[0]] if matches else self._default_optimizer

    def __setitem__(self, key, optimizer):
        if not isinstance(key, str):
            raise ValueError(f"key must be a string. Received: {key!r}")
        if key in self._optimizer_map:
            raise ValueError(f"'{key}' already exists in the OptimizerMap with value "
                             f"{self._optimizer_map[key]}. Please make sure to not use "
                             "duplicated keys.")
        _check_inner(optimizer, "optimizer")
        self._optimizer_map[key] = optimizer

    def __delitem__(self, key):
        del self._optimizer_map[key]

    def __len__(self):
        return len(self._optimizer_map)

    def __iter__(self):
        return iter(self._optimizer_map)

    def __call__(self, variable):
        return self[variable.path]

    def get_config(self):
        return {"default_optimizer": _serialize(self._default_optimizer),
                "optimizer_map": {k: _serialize(v) for k, v in self._optimizer_map.items()}}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        default = _deserialize(config["default_optimizer"], custom_objects)
        mapping = {k: _deserialize(v, custom_objects)
                   for k, v in (config.get("optimizer_map") or {}).items()}
        return cls(default, mapping)


class MultiOptimizer(Optimizer):
    """Delegates each variable to the optimizer an ``OptimizerMap`` (or a callable
    ``fn(variable) -> Optimizer``) picks for it.

    Each sub-optimizer keeps its own learning rate, iterations and slots (see
    ``optimizers``); ``learning_rate`` cannot be read or set on the MultiOptimizer.
    ``loss_scale_factor`` is passed on to every sub-optimizer.

    Args:
        optimizer_map: an ``OptimizerMap`` or a callable of a variable.
        loss_scale_factor: the loss scale of every sub-optimizer.
        name: the optimizer's name.

    Example::

        model.compile(optimizer=MultiOptimizer(OptimizerMap(SGD(), {"encoder/.*": Adam()})),
                      loss="mse")
    """

    def __init__(self, optimizer_map, loss_scale_factor=None, name=None):
        if isinstance(optimizer_map, dict) and "class_name" in optimizer_map:
            optimizer_map = _deserialize_map(optimizer_map)
        if not callable(optimizer_map):
            raise ValueError("MultiOptimizer: `optimizer_map` must be an OptimizerMap or a "
                             "callable returning an optimizer for a variable. Received: "
                             f"{optimizer_map!r}")
        self._inner_optimizers = []
        super().__init__(learning_rate=0.0, loss_scale_factor=loss_scale_factor, name=name)
        self._optimizer_map = optimizer_map
        candidates = list(optimizer_map.values()) if hasattr(optimizer_map, "values") else []
        default = getattr(optimizer_map, "default_optimizer", None)
        for opt in candidates + ([default] if default is not None else []):
            self._add_inner(opt)

    def _add_inner(self, optimizer):
        if not any(optimizer is o for o in self._inner_optimizers):
            optimizer.loss_scale_factor = self.loss_scale_factor
            self._inner_optimizers.append(optimizer)

    @property
    def optimizers(self):
        """The sub-optimizers, in the order they were first used."""
        return self._inner_optimizers

    @property
    def loss_scale_factor(self):
        return getattr(self, "_loss_scale_factor", None)

    @loss_scale_factor.setter
    def loss_scale_factor(self, value):
        self._loss_scale_factor = value
        for opt in getattr(self, "_inner_optimizers", ()):
            opt.loss_scale_factor = value

    @property
    def learning_rate(self):
        raise AttributeError("Learning rate cannot be accessed on a MultiOptimizer. Access the "
                             "learning rate on the individual sub-optimizers instead.")

    @learning_rate.setter
    def learning_rate(self, value):
        raise AttributeError("Learning rate cannot be set on a MultiOptimizer. Set the "
                             "learning rate on the individual sub-optimizers instead.")

    def build(self, variables):
        if self.built:
            return
        variables = list(variables)
        self._assignment = {}
        groups = {}
        for v in variables:
            opt = self._optimizer_map(v)
            _check_inner(opt, f"The optimizer for variable {v.path!r}")
            self._add_inner(opt)
            self._assignment[id(v)] = opt
            groups.setdefault(id(opt), []).append(v)
        for opt in self._inner_optimizers:
            if id(opt) in groups:
                opt.build(groups[id(opt)])
        super().build(variables)

    def apply(self, grads, variables=None):
        """Hands each (gradient, variable) pair to its sub-optimizer, then adds one to
        ``iterations``."""
        grads, variables = self._prepare(grads, variables)
        if not grads:
            return
        groups = {}
        for g, v in zip(grads, variables):
            opt = self._assignment[id(v)]
            groups.setdefault(id(opt), (opt, [], []))
            groups[id(opt)][1].append(g)
            groups[id(opt)][2].append(v)
        for opt, sub_grads, sub_vars in groups.values():
            opt.apply(sub_grads, sub_vars)
        self._iterations.assign(self._iterations.value + 1)

    @property
    def variables(self):
        own = [self._iterations, self._learning_rate]
        return own + [v for opt in self._inner_optimizers for v in opt.variables]

    def keras_ordered_variables(self):
        own = [self._iterations, self._learning_rate]
        return own + [v for opt in self._inner_optimizers for v in opt.keras_ordered_variables()]

    def finalize_variable_values(self, var_list):
        groups = {}
        for v in var_list:
            opt = self._assignment[id(v)]
            groups.setdefault(id(opt), (opt, []))[1].append(v)
        for opt, sub_vars in groups.values():
            opt.finalize_variable_values(sub_vars)

    def get_config(self):
        from kfront.saving.serialization import serialize_object
        return {"optimizer_map": serialize_object(self._optimizer_map, "object"),
                "loss_scale_factor": self.loss_scale_factor, "name": self.name}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        config["optimizer_map"] = _deserialize_map(config["optimizer_map"], custom_objects)
        return cls(**config)


def _deserialize_map(config, custom_objects=None):
    """An ``OptimizerMap`` (or a registered selector function) from its config."""
    if callable(config):
        return config
    if isinstance(config, dict) and config.get("class_name") == "OptimizerMap":
        return OptimizerMap.from_config(config.get("config") or {}, custom_objects)
    from kfront.saving.serialization import deserialize_object
    return deserialize_object(config, "object", custom_objects)
