"""Helpers for ops whose arguments are nested structures and callables (control flow).

``kfront.ops.dispatch.wrap`` looks one list deep for Variables and symbolic tensors; a loop's
carry or a scan's inputs may nest deeper. These helpers read Variables anywhere in a
structure, find ``KerasTensor``s anywhere in it, and build a Functional graph node whose
output spec the op states itself (Keras's rules) instead of running the engine kernel on
stand-in values, which for a ``while_loop`` could never end.
"""
from kfront.backend.keras_tensor import KerasTensor
from kfront.backend.loader import adapter
from kfront.backend.variable import Variable
from kfront.utils import tree


def values(structure):
    """``structure`` with every ``kfront.Variable`` replaced by its current value."""
    if isinstance(structure, Variable):
        return structure.value
    if not tree.is_nested(structure):
        return structure
    return tree.map_structure(lambda v: v.value if isinstance(v, Variable) else v, structure)


def is_symbolic(*structures):
    return any(isinstance(v, KerasTensor) for v in tree.flatten(list(structures)))


def spec_like(x):
    """A ``KerasTensor`` with the shape and dtype of ``x`` (symbolic, tensor or scalar)."""
    if isinstance(x, KerasTensor):
        return KerasTensor(x.shape, dtype=x.dtype)
    backend = adapter()
    t = backend.convert_to_tensor(x)
    return KerasTensor(backend.shape(t), dtype=backend.dtype(t))


def element_spec(x):
    """The spec of one entry of ``x`` along its leading axis."""
    if isinstance(x, KerasTensor):
        return KerasTensor(x.shape[1:], dtype=x.dtype)
    return spec_like(adapter().convert_to_tensor(x)[0])


def leading_dim(x):
    """The static size of axis 0: None when unknown (while tracing, TensorFlow's
    ``ops.shape`` gives a run-time size tensor there)."""
    if isinstance(x, KerasTensor):
        return x.shape[0]
    d = adapter().shape(adapter().convert_to_tensor(x))[0]
    return d if d is None or isinstance(d, int) else None


def with_leading(n, spec):
    """``spec`` (a structure of KerasTensors, or None) stacked ``n`` times on a new axis 0."""
    if spec is None:
        return None
    return tree.map_structure(
        lambda s: None if s is None else KerasTensor((n,) + tuple(s.shape), dtype=s.dtype), spec)


def output_spec(fn, *args):
    """What ``fn(*args)`` returns, as KerasTensors (the engine traces it on stand-ins)."""
    return adapter().compute_output_spec(fn, *args)


def symbolic_node(name, op, args, kwargs, outputs):
    """Records ``op(*args, **kwargs)`` as a Functional graph node that returns ``outputs``."""
    from kfront.layers.core.op_layer import OpLayer
    from kfront.layers.node import Node
    Node(OpLayer(name, op), args, kwargs, outputs)
    return outputs


def check_callable(op, name, value):
    if not callable(value):
        raise TypeError(f"{op}: `{name}` must be a callable. Received: {name}={value!r}")
