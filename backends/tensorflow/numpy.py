"""NumPy-like ops on TensorFlow, with NumPy's names, arguments and broadcasting."""
import builtins

import numpy as np
import tensorflow as tf

from kfront.backend.int8_products import einsum_terms, exact_float_dtype

from kfront.backends.tensorflow.core import (as_float, convert_to_tensor, floatx, pair,
                                             promote, to_dtype)

__all__ = [
    "abs", "absolute", "add", "subtract", "multiply", "divide", "true_divide", "floor_divide",
    "mod", "power", "negative", "square", "sqrt", "exp", "log", "log1p", "expm1", "sign",
    "floor", "ceil", "round", "maximum", "minimum", "clip", "where",
    "equal", "not_equal", "less", "less_equal", "greater", "greater_equal",
    "logical_and", "logical_or", "logical_not",
    "matmul", "dot", "tensordot", "einsum", "outer",
    "transpose", "reshape", "expand_dims", "squeeze", "concatenate", "stack", "split",
    "tile", "repeat", "broadcast_to", "flip", "pad",
    "mean", "sum", "max", "min", "prod", "std", "var", "argmax", "argmin", "cumsum",
    "sort", "argsort", "any", "all", "count_nonzero",
    "isnan", "isinf", "isfinite", "take", "take_along_axis",
    "sin", "cos", "tan", "tanh", "sinh", "cosh", "arctan", "size", "ndim",
]

_Tensor = tf.Tensor
_BOOL = tf.bool
_INT32 = tf.int32
_LOW_FLOATS = (tf.float16, tf.bfloat16)
# Integer dtypes that TF's matmul/einsum kernels lack; they run in a wider integer.
_WIDEN_INT = {tf.int8: tf.int32, tf.int16: tf.int32, tf.uint8: tf.int32, tf.uint16: tf.int32,
              tf.uint32: tf.int64, tf.uint64: tf.int64}


def _t(x):
    return x if isinstance(x, _Tensor) else convert_to_tensor(x)


def _axis(axis):
    return list(axis) if isinstance(axis, tuple) else axis


def _rank(x):
    return x.shape.rank


def _norm_axis(axis, rank):
    return axis + rank if axis < 0 else axis


def _dim(x, axis):
    """The size of one axis: a Python int when known, else a scalar tensor."""
    d = x.shape[axis]
    return d if d is not None else tf.shape(x)[axis]


# ---- elementwise arithmetic ------------------------------------------------------------

def add(x1, x2):
    x1, x2 = pair(x1, x2)
    if x1.dtype is _BOOL:
        return tf.logical_or(x1, x2)
    return tf.add(x1, x2)


def subtract(x1, x2):
    x1, x2 = pair(x1, x2)
    if x1.dtype is _BOOL:
        return tf.logical_xor(x1, x2)
    return tf.subtract(x1, x2)


def multiply(x1, x2):
    x1, x2 = pair(x1, x2)
    if x1.dtype is _BOOL:
        return tf.logical_and(x1, x2)
    return tf.multiply(x1, x2)


def divide(x1, x2):
    x1, x2 = pair(x1, x2)
    d = x1.dtype
    if not (d.is_floating or d.is_complex):
        x1 = tf.cast(x1, floatx())
        x2 = tf.cast(x2, floatx())
    return tf.divide(x1, x2)


true_divide = divide


def _int_if_bool(x1, x2):
    if x1.dtype is _BOOL:
        return tf.cast(x1, _INT32), tf.cast(x2, _INT32)
    return x1, x2


def floor_divide(x1, x2):
    x1, x2 = _int_if_bool(*pair(x1, x2))
    return tf.math.floordiv(x1, x2)


def mod(x1, x2):
    x1, x2 = _int_if_bool(*pair(x1, x2))
    return tf.math.floormod(x1, x2)


def power(x1, x2):
    x1, x2 = _int_if_bool(*pair(x1, x2))
    return tf.pow(x1, x2)


def negative(x):
    x = _t(x)
    if x.dtype is _BOOL:
        return tf.logical_not(x)
    return tf.negative(x)


def abs(x):
    x = _t(x)
    d = x.dtype
    if d is _BOOL or d.is_unsigned:
        return x
    return tf.abs(x)


absolute = abs


def square(x):
    x = _t(x)
    if x.dtype is _BOOL:
        x = tf.cast(x, _INT32)
    return tf.square(x)


def sign(x):
    x = _t(x)
    d = x.dtype
    if d is _BOOL:
        return x
    if d.is_unsigned:
        return tf.cast(tf.not_equal(x, 0), d)
    return tf.sign(x)


def sqrt(x):
    return tf.sqrt(as_float(x))


def exp(x):
    return tf.exp(as_float(x))


def log(x):
    return tf.math.log(as_float(x))


def log1p(x):
    return tf.math.log1p(as_float(x))


def expm1(x):
    return tf.math.expm1(as_float(x))


def sin(x):
    return tf.sin(as_float(x))


def cos(x):
    return tf.cos(as_float(x))


def tan(x):
    return tf.tan(as_float(x))


def tanh(x):
    return tf.tanh(as_float(x))


def sinh(x):
    return tf.sinh(as_float(x))


def cosh(x):
    return tf.cosh(as_float(x))


def arctan(x):
    return tf.atan(as_float(x))


def floor(x):
    return tf.floor(as_float(x))


def ceil(x):
    return tf.math.ceil(as_float(x))


def round(x, decimals=0):
    """Rounds half to even, as NumPy does; ``decimals`` may be negative."""
    x = _t(x)
    d = x.dtype
    if d.is_integer or d is _BOOL:
        if decimals >= 0:
            return x
        factor = 10 ** (-decimals)
        scaled = tf.round(tf.cast(x, tf.float64) / factor)
        return tf.cast(scaled * factor, d)
    if decimals == 0:
        return tf.round(x)
    factor = tf.constant(10.0 ** decimals, dtype=d)
    return tf.round(x * factor) / factor


def maximum(x1, x2):
    x1, x2 = pair(x1, x2)
    if x1.dtype is _BOOL:
        return tf.logical_or(x1, x2)
    return tf.maximum(x1, x2)


def minimum(x1, x2):
    x1, x2 = pair(x1, x2)
    if x1.dtype is _BOOL:
        return tf.logical_and(x1, x2)
    return tf.minimum(x1, x2)


def clip(x, x_min, x_max):
    """Limits ``x`` to ``[x_min, x_max]``; bool inputs become int32, as in Keras."""
    x = _t(x)
    if x.dtype is _BOOL:
        x = tf.cast(x, _INT32)
    if x_min is None:
        return minimum(x, x_max)
    if x_max is None:
        return maximum(x, x_min)
    x, lo = pair(x, x_min)
    x, hi = pair(x, x_max)
    if lo.dtype is not x.dtype:
        lo = tf.cast(lo, x.dtype)
    return tf.clip_by_value(x, lo, hi)


def where(condition, x1=None, x2=None):
    """``x1`` where ``condition`` else ``x2``; with only a condition, its nonzero indices."""
    condition = _t(condition)
    if condition.dtype is not _BOOL:
        condition = tf.cast(condition, _BOOL)
    if x1 is None and x2 is None:
        coords = tf.cast(tf.where(condition), _INT32)
        return tuple(coords[:, i] for i in range(_rank(condition)))
    if x1 is None or x2 is None:
        raise ValueError("where: pass both `x1` and `x2`, or neither.")
    x1, x2 = pair(x1, x2)
    return tf.where(condition, x1, x2)


# ---- comparisons and logic -------------------------------------------------------------

def _ordered(x1, x2):
    x1, x2 = pair(x1, x2)
    if x1.dtype is _BOOL:
        return tf.cast(x1, _INT32), tf.cast(x2, _INT32)
    return x1, x2


def equal(x1, x2):
    return tf.equal(*pair(x1, x2))


def not_equal(x1, x2):
    return tf.not_equal(*pair(x1, x2))


def less(x1, x2):
    return tf.less(*_ordered(x1, x2))


def less_equal(x1, x2):
    return tf.less_equal(*_ordered(x1, x2))


def greater(x1, x2):
    return tf.greater(*_ordered(x1, x2))


def greater_equal(x1, x2):
    return tf.greater_equal(*_ordered(x1, x2))


def _bool(x):
    x = _t(x)
    return x if x.dtype is _BOOL else tf.cast(x, _BOOL)


def logical_and(x1, x2):
    return tf.logical_and(_bool(x1), _bool(x2))


def logical_or(x1, x2):
    return tf.logical_or(_bool(x1), _bool(x2))


def logical_not(x):
    return tf.logical_not(_bool(x))


# ---- products --------------------------------------------------------------------------

def _kernel_dtype(x1, x2):
    """Operands in a dtype TF's product kernels support, and the dtype to return."""
    x1, x2 = pair(x1, x2)
    d = x1.dtype
    if d is _BOOL:
        return tf.cast(x1, _INT32), tf.cast(x2, _INT32), d
    wide = _WIDEN_INT.get(d)
    if wide is not None:
        return tf.cast(x1, wide), tf.cast(x2, wide), d
    return x1, x2, None


def _back(out, d):
    if d is None:
        return out
    if d is _BOOL:
        return tf.not_equal(out, 0)
    return tf.cast(out, d)


def _int8_product(fn, operands, terms):
    """``fn`` on int8 operands as int32, computed exactly in float32/float64 (see
    ``kfront.backend.int8_products``): TensorFlow's integer matmul is slow on CPU."""
    dt = tf.float32 if exact_float_dtype(terms) == "float32" else tf.float64
    return tf.cast(fn(*(tf.cast(x, dt) for x in operands)), tf.int32)


def matmul(x1, x2):
    """NumPy's matmul: batch dims broadcast; a 1-D operand is a vector. int8 x int8
    accumulates and returns int32, as Keras's matmul does."""
    x1, x2 = pair(x1, x2)
    if x1.dtype is tf.int8 and x2.dtype is tf.int8:
        terms = x1.shape[-1] if x1.shape.rank else 1
        return _int8_product(matmul, (x1, x2), terms)
    x1, x2, d = _kernel_dtype(x1, x2)
    r1, r2 = _rank(x1), _rank(x2)
    if r1 >= 2 and r2 >= 2:
        out = tf.matmul(x1, x2)
    elif r1 == 1 and r2 == 1:
        out = tf.reduce_sum(x1 * x2)
    elif r1 == 1:
        out = tf.squeeze(tf.matmul(x1[None, :], x2), -2)
    else:
        out = tf.squeeze(tf.matmul(x1, x2[:, None]), -1)
    return _back(out, d)


def dot(x1, x2):
    """NumPy's dot: sums over the last axis of ``x1`` and the second-to-last of ``x2``."""
    x1, x2, d = _kernel_dtype(x1, x2)
    r1, r2 = _rank(x1), _rank(x2)
    if r1 == 0 or r2 == 0:
        out = x1 * x2
    elif r1 <= 2 and r2 <= 2:
        return _back(matmul(x1, x2), d)
    elif r2 == 1:
        out = tf.tensordot(x1, x2, [[r1 - 1], [0]])
    else:
        out = tf.tensordot(x1, x2, [[r1 - 1], [r2 - 2]])
    return _back(out, d)


def tensordot(x1, x2, axes=2):
    x1, x2, d = _kernel_dtype(x1, x2)
    if isinstance(axes, (list, tuple)):
        axes = [list(a) if isinstance(a, (list, tuple)) else [a] for a in axes]
    return _back(tf.tensordot(x1, x2, axes), d)


def einsum(subscripts, *operands):
    operands = promote(*operands)
    d = operands[0].dtype
    wide = tf.int32 if d is _BOOL else _WIDEN_INT.get(d)
    if d is tf.int8:
        # Keras: int8 operands accumulate and return int32.
        terms = einsum_terms(subscripts, [tuple(o.shape) for o in operands])
        return _int8_product(lambda *xs: tf.einsum(subscripts, *xs), operands, terms)
    if wide is not None:
        operands = [tf.cast(o, wide) for o in operands]
        return _back(tf.einsum(subscripts, *operands), d)
    return tf.einsum(subscripts, *operands)


def outer(x1, x2):
    x1, x2 = pair(x1, x2)
    return multiply(tf.reshape(x1, [-1, 1]), tf.reshape(x2, [1, -1]))


# ---- shape manipulation ----------------------------------------------------------------

def transpose(x, axes=None):
    return tf.transpose(_t(x), perm=None if axes is None else list(axes))


def reshape(x, newshape):
    x = _t(x)
    if isinstance(newshape, int):
        newshape = [newshape]
    elif isinstance(newshape, (tuple, list)) and None in list(newshape):
        # ``ops.shape`` gives None for a size unknown while tracing (the batch of a graph):
        # keras.io code reshapes with it, ``reshape(x, (shape(x)[0], -1, d))``. One None and
        # no -1: the rest of the shape determines it. Otherwise each None keeps the size of
        # the same axis of ``x`` at run time.
        newshape = list(newshape)
        unknown = [i for i, d in enumerate(newshape) if d is None]
        if len(unknown) == 1 and -1 not in newshape:
            newshape[unknown[0]] = -1
        else:
            if unknown[-1] >= x.shape.rank:
                raise ValueError(f"reshape: a None size is taken from the same axis of the "
                                 f"input, but the new shape {tuple(newshape)} has None at "
                                 f"axis {unknown[-1]} and the input has {x.shape.rank} axes.")
            dynamic = tf.shape(x)
            newshape = [dynamic[i] if d is None else d for i, d in enumerate(newshape)]
    return tf.reshape(x, newshape)


def expand_dims(x, axis):
    x = _t(x)
    if not isinstance(axis, (tuple, list)):
        return tf.expand_dims(x, axis)
    out_rank = _rank(x) + len(axis)
    for a in sorted(_norm_axis(a, out_rank) for a in axis):
        x = tf.expand_dims(x, a)
    return x


def squeeze(x, axis=None):
    x = _t(x)
    if axis is None:
        return tf.squeeze(x)
    return tf.squeeze(x, axis=list(axis) if isinstance(axis, (tuple, list)) else [axis])


def concatenate(xs, axis=0):
    xs = promote(*xs)
    if axis is None:
        xs = [tf.reshape(x, [-1]) for x in xs]
        axis = 0
    return tf.concat(xs, axis=axis)


def stack(x, axis=0):
    return tf.stack(promote(*x), axis=axis)


def split(x, indices_or_sections, axis=0):
    """A list of pieces: ``int`` equal sections, or a list of split indices, as NumPy."""
    x = _t(x)
    if isinstance(indices_or_sections, int):
        return tf.split(x, indices_or_sections, axis=axis)
    n = _dim(x, axis)
    if not isinstance(n, int):
        bounds = [tf.clip_by_value(i, 0, n) for i in indices_or_sections]
        sizes = tf.stack(
            [b - a for a, b in zip([0] + bounds, bounds + [n])])
        return tf.split(x, sizes, axis=axis, num=len(bounds) + 1)
    bounds = [builtins.min(builtins.max(int(i) + n if int(i) < 0 else int(i), 0), n)
              for i in indices_or_sections]
    starts = [0] + bounds
    ends = bounds + [n]
    sizes = [builtins.max(e - s, 0) for s, e in zip(starts, ends)]
    if builtins.sum(sizes) == n:
        return tf.split(x, sizes, axis=axis)
    # Unsorted indices: NumPy slices each piece independently.
    ax = _norm_axis(axis, _rank(x))
    pieces = []
    for s, e in zip(starts, ends):
        begin = [0] * _rank(x)
        begin[ax] = s
        size = [-1] * _rank(x)
        size[ax] = builtins.max(e - s, 0)
        pieces.append(tf.slice(x, begin, size))
    return pieces


def tile(x, repeats):
    x = _t(x)
    if isinstance(repeats, int):
        repeats = [repeats]
    repeats = list(repeats)
    rank = _rank(x)
    if len(repeats) < rank:
        repeats = [1] * (rank - len(repeats)) + repeats
    elif len(repeats) > rank:
        x = tf.reshape(x, [1] * (len(repeats) - rank) + _shape_list(x))
    return tf.tile(x, repeats)


def _shape_list(x):
    """The shape as a list, with scalar tensors standing in for unknown dims."""
    static = x.shape.as_list()
    if builtins.all(d is not None for d in static):
        return static
    dynamic = tf.shape(x)
    return [d if d is not None else dynamic[i] for i, d in enumerate(static)]


def repeat(x, repeats, axis=None):
    return tf.repeat(_t(x), repeats, axis=axis)


def broadcast_to(x, shape):
    return tf.broadcast_to(_t(x), shape)


def flip(x, axis=None):
    x = _t(x)
    if axis is None:
        axis = list(range(_rank(x)))
    elif isinstance(axis, int):
        axis = [axis]
    return tf.reverse(x, list(axis))


def _pad_pairs(pad_width, rank):
    """NumPy's pad_width forms (n, (b, a), ((b, a),), one pair per axis) as rank pairs."""
    return np.broadcast_to(np.asarray(pad_width, dtype=np.int64), (rank, 2)).tolist()


def pad(x, pad_width, mode="constant", constant_values=None):
    """Pads with NumPy's ``pad_width`` forms; modes constant, reflect, symmetric, edge."""
    x = _t(x)
    pairs = _pad_pairs(pad_width, _rank(x))
    mode = mode.lower()
    if mode == "constant":
        value = 0 if constant_values is None else constant_values
        if x.dtype is _BOOL:
            value = bool(value)
        return tf.pad(x, pairs, mode="CONSTANT", constant_values=tf.cast(value, x.dtype))
    if constant_values is not None:
        raise ValueError(f"pad: `constant_values` is only valid with mode='constant', "
                         f"received mode={mode!r}.")
    if mode in ("reflect", "symmetric"):
        return tf.pad(x, pairs, mode=mode.upper())
    if mode == "edge":
        for ax, (before, after) in enumerate(pairs):
            if before == 0 and after == 0:
                continue
            n = _dim(x, ax)
            parts = []
            if before:
                parts.append(tf.repeat(tf.gather(x, [0], axis=ax), before, axis=ax))
            parts.append(x)
            if after:
                parts.append(tf.repeat(tf.gather(x, [n - 1], axis=ax), after, axis=ax))
            x = tf.concat(parts, axis=ax)
        return x
    raise ValueError(f"pad: unsupported mode {mode!r}; expected one of 'constant', "
                     "'reflect', 'symmetric', 'edge'.")


# ---- reductions ------------------------------------------------------------------------

def mean(x, axis=None, keepdims=False):
    """The mean; ints and bools give floatx, float16/bfloat16 accumulate in float32."""
    x = _t(x)
    d = x.dtype
    if d in _LOW_FLOATS:
        return tf.cast(tf.reduce_mean(tf.cast(x, tf.float32), _axis(axis), keepdims), d)
    if not (d.is_floating or d.is_complex):
        x = tf.cast(x, floatx())
    return tf.reduce_mean(x, _axis(axis), keepdims)


# Small ints and bools sum into wider ints, as Keras does.
_SUM_DTYPE = {tf.bool: tf.int32, tf.int8: tf.int32, tf.int16: tf.int32,
              tf.uint8: tf.uint32, tf.uint16: tf.uint32}


def sum(x, axis=None, keepdims=False):
    x = _t(x)
    wide = _SUM_DTYPE.get(x.dtype)
    if wide is not None:
        x = tf.cast(x, wide)
    return tf.reduce_sum(x, _axis(axis), keepdims)


def prod(x, axis=None, keepdims=False):
    x = _t(x)
    wide = _SUM_DTYPE.get(x.dtype)
    if wide is not None:
        x = tf.cast(x, wide)
    return tf.reduce_prod(x, _axis(axis), keepdims)


def max(x, axis=None, keepdims=False, initial=None):
    x = _t(x)
    if x.dtype is _BOOL:
        out = tf.reduce_any(x, _axis(axis), keepdims)
    else:
        out = tf.reduce_max(x, _axis(axis), keepdims)
    return out if initial is None else maximum(out, initial)


def min(x, axis=None, keepdims=False, initial=None):
    x = _t(x)
    if x.dtype is _BOOL:
        out = tf.reduce_all(x, _axis(axis), keepdims)
    else:
        out = tf.reduce_min(x, _axis(axis), keepdims)
    return out if initial is None else minimum(out, initial)


def var(x, axis=None, keepdims=False):
    """Population variance (ddof=0); ints give floatx."""
    x = as_float(x)
    d = x.dtype
    if d in _LOW_FLOATS:
        return tf.cast(tf.math.reduce_variance(tf.cast(x, tf.float32), _axis(axis), keepdims), d)
    return tf.math.reduce_variance(x, _axis(axis), keepdims)


def std(x, axis=None, keepdims=False):
    """Population standard deviation (ddof=0); ints give floatx."""
    return tf.sqrt(var(x, axis, keepdims))


def _arg_reduce(fn, x, axis, keepdims):
    x = _t(x)
    if x.dtype is _BOOL:
        x = tf.cast(x, _INT32)
    if axis is None:
        out = fn(tf.reshape(x, [-1]), axis=0, output_type=_INT32)
        if keepdims:
            out = tf.reshape(out, [1] * _rank(x))
        return out
    out = fn(x, axis=axis, output_type=_INT32)
    return tf.expand_dims(out, axis) if keepdims else out


def argmax(x, axis=None, keepdims=False):
    """The index of the first maximum, as int32."""
    return _arg_reduce(tf.argmax, x, axis, keepdims)


def argmin(x, axis=None, keepdims=False):
    """The index of the first minimum, as int32."""
    return _arg_reduce(tf.argmin, x, axis, keepdims)


def cumsum(x, axis=None, dtype=None):
    x = _t(x)
    if dtype is not None:
        x = tf.cast(x, to_dtype(dtype))
    else:
        wide = _SUM_DTYPE.get(x.dtype)
        if wide is not None:
            x = tf.cast(x, wide)
    if axis is None:
        x = tf.reshape(x, [-1])
        axis = 0
    return tf.cumsum(x, axis=axis)


def sort(x, axis=-1):
    x = _t(x)
    if x.dtype is _BOOL:
        return tf.cast(tf.sort(tf.cast(x, _INT32), axis=axis), _BOOL)
    return tf.sort(x, axis=axis)


def argsort(x, axis=-1):
    """Indices that sort ``x`` (stable, int32)."""
    x = _t(x)
    if x.dtype is _BOOL:
        x = tf.cast(x, _INT32)
    if axis is None:
        x = tf.reshape(x, [-1])
        axis = -1
    return tf.argsort(x, axis=axis, stable=True)


def any(x, axis=None, keepdims=False):
    return tf.reduce_any(_bool(x), _axis(axis), keepdims)


def all(x, axis=None, keepdims=False):
    return tf.reduce_all(_bool(x), _axis(axis), keepdims)


def count_nonzero(x, axis=None):
    """The number of nonzero entries, as int32."""
    return tf.math.count_nonzero(_t(x), axis=_axis(axis), dtype=_INT32)


# ---- predicates ------------------------------------------------------------------------

def isnan(x):
    x = _t(x)
    if not x.dtype.is_floating:
        return tf.zeros_like(x, dtype=_BOOL)
    return tf.math.is_nan(x)


def isinf(x):
    x = _t(x)
    if not x.dtype.is_floating:
        return tf.zeros_like(x, dtype=_BOOL)
    return tf.math.is_inf(x)


def isfinite(x):
    x = _t(x)
    if not x.dtype.is_floating:
        return tf.ones_like(x, dtype=_BOOL)
    return tf.math.is_finite(x)


# ---- indexing --------------------------------------------------------------------------

def _indices(indices, n):
    """Integer indices with negatives wrapped by ``n`` (the axis length)."""
    if not isinstance(indices, _Tensor):
        arr = np.asarray(indices)
        if arr.dtype.kind != "i":
            arr = arr.astype(np.int64)
        if arr.size and arr.min() < 0:
            if isinstance(n, int):
                arr = np.where(arr < 0, arr + n, arr)
            else:
                t = tf.constant(arr)
                return tf.where(t < 0, t + tf.cast(n, t.dtype), t)
        return tf.constant(arr)
    if not indices.dtype.is_integer or indices.dtype.is_unsigned:
        indices = tf.cast(indices, tf.int64)
    # One floormod wraps negatives at a third of the cost of compare+add+select; indices
    # beyond [-n, n) then wrap too instead of failing.
    return tf.math.floormod(indices, n if isinstance(n, int) else tf.cast(n, indices.dtype))


def take(x, indices, axis=None):
    """Elements of ``x`` at ``indices`` along ``axis`` (flattened when None)."""
    x = _t(x)
    if axis is None:
        x = tf.reshape(x, [-1])
        axis = 0
    return tf.gather(x, _indices(indices, _dim(x, axis)), axis=axis)


def take_along_axis(x, indices, axis=None):
    """NumPy's take_along_axis: ``indices`` and ``x`` broadcast on the other axes."""
    x = _t(x)
    if axis is None:
        x = tf.reshape(x, [-1])
        axis = 0
    rank = _rank(x)
    axis = _norm_axis(axis, rank)
    indices = _indices(indices, _dim(x, axis))
    if axis != rank - 1:
        perm = [i for i in range(rank) if i != axis] + [axis]
        x = tf.transpose(x, perm)
        indices = tf.transpose(indices, perm)
    if x.shape[:-1] != indices.shape[:-1] or not x.shape[:-1].is_fully_defined():
        xs = tf.shape(x)
        ids = tf.shape(indices)
        batch = tf.broadcast_dynamic_shape(xs[:-1], ids[:-1])
        x = tf.broadcast_to(x, tf.concat([batch, xs[-1:]], 0))
        indices = tf.broadcast_to(indices, tf.concat([batch, ids[-1:]], 0))
    out = tf.gather(x, indices, batch_dims=rank - 1, axis=rank - 1)
    if axis != rank - 1:
        inverse = list(np.argsort(perm))
        out = tf.transpose(out, inverse)
    return out


def size(x):
    """The number of elements (a Python int when the shape is known)."""
    x = _t(x)
    n = x.shape.num_elements()
    return n if n is not None else tf.size(x)


def ndim(x):
    return _rank(_t(x))
