"""Turns an adapter function into a public ``kfront.ops`` function.

The wrapper does two things before the engine sees the arguments: a ``kfront.Variable``
becomes its current value, and a call on symbolic ``KerasTensor``s becomes a node of
the Functional graph instead of a computation.
"""
import functools

from kfront.backend.keras_tensor import KerasTensor
from kfront.backend.variable import Variable


_SEQUENCES = (list, tuple)
_WRAPPED = (Variable, KerasTensor)


def _prepare(x):
    """Returns (value for the engine, whether x holds a KerasTensor). One level of lists."""
    if isinstance(x, Variable):
        return x.value, False
    if isinstance(x, KerasTensor):
        return x, True
    if type(x) in (list, tuple):
        symbolic = False
        items = []
        for item in x:
            if isinstance(item, Variable):
                item = item.value
            elif isinstance(item, KerasTensor):
                symbolic = True
            items.append(item)
        return type(x)(items), symbolic
    return x, False


def wrap(name, fn):
    @functools.wraps(fn)
    def op(*args, **kwargs):
        if len(args) == 1 and not kwargs:
            # One plain tensor (activations, unary math): straight to the engine.
            a = args[0]
            if type(a) not in _SEQUENCES and not isinstance(a, _WRAPPED):
                return fn(a)
        symbolic = False
        prepared = []
        for a in args:
            a, s = _prepare(a)
            symbolic |= s
            prepared.append(a)
        for k, v in kwargs.items():
            v, s = _prepare(v)
            symbolic |= s
            kwargs[k] = v
        if symbolic:
            from kfront.layers.core.op_layer import symbolic_op_call
            return symbolic_op_call(name, op, prepared, kwargs)
        return fn(*prepared, **kwargs)

    op.__name__ = name
    op.__qualname__ = name
    return op
