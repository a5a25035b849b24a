"""Binds a list of contract names from the adapter into a public ops module, and registers
ops written once in kfront from contract ops (``composite``)."""
from kfront.backend.loader import adapter
from kfront.ops.dispatch import wrap

# Names of the public ops written in kfront/ops from contract ops rather than engine kernels;
# the conformance suite checks them beside the contract's.
COMPOSITE_OPS = []


def export(names, namespace):
    backend = adapter()
    for name in names:
        namespace[name] = wrap(name, getattr(backend, name))
    namespace.setdefault("__all__", [])
    namespace["__all__"] = list(namespace["__all__"]) + list(names)


def composite(fn):
    """Makes ``fn`` a public op: Variables are read and symbolic calls become graph nodes.

    The module defining it lists its name in ``__all__``; its docstring says it is written
    from contract ops.
    """
    COMPOSITE_OPS.append(fn.__name__)
    return wrap(fn.__name__, fn)
