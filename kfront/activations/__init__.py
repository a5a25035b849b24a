"""``kfront.activations``: activation functions, and ``get`` to resolve them by name."""
from kfront.activations.activations import *  # noqa: F401,F403
from kfront.activations.activations import ALL as _ALL
from kfront.utils.lookup import resolve


def get(identifier):
    """The activation for a name ("relu"), None (linear) or a callable."""
    if identifier is None:
        return _ALL["linear"]
    if isinstance(identifier, str):
        fn = _ALL.get(identifier)
        if fn is not None:
            return fn
    return resolve(identifier, _ALL, "activation")


def serialize(activation):
    for name, fn in _ALL.items():
        if fn is activation:
            return name
    return getattr(activation, "__name__", str(activation))


def deserialize(name):
    return get(name)
