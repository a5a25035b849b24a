"""``Layer.stateless_call``: a layer's forward pass as a pure function of its state.

The values given replace the layer's variables for one call inside a ``StatelessScope``;
whatever the call writes (moving statistics, seed states) stays in the scope and comes
back as the new non-trainable values. The layer's own variables are left untouched, so
the call can run inside ``jax.jit`` / ``jax.grad`` or any engine's tracing.
"""
from kfront.backend.stateless_scope import StatelessScope


def _check_values(layer, argument, values, variables):
    if isinstance(values, (str, bytes)) or not hasattr(values, "__len__"):
        raise ValueError(f"Argument `{argument}` of {type(layer).__name__}.stateless_call "
                         f"must be a list of tensors, received {type(values).__name__}.")
    if len(values) != len(variables):
        raise ValueError(
            f"Argument `{argument}` must be a list of tensors corresponding 1:1 to "
            f"{type(layer).__name__}().{argument}. Received list with length "
            f"{len(values)}, but expected {len(variables)} variables.")


def stateless_call(self, trainable_variables, non_trainable_variables, *args,
                   return_losses=False, **kwargs):
    """Calls the layer with the given variable values and without side effects.

    Args:
        trainable_variables: values for ``self.trainable_variables``, in that order.
        non_trainable_variables: values for ``self.non_trainable_variables`` (weights
            such as BatchNormalization statistics, and seed states), in that order.
        *args, **kwargs: the arguments of the call (``training=True``...).
        return_losses: also return the losses the call added (activity and weight
            regularization), computed from the given values.

    Returns:
        ``(outputs, non_trainable_variables)``, or ``(outputs, non_trainable_variables,
        losses)`` with ``return_losses=True``; the non-trainable values are the new ones.

    >>> outputs, nt = model.stateless_call([v.value for v in model.trainable_variables],
    ...                                    [v.value for v in model.non_trainable_variables], x)
    >>> for var, value in zip(model.non_trainable_variables, nt):
    ...     var.assign(value)   # only now does the model see the call's updates
    """
    if not self.built:
        raise ValueError(f"To call stateless_call, {type(self).__name__} must be built (i.e. "
                         "its variables must have been already created). You can build it "
                         "by calling it on some data.")
    trainable = self.trainable_variables
    non_trainable = self.non_trainable_variables
    _check_values(self, "trainable_variables", trainable_variables, trainable)
    _check_values(self, "non_trainable_variables", non_trainable_variables, non_trainable)
    mapping = list(zip(trainable, trainable_variables)) + \
        list(zip(non_trainable, non_trainable_variables))
    kept = [(layer, layer.__dict__.get("_losses")) for layer in _layer_tree(self)]
    try:
        with StatelessScope(mapping) as scope:
            outputs = self(*args, **kwargs)
            losses = list(self.losses) if return_losses else None
    finally:
        # As in Keras, the call leaves the layers' losses as they were (inside jax.jit its
        # losses are traced values that must not outlive the trace).
        for layer, layer_losses in kept:
            layer.__dict__["_losses"] = layer_losses
            layer.__dict__.pop("_losses_cleared_at", None)
    new_values = [scope.get_current_value(v) for v in non_trainable]
    if return_losses:
        return outputs, new_values, losses
    return outputs, new_values


def _layer_tree(layer):
    """``layer`` and every layer nested in it, each once."""
    out, seen, stack = [], set(), [layer]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        out.append(current)
        stack.extend(current._sublayers())
    return out
