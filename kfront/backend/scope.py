"""Stateless execution: a scope that maps variables to values.

Compiled steps on JAX are pure functions: inside one, a variable's value comes from the
scope, and ``assign`` writes into the scope instead of the engine storage. The step
returns the scope's values and the caller writes them back once.
"""
import threading


class _Stack(threading.local):
    """Each thread's stack of open scopes (read on every variable read)."""

    def __init__(self):
        self.stack = []


_state = _Stack()


def current_scope():
    stack = _state.stack
    return stack[-1] if stack else None


class StatelessScope:
    """``with StatelessScope({var: value, ...}) as scope:`` reads and writes go to ``scope``.

    Variables not in the mapping fall through to an enclosing scope, then to storage.
    """

    def __init__(self, values=None):
        self._values = {}
        self._assigned = {}
        for var, value in (values or {}).items() if isinstance(values, dict) else (values or ()):
            self._values[id(var)] = value
        self._parent = None

    def get(self, var):
        value = self._values.get(id(var))
        if value is not None:
            return value
        if self._parent is not None:
            return self._parent.get(var)
        return None

    def assign(self, var, value):
        self._values[id(var)] = value
        self._assigned[id(var)] = var

    def assigned_variables(self):
        """Variables written inside this scope, in first-write order."""
        return list(self._assigned.values())

    def __enter__(self):
        stack = _state.stack
        self._parent = stack[-1] if stack else None
        stack.append(self)
        return self

    def __exit__(self, *exc):
        _state.stack.pop()
        self._parent = None
        return False


class ShapeInferenceScope(StatelessScope):
    """Shape inference (``compute_output_spec``) traces a layer's ``call``: its writes stay
    here and are dropped, so no traced value reaches a variable's storage. Layers built
    lazily during the trace may still create variables."""

    allows_variable_creation = True
