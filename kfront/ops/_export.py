"""Binds a list of contract names from the adapter into a public ops module."""
from kfront.backend.loader import adapter
from kfront.ops.dispatch import wrap


def export(names, namespace):
    backend = adapter()
    for name in names:
        namespace[name] = wrap(name, getattr(backend, name))
    namespace.setdefault("__all__", [])
    namespace["__all__"] = list(namespace["__all__"]) + list(names)
