"""Control flow and functional transforms, slicing, scatter and segment reductions
(keras.ops core and math) on jax.

``kfront.ops`` has already checked the arguments and replaced ``kfront.Variable``s by their
values. Every function here traces under ``jax.jit``; ``while_loop`` without static bounds is
the one JAX cannot differentiate in reverse mode (JAX says so when asked).
"""
import jax
import jax.numpy as jnp
import numpy as np

from kfront.backend.contract import CONTROL_FLOW_OPS
from kfront.backends.jax.core import as_tensor, convert_to_tensor

__all__ = list(CONTROL_FLOW_OPS)  # the contract's family, in its order


def cond(pred, true_fn, false_fn):
    if isinstance(pred, (bool, np.bool_)):
        return true_fn() if pred else false_fn()
    return jax.lax.cond(as_tensor(pred), true_fn, false_fn)


def switch(index, branches, *operands):
    # lax.switch clamps the index into range, as keras.ops.switch promises.
    return jax.lax.switch(convert_to_tensor(index, "int32"), list(branches), *operands)


def while_loop(cond, body, loop_vars, maximum_iterations=None):
    is_sequence = isinstance(loop_vars, (list, tuple))
    state = tuple(loop_vars) if is_sequence else (loop_vars,)
    state = jax.tree_util.tree_map(as_tensor, state)

    def as_tuple(out):
        return tuple(out) if is_sequence else (out,)

    if maximum_iterations is None:
        out = jax.lax.while_loop(lambda s: cond(*s), lambda s: as_tuple(body(*s)), state)
    else:
        def counted_cond(s):
            return jnp.logical_and(cond(*s[0]), s[1] < maximum_iterations)

        def counted_body(s):
            return as_tuple(body(*s[0])), s[1] + 1

        out = jax.lax.while_loop(counted_cond, counted_body, (state, jnp.int32(0)))[0]
    return type(loop_vars)(out) if is_sequence else out[0]


def fori_loop(lower, upper, body_fun, init_val):
    # With Python-int bounds lax.fori_loop becomes a scan, which reverse mode differentiates.
    return jax.lax.fori_loop(lower, upper, body_fun, init_val)


def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    return jax.lax.scan(f, init, xs, length=length, reverse=reverse, unroll=unroll)


def vectorized_map(function, elements):
    return jax.vmap(function)(elements)


def custom_gradient(f):
    """``f(*args) -> (outputs, grad_fn)``; ``grad_fn(*upstream)`` returns one gradient per
    argument (a lone tensor for a single argument)."""
    def forward(*args):
        outputs, grad_fn = f(*args)

        def vjp(*upstream):
            grads = grad_fn(*upstream)
            return tuple(grads) if isinstance(grads, (list, tuple)) else (grads,)

        return outputs, vjp

    return jax.custom_gradient(forward)


def _final_shape(inputs, start_indices, shape):
    return tuple(int(d) - int(s) if int(n) == -1 else int(n)
                 for d, s, n in zip(inputs.shape, start_indices, shape))


def slice(inputs, start_indices, shape):
    inputs = as_tensor(inputs)
    if not all(int(n) >= 0 for n in shape):  # -1: the rest of the axis, from a static start
        try:
            start_indices = [int(s) for s in start_indices]
        except jax.errors.ConcretizationTypeError:
            raise ValueError(
                "slice: under jax.jit a `shape` entry of -1 needs static `start_indices` "
                "(Python ints): the output shape cannot depend on traced values. Received: "
                f"shape={tuple(shape)}.") from None
        shape = _final_shape(inputs, start_indices, shape)
    return jax.lax.dynamic_slice(inputs, _starts(start_indices), tuple(int(n) for n in shape))


def _starts(start_indices):
    if isinstance(start_indices, (list, tuple)):
        return [as_tensor(s) for s in start_indices]
    return list(convert_to_tensor(start_indices))


def slice_update(inputs, start_indices, updates):
    inputs = as_tensor(inputs)
    updates = convert_to_tensor(updates, inputs.dtype)
    return jax.lax.dynamic_update_slice(inputs, updates, _starts(start_indices))


def _index_tuple(indices):
    indices = convert_to_tensor(indices)
    return tuple(jnp.moveaxis(indices, -1, 0))


def scatter(indices, values, shape):
    values = convert_to_tensor(values)
    return jnp.zeros(shape, values.dtype).at[_index_tuple(indices)].add(values)


_UPDATES = {None: "set", "add": "add", "max": "max", "min": "min", "mul": "multiply"}


def scatter_update(inputs, indices, updates, reduction=None):
    inputs = convert_to_tensor(inputs)
    updates = convert_to_tensor(updates, inputs.dtype)
    at = inputs.at[_index_tuple(indices)]
    return getattr(at, _UPDATES[reduction])(updates)


def _num_segments(segment_ids, num_segments):
    if num_segments is not None:
        return int(num_segments)
    if isinstance(segment_ids, jax.core.Tracer):
        raise ValueError(
            "segment reductions under jax.jit need `num_segments`: the number of segments "
            "sets the output shape, which cannot depend on traced `segment_ids`. Received: "
            "num_segments=None.")
    return int(jnp.max(segment_ids)) + 1 if segment_ids.size else 0


def _segment(reduce):
    def op(data, segment_ids, num_segments=None, sorted=False):
        data = convert_to_tensor(data)
        segment_ids = convert_to_tensor(segment_ids, "int32")
        n = _num_segments(segment_ids, num_segments)
        # Out-of-range ids are dropped; an empty segment holds the reduction's identity.
        return reduce(data, segment_ids, n, indices_are_sorted=bool(sorted))
    op.__name__ = reduce.__name__
    return op


segment_sum = _segment(jax.ops.segment_sum)
segment_max = _segment(jax.ops.segment_max)
segment_min = _segment(jax.ops.segment_min)
segment_prod = _segment(jax.ops.segment_prod)
