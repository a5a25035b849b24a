"""``Optimizer.stateless_apply``: one update as a pure function of the state.

The optimizer's variables and the trainable variables read the values given, inside a
``StatelessScope``; the update's writes stay in the scope and are returned, so a custom
JAX training loop can ``jax.jit`` its whole step.
"""
from kfront.backend.stateless_scope import StatelessScope


def stateless_apply(self, optimizer_variables, grads, trainable_variables):
    """Applies ``grads`` to the given values and returns the new ones.

    Args:
        optimizer_variables: values for ``self.variables``, in that order.
        grads: one gradient per trainable variable the optimizer was built with.
        trainable_variables: values for the variables the optimizer was built with
            (``optimizer.build(model.trainable_variables)``), in that order.

    Returns:
        ``(trainable_variables, optimizer_variables)``: the updated values.

    >>> optimizer.build(model.trainable_variables)
    >>> trainable, opt_state = optimizer.stateless_apply(opt_state, grads, trainable)
    """
    name = type(self).__name__
    if not self.built:
        raise ValueError(f"To call `stateless_apply`, {name} must be built (i.e. its "
                         "variables must have been created). You can build it via "
                         "`optimizer.build(trainable_variables)`.")
    own = self.variables
    built = self._built_variables
    if len(optimizer_variables) != len(own):
        raise ValueError("Argument `optimizer_variables` must be a list of tensors "
                         f"corresponding 1:1 to {name}().variables. Received list with "
                         f"length {len(optimizer_variables)}, but expected {len(own)} "
                         "variables.")
    if len(trainable_variables) != len(built):
        raise ValueError("Argument `trainable_variables` must be a list of tensors "
                         "corresponding 1:1 to the trainable variables list that the "
                         f"optimizer was built with. Received len(trainable_variables) == "
                         f"{len(trainable_variables)} whereas the optimizer was built with "
                         f"{len(built)} variables.")
    mapping = list(zip(built, trainable_variables)) + list(zip(own, optimizer_variables))
    with StatelessScope(mapping) as scope:
        self.apply(grads)
    return ([scope.get_current_value(v) for v in built],
            [scope.get_current_value(v) for v in own])
