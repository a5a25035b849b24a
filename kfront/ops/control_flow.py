"""Ops of ``kfront.ops.core``: control flow and functional transforms, slicing, scatter and
segment reductions, with Keras 3's names, arguments and defaults.

Engine kernels come from ``kfront.backend.contract.CONTROL_FLOW_OPS``; each public op here
checks Keras's arguments, reads Variables anywhere in its (nested) arguments, and, called on
``KerasTensor``s, records a Functional graph node with Keras's output spec. ``map``,
``associative_scan`` and ``vectorize`` are written from kfront ops (``@composite``).

Gradients flow through every op on every engine, with one limit JAX sets: reverse-mode
differentiation of ``while_loop`` (use ``fori_loop`` with Python-int bounds, or ``scan``).
"""
from kfront.backend.contract import CONTROL_FLOW_OPS
from kfront.backend.loader import adapter
from kfront.ops import _structured as st
from kfront.ops._composites import associative_scan, map, vectorize  # noqa: F401
from kfront.ops._indexing import (  # noqa: F401
    scatter, scatter_update, segment_max, segment_min, segment_prod, segment_sum, slice,
    slice_update)
from kfront.ops.dispatch import wrap
from kfront.utils import tree

_B = adapter()

__all__ = list(CONTROL_FLOW_OPS) + ["map", "associative_scan", "vectorize"]


def cond(pred, true_fn, false_fn):
    """Applies ``true_fn()`` if ``pred`` else ``false_fn()``; both return the same structure,
    shapes and dtypes. Inside compiled steps both branches are traced and one runs.

    Args:
        pred: a boolean scalar (Python bool or a shape-``()`` tensor).
        true_fn, false_fn: callables without arguments.

    Example: ``ops.cond(ops.sum(x) > 0, lambda: x * 2, lambda: -x)``
    """
    st.check_callable("cond", "true_fn", true_fn)
    st.check_callable("cond", "false_fn", false_fn)
    pred = st.values(pred)
    if st.is_symbolic(pred):
        _check_scalar("cond", "pred", pred)
        true_spec, false_spec = st.output_spec(true_fn), st.output_spec(false_fn)
        if _describe(true_spec) != _describe(false_spec):
            raise ValueError("cond: `true_fn` and `false_fn` must return outputs of the same "
                             f"structure, shapes and dtypes. Received: {_describe(true_spec)} "
                             f"and {_describe(false_spec)}.")
        return st.symbolic_node("cond", cond, (pred, true_fn, false_fn), {}, true_spec)
    if not isinstance(pred, bool):
        pred = _B.convert_to_tensor(pred)
        _check_scalar("cond", "pred", pred)
        if _B.dtype(pred) != "bool":
            pred = _B.cast(pred, "bool")
    return _B.cond(pred, true_fn, false_fn)


def _check_scalar(op, name, x):
    shape = tuple(x.shape)
    if shape != ():
        raise ValueError(f"{op}: `{name}` must be a scalar (shape ()). Received: {name} of "
                         f"shape {shape}.")


def _describe(spec):
    leaves = tuple((tuple(s.shape), s.dtype) if s is not None else None
                   for s in tree.flatten(spec))
    return leaves if tree.is_nested(spec) else leaves[0]


def switch(index, branches, *operands):
    """Applies ``branches[index](*operands)``; ``index`` is clamped into range.

    Example: ``ops.switch(1, [lambda x: x + 1, lambda x: x * 2], x)`` is ``x * 2``.
    """
    if not isinstance(branches, (list, tuple)) or not branches:
        raise ValueError("switch: `branches` must be a non-empty list of callables. "
                         f"Received: branches={branches!r}")
    for i, branch in enumerate(branches):
        st.check_callable("switch", f"branches[{i}]", branch)
    index, operands = st.values(index), st.values(operands)
    if st.is_symbolic(index, operands):
        spec = st.output_spec(branches[0], *operands)
        return st.symbolic_node("switch", switch, (index, branches) + tuple(operands), {}, spec)
    return _B.switch(index, branches, *operands)


def while_loop(cond, body, loop_vars, maximum_iterations=None):
    """Runs ``loop_vars = body(*loop_vars)`` while ``cond(*loop_vars)`` (a list or tuple of
    loop variables is passed positionally, a single one as is), at most
    ``maximum_iterations`` times when given. The variables keep their shapes and dtypes.

    JAX cannot differentiate a while loop in reverse mode; ``fori_loop`` with Python-int
    bounds and ``scan`` can.

    Example: ``ops.while_loop(lambda i, s: i < 10, lambda i, s: (i + 1, s + i), (0, 0))``
    """
    st.check_callable("while_loop", "cond", cond)
    st.check_callable("while_loop", "body", body)
    if maximum_iterations is not None and (not isinstance(maximum_iterations, int)
                                           or maximum_iterations < 0):
        raise ValueError("while_loop: `maximum_iterations` must be None or a non-negative "
                         f"int. Received: maximum_iterations={maximum_iterations!r}")
    loop_vars = st.values(loop_vars)
    if st.is_symbolic(loop_vars):
        spec = tree.map_structure(st.spec_like, loop_vars)
        return st.symbolic_node("while_loop", while_loop, (cond, body, loop_vars),
                                {"maximum_iterations": maximum_iterations}, spec)
    return _B.while_loop(cond, body, loop_vars, maximum_iterations=maximum_iterations)


def fori_loop(lower, upper, body_fun, init_val):
    """Runs ``init_val = body_fun(i, init_val)`` for ``i`` in ``range(lower, upper)``.

    With Python-int bounds every engine differentiates through it (JAX turns it into a
    scan). ``i`` is a Python int on torch and a scalar tensor on JAX and TensorFlow.

    Example: ``ops.fori_loop(0, 10, lambda i, s: s + i, 0)`` is 45.
    """
    st.check_callable("fori_loop", "body_fun", body_fun)
    lower, upper, init_val = st.values(lower), st.values(upper), st.values(init_val)
    if st.is_symbolic(lower, upper, init_val):
        spec = tree.map_structure(st.spec_like, init_val)
        return st.symbolic_node("fori_loop", fori_loop, (lower, upper, body_fun, init_val),
                                {}, spec)
    return _B.fori_loop(lower, upper, body_fun, init_val)


def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    """Scans ``f(carry, x) -> (carry, y)`` over the leading axis of ``xs`` (any nested
    structure), returning the last carry and the ``y``s stacked.

    Args:
        f: the step function.
        init: the first carry (any nested structure of tensors).
        xs: the values to scan over, or None with ``length`` steps of ``x=None``.
        length: the number of steps, when ``xs`` is None (else it must match).
        reverse: scan from the last entry to the first (``ys`` keep ``xs``'s order).
        unroll: a positive int or a bool: how many steps a compiled loop unrolls (JAX);
            the values are the same on every engine.

    Example: ``ops.scan(lambda c, x: (c + x, c + x), 0.0, xs)`` is a cumulative sum.
    """
    st.check_callable("scan", "f", f)
    if not isinstance(unroll, bool) and (not isinstance(unroll, int) or unroll < 1):
        raise ValueError("scan: `unroll` must be a positive integer or a boolean. "
                         f"Received: unroll={unroll!r}")
    if xs is None and length is None:
        raise ValueError("scan: got no `xs` to scan over and `length` not provided.")
    init, xs = st.values(init), st.values(xs)
    n = length
    if xs is not None:
        leading = {st.leading_dim(x) for x in tree.flatten(xs)}
        known = {d for d in leading if d is not None}
        if len(known) > 1 or (length is not None and known and known != {int(length)}):
            raise ValueError("scan: every entry of `xs` must have the same leading axis, equal "
                             f"to `length` when given. Received: leading sizes "
                             f"{sorted(known)}, length={length}.")
        n = int(length) if length is not None else (known.pop() if known else None)
    kwargs = {"length": length, "reverse": reverse, "unroll": unroll}
    if st.is_symbolic(init, xs):
        x0 = None if xs is None else tree.map_structure(st.element_spec, xs)
        carry_spec, y_spec = st.output_spec(f, init, x0)
        return st.symbolic_node("scan", scan, (f, init, xs), kwargs,
                                (carry_spec, st.with_leading(n, y_spec)))
    return _B.scan(f, init, xs, **kwargs)


def vectorized_map(function, elements):
    """``function`` applied to each entry of ``elements`` along axis 0, in parallel
    (``jax.vmap``, ``torch.vmap``, ``tf.vectorized_map``); outputs are stacked.

    ``elements`` may be a structure: ``function`` then takes one argument of that structure.

    Example: ``ops.vectorized_map(lambda row: ops.sum(row * row), x)``
    """
    st.check_callable("vectorized_map", "function", function)
    elements = st.values(elements)
    if st.is_symbolic(elements):
        leaves = tree.flatten(elements)
        spec = st.output_spec(function, tree.map_structure(st.element_spec, elements))
        return st.symbolic_node("vectorized_map", vectorized_map, (function, elements), {},
                                st.with_leading(st.leading_dim(leaves[0]), spec))
    return _B.vectorized_map(function, elements)


def custom_gradient(f):
    """Decorator: ``f(*args)`` returns ``(outputs, grad_fn)`` and the decorated function
    returns ``outputs`` with ``grad_fn`` as its gradient.

    ``grad_fn`` follows each engine's form, as in Keras: JAX and TensorFlow call
    ``grad_fn(upstream)``, torch calls ``grad_fn(*args, upstream=upstream)``; it returns one
    gradient per argument. One ``grad_fn`` serves all three when written as::

        def grad(*args, upstream=None):
            if upstream is None:
                (upstream,) = args
            return ...

    Pass every tensor whose gradient is wanted as an argument of ``f``: a weight ``f``
    reads from its closure gets no gradient through it (torch and JAX raise), and on
    TensorFlow a ``f`` that reads variables needs ``grad_fn`` to accept ``variables=`` too
    (TensorFlow's rule).
    """
    st.check_callable("custom_gradient", "f", f)
    kernel = _B.custom_gradient(f)

    def call(*args):
        return kernel(*st.values(args))

    return wrap(getattr(f, "__name__", "custom_gradient"), call)


_missing = [n for n in CONTROL_FLOW_OPS if not callable(globals().get(n))]
assert not _missing, f"contract ops without a public definition here: {_missing}"
