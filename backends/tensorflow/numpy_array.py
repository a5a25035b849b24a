"""Shape manipulation, indexing, creation, sorting, searching and set ops (keras.ops.numpy) on
TensorFlow. Everything here also runs inside ``tf.function``."""
import numpy as np
import tensorflow as tf

from kfront.backend import array_args as _args
from kfront.backend.contract import NUMPY_ARRAY_OPS
from kfront.backends.tensorflow.core import convert_to_tensor, floatx, pair, to_dtype
from kfront.backends.tensorflow.creation import linspace
from kfront.backends.tensorflow.numpy import _BOOL, _INT32, _dim, _indices, _norm_axis, _rank, _t

__all__ = list(NUMPY_ARRAY_OPS)  # the contract's family, in its order


def _shape_of(x):
    return tuple(x.shape.as_list())


def argpartition(x, kth, axis=-1):
    """Indices that partition ``x`` around its ``kth`` smallest entry along ``axis`` (int32).

    TensorFlow has no selection kernel; a stable argsort is one valid partition order."""
    x = _t(x)
    if axis is None:
        x, axis = tf.reshape(x, [-1]), 0
    n = x.shape[axis]
    _args.check_kth(kth, n)
    if x.dtype is _BOOL:
        x = tf.cast(x, _INT32)
    return tf.argsort(x, axis=axis, stable=True)


def copy(x):
    return tf.identity(_t(x))


def diag(x, k=0):
    x = _t(x)
    if _rank(x) == 1:
        return tf.linalg.diag(x, k=k)
    if _rank(x) == 2:
        return diagonal(x, offset=k)
    raise ValueError(f"diag: `x` must be 1-D or 2-D, received shape {_shape_of(x)}.")


def diagonal(x, offset=0, axis1=0, axis2=1):
    x = _t(x)
    rank = _rank(x)
    _args.check_matrix("diagonal", _shape_of(x))
    a1, a2 = _norm_axis(axis1, rank), _norm_axis(axis2, rank)
    perm = [a for a in range(rank) if a not in (a1, a2)] + [a1, a2]
    if perm != list(range(rank)):
        x = tf.transpose(x, perm)
    n, m = x.shape[-2], x.shape[-1]
    if n is not None and m is not None and not -n < offset < m:
        # Past the corner the diagonal is empty (diag_part would fail).
        return tf.zeros(tf.concat([tf.shape(x)[:-2], [0]], 0), dtype=x.dtype)
    return tf.linalg.diag_part(x, k=offset)


def empty(shape, dtype=None):
    return tf.zeros(shape, dtype=floatx() if dtype is None else to_dtype(dtype))


def empty_like(x, dtype=None):
    return tf.zeros_like(_t(x), dtype=to_dtype(dtype))


def _log_grid(start, stop, num, endpoint, axis):
    # linspace computes in float64; keeping float64 for the power loses no precision.
    return linspace(start, stop, num, endpoint=endpoint, dtype="float64", axis=axis)


def _out_dtype(dtype):
    return floatx() if dtype is None else to_dtype(dtype)


def logspace(start, stop, num=50, endpoint=True, base=10, dtype=None, axis=0):
    base = tf.cast(_t(base), tf.float64)
    return tf.cast(tf.pow(base, _log_grid(start, stop, num, endpoint, axis)), _out_dtype(dtype))


def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0):
    start = tf.cast(_t(start), tf.float64)
    stop = tf.cast(_t(stop), tf.float64)
    if tf.executing_eagerly() and (np.any(start.numpy() == 0) or np.any(stop.numpy() == 0)):
        raise ValueError("geomspace: a geometric sequence cannot include zero; received "
                         f"start={start.numpy()}, stop={stop.numpy()}.")
    log10 = np.log(10.0)
    grid = _log_grid(tf.math.log(tf.abs(start)) / log10, tf.math.log(tf.abs(stop)) / log10,
                     num, endpoint, axis)
    return tf.cast(tf.pow(tf.constant(10.0, tf.float64), grid) * tf.sign(start),
                   _out_dtype(dtype))


def _is_index_array(k):
    if isinstance(k, (tf.Tensor, tf.Variable)):
        return k.shape.rank != 0
    return isinstance(k, (np.ndarray, list)) and np.ndim(k) > 0


def _one_index_array(x, items, pos):
    """``x[items]`` where ``items[pos]`` is the only index array: basic indexing first, then
    a gather (integers) or a mask (booleans) along the axis that array lands on."""
    index = items[pos]
    index = index if isinstance(index, tf.Tensor) else convert_to_tensor(index)
    taken = index.shape.rank if index.dtype is _BOOL else 1
    basic = items[:pos] + (slice(None),) * taken + items[pos + 1:]
    consumed = sum(1 for k in basic if k is not None and k is not Ellipsis)
    axis = 0
    for k in items[:pos]:
        if k is Ellipsis:
            axis += _rank(x) - consumed
        elif k is None or isinstance(k, slice):
            axis += 1
    y = x[basic]
    if index.dtype is _BOOL:
        y = tf.boolean_mask(y, index, axis=axis)
    else:
        y = tf.gather(y, _indices(index, _dim(y, axis)), axis=axis)
    # NumPy puts the indexed axis first when an integer index sits apart from the array
    # (x[1, :, [0, 2]]), as the advanced indices then have no place of their own.
    advanced = [i for i, k in enumerate(items) if i == pos or _is_scalar_index(k)]
    if axis and advanced[-1] - advanced[0] != len(advanced) - 1:
        y = tf.transpose(y, [axis] + [a for a in range(_rank(y)) if a != axis])
    return y


def _is_scalar_index(k):
    if isinstance(k, (tf.Tensor, tf.Variable, np.ndarray)):
        return k.shape.rank == 0 if isinstance(k, (tf.Tensor, tf.Variable)) else k.ndim == 0
    return isinstance(k, (int, np.integer)) and not isinstance(k, bool)


def get_item(x, key):
    """``x[key]`` with NumPy's indexing rules: ints, slices, None, Ellipsis, and at most one
    index array or boolean mask."""
    x = _t(x)
    items = key if isinstance(key, tuple) else (key,)
    arrays = [i for i, k in enumerate(items) if _is_index_array(k)]
    if not arrays:
        return x[key]
    if len(arrays) > 1:
        raise ValueError("get_item: the TensorFlow backend takes at most one index array or "
                         f"mask in a key, received {len(arrays)} in key={key!r}.")
    return _one_index_array(x, items, arrays[0])


def nonzero(x):
    x = _t(x)
    where = tf.where(tf.cast(x, _BOOL))
    return tuple(tf.cast(where[:, i], _INT32) for i in range(_rank(x)))


def roll(x, shift, axis=None):
    x = _t(x)
    if axis is None:
        return tf.reshape(tf.roll(tf.reshape(x, [-1]), shift, axis=0), tf.shape(x))
    return tf.roll(x, shift, axis=axis)


def searchsorted(sorted_sequence, values, side="left"):
    """Insertion points (int32) of ``values`` into the 1-D ``sorted_sequence``."""
    seq = _t(sorted_sequence)
    _args.check_searchsorted(side, _shape_of(seq))
    seq, values = pair(seq, values)
    # tf.searchsorted searches each row of a batch: one row holds every value.
    out = tf.searchsorted(seq[None], tf.reshape(values, [1, -1]), side=side, out_type=_INT32)
    return tf.reshape(out, tf.shape(values))


def _triangle(name, x, k, lower):
    x = _t(x)
    _args.check_matrix(name, _shape_of(x))
    rows = tf.range(_dim(x, -2))[:, None]
    cols = tf.range(_dim(x, -1))[None, :]
    keep = cols - rows <= k if lower else cols - rows >= k
    return tf.where(keep, x, tf.zeros_like(x))


def tril(x, k=0):
    return _triangle("tril", x, k, lower=True)


def triu(x, k=0):
    return _triangle("triu", x, k, lower=False)


def unstack(x, num=None, axis=0):
    x = _t(x)
    _args.check_unstack_num(num, _shape_of(x), axis)
    return tf.unstack(x, num=num, axis=axis)


def view(x, dtype=None):
    """The bytes of ``x`` read as ``dtype``; the last axis scales by the itemsize ratio."""
    x = _t(x)
    new = x.dtype if dtype is None else to_dtype(dtype)
    old_size, new_size = x.dtype.size, new.size
    if old_size == new_size:
        return tf.bitcast(x, new)
    last = x.shape[-1] if _rank(x) else None
    if last is None or (last * old_size) % new_size:
        raise ValueError(f"view: cannot view a tensor of shape {_shape_of(x)} and dtype "
                         f"{x.dtype.name} as {new.name}: the last axis must hold a whole "
                         "number of the new items.")
    lead = tf.shape(x)[:-1]
    if old_size > new_size:
        return tf.reshape(tf.bitcast(x, new), tf.concat([lead, [last * old_size // new_size]], 0))
    ratio = new_size // old_size
    return tf.bitcast(tf.reshape(x, tf.concat([lead, [last // ratio, ratio]], 0)), new)


def _lexicographic_order(y, dim):
    """The stable order that sorts the slices of ``y`` along ``dim`` lexicographically."""
    if _rank(y) == 1:
        return tf.argsort(y, stable=True)
    rows = tf.reshape(tf.transpose(y, [dim] + [a for a in range(_rank(y)) if a != dim]),
                      [tf.shape(y)[dim], -1])
    order = tf.range(tf.shape(rows)[0])

    # Stable sorts by each column, last column first, leave the rows in lexicographic order.
    def body(c, order):
        col = tf.gather(rows[:, c], order)
        return c - 1, tf.gather(order, tf.argsort(col, stable=True))

    _, order = tf.while_loop(lambda c, _: c >= 0, body, [tf.shape(rows)[1] - 1, order])
    return order


def _resize(t, axis, size, fill):
    """``t`` cut or padded with ``fill`` to ``size`` entries along ``axis``."""
    n = tf.shape(t)[axis]
    t = tf.gather(t, tf.range(tf.minimum(n, size)), axis=axis)
    paddings = tf.tensor_scatter_nd_update(tf.zeros([_rank(t), 2], _INT32), [[axis, 1]],
                                           [tf.maximum(0, size - n)])
    t = tf.pad(t, paddings, constant_values=tf.cast(fill, t.dtype))
    if isinstance(size, int):
        static = t.shape.as_list()
        static[axis] = size
        t.set_shape(static)
    return t


def unique(x, sorted=True, return_index=False, return_inverse=False, return_counts=False,
           axis=None, size=None, fill_value=None):
    """The distinct entries of ``x`` (or distinct slices along ``axis``), sorted, or in
    order of first occurrence with ``sorted=False``. ``size`` cuts or pads the result
    (values with ``fill_value``, default 0; indices with 1 and counts with 0, as Keras
    does), giving a static shape. Indices, inverse and counts are int32."""
    x = _t(x)
    was_bool = x.dtype is _BOOL
    work = tf.cast(x, _INT32) if was_bool else x
    if axis is None:
        dim = 0
        work = tf.reshape(work, [-1])
        values, inverse, counts = tf.unique_with_counts(work, out_idx=_INT32)
    else:
        dim = _norm_axis(axis, _rank(x))
        values, inverse, counts = tf.raw_ops.UniqueWithCountsV2(x=work, axis=[dim],
                                                                out_idx=_INT32)
    n = tf.shape(values)[dim]
    index = tf.math.unsorted_segment_min(tf.range(tf.shape(work)[dim]), inverse, n)
    if sorted:
        order = _lexicographic_order(values, dim)
        values = tf.gather(values, order, axis=dim)
        index, counts = tf.gather(index, order), tf.gather(counts, order)
        inverse = tf.gather(tf.math.invert_permutation(order), inverse)
    if size is not None:
        values = _resize(values, dim, size, 0 if fill_value is None else fill_value)
        index, counts = _resize(index, 0, size, 1), _resize(counts, 0, size, 0)
    if was_bool:
        values = tf.cast(values, _BOOL)
    if axis is None:
        inverse = tf.reshape(inverse, tf.shape(x))
    out = [values]
    if return_index:
        out.append(index)
    if return_inverse:
        out.append(inverse)
    if return_counts:
        out.append(counts)
    return out[0] if len(out) == 1 else tuple(out)
