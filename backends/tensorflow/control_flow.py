"""Control flow and functional transforms, slicing, scatter and segment reductions
(keras.ops core and math) on tensorflow.

``kfront.ops`` has already checked the arguments and replaced ``kfront.Variable``s by their
values. Loops are ``tf.while_loop``s, so they run eagerly and inside ``tf.function`` and are
differentiated by ``tf.GradientTape`` in both.
"""
import tensorflow as tf

from kfront.backend.contract import CONTROL_FLOW_OPS
from kfront.backends.tensorflow.core import convert_to_tensor
from kfront.utils import tree

__all__ = list(CONTROL_FLOW_OPS)  # the contract's family, in its order


def cond(pred, true_fn, false_fn):
    if isinstance(pred, bool):
        return true_fn() if pred else false_fn()
    return tf.cond(convert_to_tensor(pred), true_fn, false_fn)


def switch(index, branches, *operands):
    index = tf.clip_by_value(convert_to_tensor(index, "int32"), 0, len(branches) - 1)
    operands = _tensors(operands)
    return tf.switch_case(index, [lambda b=b: b(*operands) for b in branches])


def _tensors(structure):
    return tree.map_structure(convert_to_tensor, structure)


def while_loop(cond, body, loop_vars, maximum_iterations=None):
    is_sequence = isinstance(loop_vars, (list, tuple))
    state = tuple(_tensors(list(loop_vars))) if is_sequence else (convert_to_tensor(loop_vars),)

    def step(*s):
        out = body(*s)
        return tuple(out) if is_sequence else (out,)

    out = tf.while_loop(cond, step, state, maximum_iterations=maximum_iterations)
    return type(loop_vars)(out) if is_sequence else out[0]


def fori_loop(lower, upper, body_fun, init_val):
    static = isinstance(lower, int) and isinstance(upper, int)
    # A static trip count bounds the loop, which XLA needs to differentiate it.
    _, out = tf.while_loop(lambda i, _: i < upper, lambda i, v: (i + 1, body_fun(i, v)),
                           (tf.constant(lower) if static else convert_to_tensor(lower),
                            _tensors(init_val)),
                           maximum_iterations=max(upper - lower, 0) if static else None)
    return out


def _steps(xs, length):
    """(xs leaves as tensors, trip count: an int when static, else a scalar tensor)."""
    if xs is None:
        return [], int(length)
    xs_flat = [convert_to_tensor(x) for x in tree.flatten(xs)]
    if length is not None:
        return xs_flat, int(length)
    n = xs_flat[0].shape[0]
    return xs_flat, (int(n) if n is not None else tf.shape(xs_flat[0])[0])


def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    # ``unroll`` only tunes speed; tf.while_loop has no unrolling, so results are the same.
    xs_flat, n = _steps(xs, length)
    if isinstance(n, int) and n == 0:
        raise ValueError("scan: the TensorFlow backend cannot scan zero steps (`xs` with a "
                         "leading axis of 0 or length=0): the outputs' shapes come from a step.")
    inputs = [tf.TensorArray(x.dtype, size=n, element_shape=x.shape[1:]).unstack(x)
              for x in xs_flat]

    def x_at(i):
        return tree.pack_sequence_as(xs, [t.read(i) for t in inputs]) if xs is not None else None

    def index(k):
        return n - 1 - k if reverse else k

    # The first step runs before the loop: it tells the structure and dtypes of ``y``,
    # which the loop's output buffers need up front.
    carry, y = f(_tensors(init), x_at(index(0)))
    carry = _tensors(carry)
    y_flat = [convert_to_tensor(v) for v in tree.flatten(y)] if y is not None else []
    outputs = [tf.TensorArray(v.dtype, size=n, element_shape=v.shape).write(index(0), v)
               for v in y_flat]

    def step(k, carry, outputs):
        new_carry, new_y = f(carry, x_at(index(k)))
        written = [t.write(index(k), v) for t, v in zip(outputs, tree.flatten(new_y))]
        return k + 1, _tensors(new_carry), written

    _, carry, outputs = tf.while_loop(lambda k, c, o: k < n, step, (1, carry, outputs))
    if y is None:
        return carry, None
    return carry, tree.pack_sequence_as(y, [t.stack() for t in outputs])


def vectorized_map(function, elements):
    return tf.vectorized_map(function, elements)


def custom_gradient(f):
    """``f(*args) -> (outputs, grad_fn)``; ``grad_fn(*upstream)`` returns one gradient per
    argument. As in TensorFlow, a ``f`` that reads variables gets ``variables=`` too."""
    return tf.custom_gradient(f)


def slice(inputs, start_indices, shape):
    return tf.slice(convert_to_tensor(inputs), _int_vector(start_indices), _int_vector(shape))


def _int_vector(values):
    if isinstance(values, (list, tuple)):
        return tf.stack([tf.cast(convert_to_tensor(v), tf.int32) for v in values])
    return tf.cast(convert_to_tensor(values), tf.int32)


def slice_update(inputs, start_indices, updates):
    inputs = convert_to_tensor(inputs)
    updates = tf.cast(convert_to_tensor(updates), inputs.dtype)
    start = _int_vector(start_indices)
    # Every position of ``updates``, shifted to ``start``: one scatter writes the block.
    grids = tf.meshgrid(*[tf.range(d) for d in tf.unstack(tf.shape(updates))], indexing="ij")
    positions = tf.stack(grids, axis=-1) + start
    return tf.tensor_scatter_nd_update(inputs, positions, updates)


def scatter(indices, values, shape):
    indices = _indices(indices)
    return tf.scatter_nd(indices, convert_to_tensor(values), tf.constant(shape, indices.dtype))


def _indices(indices):
    indices = convert_to_tensor(indices)
    return indices if indices.dtype in (tf.int32, tf.int64) else tf.cast(indices, tf.int64)


def _scatter_mul(inputs, indices, updates):
    # No tensor_scatter_nd_mul: multiply each indexed row by the product of its updates.
    depth = indices.shape[-1]
    indexed = tf.shape(inputs, out_type=tf.int64)[:depth]
    strides = tf.math.cumprod(indexed, exclusive=True, reverse=True)
    rows = tf.reduce_sum(tf.cast(indices, tf.int64) * strides, axis=-1)
    count = tf.reduce_prod(indexed)
    flat = tf.reshape(inputs, tf.concat([[count], tf.shape(inputs, out_type=tf.int64)[depth:]], 0))
    factors = tf.math.unsorted_segment_prod(updates, rows, count)
    return tf.reshape(flat * factors, tf.shape(inputs))


_SCATTERS = {None: tf.tensor_scatter_nd_update, "add": tf.tensor_scatter_nd_add,
             "max": tf.tensor_scatter_nd_max, "min": tf.tensor_scatter_nd_min,
             "mul": _scatter_mul}


def scatter_update(inputs, indices, updates, reduction=None):
    inputs = convert_to_tensor(inputs)
    updates = tf.cast(convert_to_tensor(updates), inputs.dtype)
    return _SCATTERS[reduction](inputs, _indices(indices), updates)


def _segment(reduce, empty):
    def op(data, segment_ids, num_segments=None, sorted=False):
        # Every id form takes the unsorted kernel: ``sorted`` is only a promise about order.
        data = convert_to_tensor(data)
        ids = tf.cast(convert_to_tensor(segment_ids), tf.int32)
        if num_segments is None:
            n = tf.maximum(tf.reduce_max(ids) + 1, 0) if ids.shape[0] != 0 else 0
        else:
            n = int(num_segments)
        # Ids past the last segment are dropped, as negative ones are.
        ids = tf.where(ids < n, ids, -1)
        out = reduce(data, ids, n)
        if empty is not None and data.dtype.is_floating:
            # TensorFlow fills an empty segment with the dtype's finite extreme; the
            # reduction's identity is the infinity (as JAX and torch give).
            count = tf.math.unsorted_segment_sum(tf.ones_like(ids), ids, n)
            count = tf.reshape(count, tf.concat([[-1], tf.ones([tf.rank(data) - 1], tf.int32)], 0))
            out = tf.where(count > 0, out, tf.cast(empty, data.dtype))
        return out
    op.__name__ = reduce.__name__
    return op


segment_sum = _segment(tf.math.unsorted_segment_sum, None)
segment_max = _segment(tf.math.unsorted_segment_max, -float("inf"))
segment_min = _segment(tf.math.unsorted_segment_min, float("inf"))
segment_prod = _segment(tf.math.unsorted_segment_prod, None)
