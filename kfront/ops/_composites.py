"""``map``, ``associative_scan`` and ``vectorize``: written once from kfront ops
(``scan``, ``vectorized_map``, slicing, ``concatenate``, ``take``), the same on every engine.
"""
import re

import numpy as np

from kfront.backend.loader import adapter
from kfront.ops import numpy as _np_ops
from kfront.ops._export import composite
from kfront.ops import _structured as st
from kfront.utils import tree

_B = adapter()


def _control_flow():
    # control_flow imports this module; the loops it defines are looked up at call time.
    from kfront.ops import control_flow
    return control_flow


@composite
def map(f, xs):
    """``f`` applied to each entry of ``xs`` (any nested structure) along axis 0, one
    after the other; the outputs are stacked. Written from kfront ops (``scan``).

    Example: ``ops.map(lambda x: x ** 2, ops.arange(4))`` is ``[0, 1, 4, 9]``.
    """
    st.check_callable("map", "f", f)
    return _control_flow().scan(lambda carry, x: (carry, f(x)), (), xs)[1]


def _along(x, axis, start, stop=None, step=1):
    index = [slice(None)] * len(_B.shape(x))
    index[axis] = slice(start, stop, step)
    return x[tuple(index)]


def _interleave(a, b, axis):
    """[a0, b0, a1, b1, ...] along ``axis``; ``a`` has as many entries as ``b`` or one more."""
    shape = tuple(_B.shape(a))
    m, k = shape[axis], _B.shape(b)[axis]
    if None not in shape:
        # Static shapes (always on JAX and torch): a stack and a reshape, no gather.
        head = a if m == k else _along(a, axis, 0, -1)
        pairs = _np_ops.reshape(_np_ops.stack([head, b], axis=axis + 1),
                                shape[:axis] + (2 * k,) + shape[axis + 1:])
        return pairs if m == k else _np_ops.concatenate([pairs, _along(a, axis, -1)], axis=axis)
    # Dims unknown inside a compiled step (TensorFlow): a gather needs no reshape.
    order = np.empty(m + k, np.int32)
    order[0::2] = np.arange(m)
    order[1::2] = m + np.arange(k)
    return _np_ops.take(_np_ops.concatenate([a, b], axis=axis), order, axis=axis)


@composite
def associative_scan(f, elems, reverse=False, axis=0):
    """Inclusive scan with an associative ``f(a, b)`` along ``axis``, in O(log n) parallel
    steps (Blelloch's odd-even scheme, as ``jax.lax.associative_scan``). Written from kfront
    ops.

    Args:
        f: associative, applied elementwise to (structures of) slices along ``axis``.
        elems: a tensor or nested structure of tensors with the same length on ``axis``
            (known when the op is traced).
        reverse: scan from the last entry to the first.
        axis: the axis to scan.

    Example: ``ops.associative_scan(lambda a, b: a + b, ops.arange(5))`` is
    ``[0, 1, 3, 6, 10]``.
    """
    st.check_callable("associative_scan", "f", f)
    leaves = [_B.convert_to_tensor(e) for e in tree.flatten(st.values(elems))]
    ndim = len(_B.shape(leaves[0]))
    if not -ndim <= axis < ndim:
        raise ValueError(f"associative_scan: `axis` {axis} is out of range for elements of "
                         f"rank {ndim}.")
    axis = axis % ndim
    lengths = {_B.shape(e)[axis] for e in leaves}
    if len(lengths) != 1 or None in lengths:
        raise ValueError("associative_scan: every entry of `elems` must have the same, known "
                         f"length along axis {axis}. Received shapes "
                         f"{[tuple(_B.shape(e)) for e in leaves]}")
    if reverse:
        leaves = [_np_ops.flip(e, axis=axis) for e in leaves]

    def combine(a, b):
        out = f(tree.pack_sequence_as(elems, a), tree.pack_sequence_as(elems, b))
        return [_B.convert_to_tensor(v) for v in tree.flatten(out)]

    def scan(level):
        n = _B.shape(level[0])[axis]
        if n < 2:
            return level
        pairs = combine([_along(e, axis, 0, -1, 2) for e in level],
                        [_along(e, axis, 1, None, 2) for e in level])
        odd = scan(pairs)
        rest = [_along(e, axis, 2, None, 2) for e in level]
        even = combine([_along(o, axis, 0, -1) for o in odd] if n % 2 == 0 else odd, rest)
        even = [_np_ops.concatenate([_along(e, axis, 0, 1), r], axis=axis)
                for e, r in zip(level, even)]
        return [_interleave(e, o, axis) for e, o in zip(even, odd)]

    out = scan(leaves)
    if reverse:
        out = [_np_ops.flip(e, axis=axis) for e in out]
    return tree.pack_sequence_as(elems, out)


_DIMS = r"\w+"
_ARG = rf"\((?:{_DIMS}(?:,{_DIMS})*)?\)"
_SIGNATURE = re.compile(rf"^{_ARG}(?:,{_ARG})*->{_ARG}(?:,{_ARG})*$")


def _parse_signature(signature):
    """"(m,n),(n)->(m)" -> ([("m", "n"), ("n",)], [("m",)])."""
    text = signature.replace(" ", "")
    if not _SIGNATURE.match(text):
        raise ValueError(f"vectorize: not a valid gufunc signature: {signature!r} (expected "
                         "e.g. '(m,n),(n)->(m)').")
    inputs, outputs = text.split("->")

    def dims(part):
        return [tuple(d for d in group.split(",") if d)
                for group in re.findall(r"\(([^)]*)\)", part)]
    return dims(inputs), dims(outputs)


@composite
def vectorize(pyfunc, *, excluded=None, signature=None):
    """``pyfunc`` made to map over leading (broadcast) axes, like ``numpy.vectorize``.
    Written from kfront ops (``vectorized_map``).

    Args:
        pyfunc: a callable on scalars, or on blocks with the core shapes of ``signature``.
        excluded: positions (ints) or keyword names (strs) of arguments passed unchanged.
        signature: a gufunc signature such as ``"(m,n),(n)->(m)"``; without it every
            argument and output is a scalar.

    Example: ``ops.vectorize(lambda a, b: a + b)([1, 2, 3], 2)`` is ``[3, 4, 5]``.
    """
    if not callable(pyfunc):
        raise ValueError(f"Expected argument `pyfunc` to be a callable. Received: pyfunc={pyfunc}")
    excluded = set(excluded or ())
    # Outputs take the shapes pyfunc returns; the signature's output part is only parsed.
    in_core = _parse_signature(signature)[0] if signature is not None else None

    def vectorized(*args, **kwargs):
        positions = [i for i in range(len(args)) if i not in excluded]
        names = [k for k in sorted(kwargs) if k not in excluded]
        tensors = [_B.convert_to_tensor(args[i]) for i in positions] + [
            _B.convert_to_tensor(kwargs[k]) for k in names]
        cores = in_core if in_core is not None else [()] * len(tensors)
        if len(cores) != len(tensors):
            raise ValueError(f"vectorize: signature {signature!r} has {len(cores)} inputs; "
                             f"received {len(tensors)} vectorized arguments.")
        sizes = {}
        loops = []
        for t, core in zip(tensors, cores):
            shape = tuple(_B.shape(t))
            if len(shape) < len(core):
                raise ValueError(f"vectorize: an argument of shape {shape} has fewer dims than "
                                 f"its core dims {core} in signature {signature!r}.")
            for name, size in zip(core, shape[len(shape) - len(core):]):
                if sizes.setdefault(name, size) != size:
                    raise ValueError(f"vectorize: core dim {name!r} has sizes {sizes[name]} "
                                     f"and {size} in signature {signature!r}.")
            loops.append(shape[:len(shape) - len(core)])
        loop = np.broadcast_shapes(*loops) if loops else ()
        count = int(np.prod(loop))
        flat = [_np_ops.reshape(_np_ops.broadcast_to(t, loop + tuple(
            sizes[c] for c in core)), (count,) + tuple(sizes[c] for c in core))
            for t, core in zip(tensors, cores)]

        def one(items):
            call_args, call_kwargs = list(args), dict(kwargs)
            for i, item in zip(positions + names, items):
                if isinstance(i, int):
                    call_args[i] = item
                else:
                    call_kwargs[i] = item
            return pyfunc(*call_args, **call_kwargs)

        out = _control_flow().vectorized_map(one, tuple(flat))
        return tree.map_structure(
            lambda y: _np_ops.reshape(y, loop + tuple(_B.shape(y)[1:])), out)

    vectorized.__name__ = getattr(pyfunc, "__name__", "vectorized")
    from kfront.ops.dispatch import wrap
    return wrap(vectorized.__name__, vectorized)
