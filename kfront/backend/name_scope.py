"""``name_scope``: a prefix for the paths of variables created inside it, and
``SymbolicScope``: marks code that runs on symbolic tensors."""
import threading


class _Stacks(threading.local):
    def __init__(self):
        self.names = []
        self.symbolic = 0


_state = _Stacks()


class name_scope:
    """``with kfront.name_scope("block"):`` variables created inside get paths
    ``"block/<their path>"``; scopes nest (``"outer/inner/..."``).

    Args:
        name: the scope's name (a string without ``/``).
        caller: the object opening the scope; with ``deduplicate``, a caller re-entering
            the scope it is already in (same name) adds no level.
        deduplicate: see ``caller``.
        override_parent: an absolute path that replaces the enclosing scopes' path.

    >>> with kfront.name_scope("encoder"):
    ...     v = kfront.Variable(0.0, name="w")
    >>> v.path
    'encoder/w'
    """

    def __init__(self, name, caller=None, deduplicate=True, override_parent=None):
        if not isinstance(name, str) or "/" in name:
            raise ValueError("Argument `name` must be a string and cannot contain character "
                             f"`/`. Received: name={name!r}")
        self.name, self.caller = name, caller
        self.deduplicate, self.override_parent = deduplicate, override_parent
        self._pushed = False

    def __enter__(self):
        stack = _state.names
        if self.deduplicate and stack and self.caller is not None and \
                stack[-1].caller is self.caller and stack[-1].name == self.name:
            return self
        stack.append(self)
        self._pushed = True
        return self

    def __exit__(self, *exc):
        if self._pushed:
            _state.names.pop()
            self._pushed = False
        return False


def current_path():
    """The path of the open name scopes (``""`` outside any)."""
    parts = []
    for scope in _state.names:
        if scope.override_parent is not None:
            parts = [p for p in scope.override_parent.split("/") if p]
        parts.append(scope.name)
    return "/".join(parts)


class SymbolicScope:
    """``with kfront.SymbolicScope():`` marks the code inside as running on symbolic
    tensors (shape and dtype tracing); ``in_symbolic_scope()`` reports it."""

    def __enter__(self):
        _state.symbolic += 1
        return self

    def __exit__(self, *exc):
        _state.symbolic -= 1
        return False


def in_symbolic_scope():
    """Whether a ``SymbolicScope`` is open."""
    return _state.symbolic > 0
