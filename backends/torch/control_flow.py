"""Control flow and functional transforms, slicing, scatter and segment reductions
(keras.ops core and math) on torch.

``kfront.ops`` has already checked the arguments and replaced ``kfront.Variable``s by their
values. torch runs eagerly, so loops and branches are Python loops and branches that
autograd records step by step.
"""
import builtins
import math

import torch

from kfront.backend.contract import CONTROL_FLOW_OPS
from kfront.backend.scope import ShapeInferenceScope, current_scope
from kfront.backends.torch.core import DEVICE, as_tensor, convert_to_tensor
from kfront.utils import tree

__all__ = list(CONTROL_FLOW_OPS)  # the contract's family, in its order


def _inferring_shapes():
    # Symbolic shape inference runs a layer's call on zero stand-ins: a loop whose end
    # depends on the values could then run forever. Its carry keeps shape and dtype, so
    # the inputs already say what the loop returns.
    return isinstance(current_scope(), ShapeInferenceScope)


def cond(pred, true_fn, false_fn):
    return true_fn() if bool(pred) else false_fn()


def switch(index, branches, *operands):
    index = builtins.min(builtins.max(int(index), 0), len(branches) - 1)
    return branches[index](*_tensors(operands))


def _tensors(structure):
    return tree.map_structure(as_tensor, structure)


def while_loop(cond, body, loop_vars, maximum_iterations=None):
    is_sequence = isinstance(loop_vars, (list, tuple))
    state = tuple(_tensors(list(loop_vars))) if is_sequence else (as_tensor(loop_vars),)
    steps = 0
    while not _inferring_shapes() and (maximum_iterations is None or steps < maximum_iterations):
        if not bool(cond(*state)):
            break
        out = body(*state)
        state = tuple(out) if is_sequence else (out,)
        steps += 1
    return type(loop_vars)(state) if is_sequence else state[0]


def fori_loop(lower, upper, body_fun, init_val):
    value = _tensors(init_val)
    if _inferring_shapes():
        return value
    for i in range(int(lower), int(upper)):
        value = body_fun(i, value)
    return value


def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    # ``unroll`` only tunes compiled loops; an eager loop gives the same values.
    xs_flat = [] if xs is None else [as_tensor(x) for x in tree.flatten(xs)]
    n = int(length) if length is not None else int(xs_flat[0].shape[0])
    if n == 0:
        raise ValueError("scan: the torch backend cannot scan zero steps (`xs` with a "
                         "leading axis of 0 or length=0): the outputs' shapes come from a step.")
    carry = _tensors(init)
    ys = []
    for i in (range(n - 1, -1, -1) if reverse else range(n)):
        x = None if xs is None else tree.pack_sequence_as(xs, [t[i] for t in xs_flat])
        carry, y = f(carry, x)
        ys.append(y)
    if ys[0] is None:
        return carry, None
    if reverse:
        ys.reverse()
    columns = zip(*[tree.flatten(y) for y in ys])
    return carry, tree.pack_sequence_as(ys[0], [torch.stack([as_tensor(v) for v in c])
                                                for c in columns])


def vectorized_map(function, elements):
    return torch.vmap(function)(_tensors(elements))


class _CustomGradient(torch.autograd.Function):
    """Runs ``f`` without recording; backward calls its ``grad_fn(*args, upstream=...)``."""

    @staticmethod
    def forward(ctx, f, *args):
        outputs, ctx.grad_fn = f(*args)
        ctx.is_tensor = [isinstance(a, torch.Tensor) for a in args]
        ctx.others = [None if t else a for a, t in zip(args, ctx.is_tensor)]
        ctx.save_for_backward(*[a for a, t in zip(args, ctx.is_tensor) if t])
        return outputs

    @staticmethod
    def backward(ctx, *upstream):
        saved = iter(ctx.saved_tensors)
        args = [next(saved) if t else other for t, other in zip(ctx.is_tensor, ctx.others)]
        grads = ctx.grad_fn(*args, upstream=upstream[0] if len(upstream) == 1 else upstream)
        grads = tuple(grads) if isinstance(grads, (list, tuple)) else (grads,)
        grads = tuple(g if t else None for g, t in zip(grads, ctx.is_tensor))
        return (None,) + grads


def custom_gradient(f):
    """``f(*args) -> (outputs, grad_fn)``; torch calls ``grad_fn(*args, upstream=g)`` and
    takes one gradient per argument (a lone tensor for a single argument)."""
    def call(*args):
        return _CustomGradient.apply(f, *args)
    return call


def _ints(values):
    if isinstance(values, torch.Tensor):
        return [int(v) for v in values.tolist()]
    return [int(v) for v in values]


def slice(inputs, start_indices, shape):
    inputs = as_tensor(inputs)
    start = _ints(start_indices)
    index = tuple(builtins.slice(s, None if n == -1 else s + n)
                  for s, n in zip(start, _ints(shape)))
    return inputs[index]


def slice_update(inputs, start_indices, updates):
    inputs = as_tensor(inputs)
    updates = convert_to_tensor(updates, inputs.dtype)
    index = tuple(builtins.slice(s, s + n) for s, n in zip(_ints(start_indices), updates.shape))
    out = inputs.clone()
    out[index] = updates
    return out


def _index_tuple(indices):
    indices = convert_to_tensor(indices, "int64")
    return tuple(indices.unbind(-1))


def scatter(indices, values, shape):
    values = as_tensor(values)
    zeros = torch.zeros(tuple(shape), dtype=values.dtype, device=DEVICE)
    return zeros.index_put(_index_tuple(indices), values, accumulate=True)


def _reduce_rows(inputs, indices, updates, how):
    """Combines ``updates`` into the rows of ``inputs`` that ``indices`` (a prefix of its
    axes) address, with the indexed axes flattened into one."""
    indices = convert_to_tensor(indices, "int64")
    depth = indices.shape[-1]
    indexed = inputs.shape[:depth]
    strides = torch.tensor([math.prod(indexed[i + 1:]) for i in range(depth)],
                           dtype=torch.int64, device=indices.device)
    rows = (indices * strides).sum(-1)
    flat = inputs.reshape((math.prod(indexed),) + tuple(inputs.shape[depth:]))
    updates = updates.reshape((-1,) + tuple(inputs.shape[depth:]))
    return _reduce_into(flat, rows.reshape(-1), updates, how).reshape(inputs.shape)


def _reduce_into(out, rows, source, how):
    """``out`` with each row ``source[i]`` combined into ``out[rows[i]]`` by ``how``."""
    index = rows.reshape((-1,) + (1,) * (source.dim() - 1)).expand_as(source)
    return out.scatter_reduce(0, index, source, how, include_self=True)


def scatter_update(inputs, indices, updates, reduction=None):
    inputs = as_tensor(inputs)
    updates = convert_to_tensor(updates, inputs.dtype)
    if reduction is None or reduction == "add":
        return inputs.index_put(_index_tuple(indices), updates, accumulate=reduction == "add")
    how = {"max": "amax", "min": "amin", "mul": "prod"}[reduction]
    return _reduce_rows(inputs, indices, updates, how)


def _identity(dtype, how):
    if how in ("sum", "prod"):
        return 0 if how == "sum" else 1
    if dtype.is_floating_point:
        return -math.inf if how == "amax" else math.inf
    info = torch.iinfo(dtype)
    return info.min if how == "amax" else info.max


def _segment(how):
    def op(data, segment_ids, num_segments=None, sorted=False):
        # ``sorted`` is only a promise about order: the same kernel serves both.
        data = as_tensor(data)
        ids = convert_to_tensor(segment_ids, "int64")
        if num_segments is None:
            n = int(ids.max()) + 1 if ids.numel() else 0
        else:
            n = int(num_segments)
        # Out-of-range ids go to an extra row that is dropped; an empty segment holds the
        # reduction's identity (the infinities for max and min), as on JAX.
        ids = torch.where((ids >= 0) & (ids < n), ids, n)
        out = torch.full((n + 1,) + tuple(data.shape[1:]), _identity(data.dtype, how),
                         dtype=data.dtype, device=data.device)
        return _reduce_into(out, ids, data, how)[:n]
    op.__name__ = "segment_" + {"sum": "sum", "amax": "max", "amin": "min", "prod": "prod"}[how]
    return op


segment_sum = _segment("sum")
segment_max = _segment("amax")
segment_min = _segment("amin")
segment_prod = _segment("prod")
