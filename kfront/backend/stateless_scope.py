"""``StatelessScope`` with Keras's signature: variables read the values given to it, and
their assignments stay in it."""
from kfront.backend import scope as _scope


class StatelessScope(_scope.StatelessScope):
    """``with kfront.StatelessScope(state_mapping=[(variable, value), ...]) as scope:``
    reads of those variables see the values; ``assign`` inside writes only to the scope
    (``scope.get_current_value(variable)``), never to the variable's storage.

    Args:
        state_mapping: ``(variable, value)`` pairs (or a dict); values are converted to
            the variable's dtype and must have its shape.
        collect_losses: not supported (kfront layers keep their own losses): must be False.
        initialize_variables: variables created inside are initialized (True, the only
            supported value).

    >>> with kfront.StatelessScope([(dense.kernel, np.zeros((3, 2)))]):
    ...     y = dense(x)   # computed with a zero kernel; dense.kernel is unchanged
    """

    allows_variable_creation = True

    def __init__(self, state_mapping=None, collect_losses=False, initialize_variables=True):
        if collect_losses:
            raise ValueError("StatelessScope(collect_losses=True) is not supported: kfront "
                             "layers keep the losses of a call in `layer.losses`.")
        if not initialize_variables:
            raise ValueError("StatelessScope(initialize_variables=False) is not supported: "
                             "variables created inside are initialized.")
        from kfront import ops
        from kfront.backend.variable import Variable
        pairs = state_mapping.items() if isinstance(state_mapping, dict) else \
            (state_mapping or ())
        checked = []
        for pair in pairs:
            try:
                var, value = pair
            except (TypeError, ValueError):
                raise ValueError("Invalid reference variable in StatelessScope: all keys in "
                                 "argument `mapping` must be (Variable, value) pairs. "
                                 f"Received: {pair!r}") from None
            if not isinstance(var, Variable):
                raise ValueError("Invalid reference variable in StatelessScope: all keys in "
                                 "argument `mapping` must be kfront.Variable instances. "
                                 f"Received instead: {var!r}")
            value = ops.convert_to_tensor(value, dtype=var.dtype)
            if tuple(value.shape) != tuple(var.shape):
                raise ValueError("Invalid value for mapping in StatelessScope: all values in "
                                 "argument `mapping` must have the shape of their variable. "
                                 f"Variable {var.path!r} has shape {tuple(var.shape)}; "
                                 f"received a value of shape {tuple(value.shape)}.")
            checked.append((var, value))
        super().__init__(checked)

    def get_current_value(self, variable):
        """The value ``variable`` has in this scope (None if it was neither given nor
        assigned)."""
        return self.get(variable)

    def add_update(self, update):
        """Records ``(variable, value)`` as an assignment in this scope."""
        variable, value = update
        self.assign(variable, value)
