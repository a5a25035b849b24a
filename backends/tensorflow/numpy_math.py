"""Elementwise math, comparisons, reductions, NaN-aware and bitwise ops (keras.ops.numpy) on
TensorFlow.

Operands are promoted with ``core.pair`` (Keras's rules, Python numbers weakly typed);
integer inputs to float functions give floatx. Everything is built from graph ops, so it runs
inside ``tf.function``; shapes unknown at trace time are read with ``tf.shape``.
"""
import math

import tensorflow as tf

from kfront.backend.contract import NUMPY_MATH_OPS
from kfront.backend import numpy_math_args as args
from kfront.backends.tensorflow.core import (as_float, convert_to_tensor, floatx, pair,
                                             result_type, to_dtype)
from kfront.backends.tensorflow.numpy import (_SUM_DTYPE, argmax, argmin, prod, sum,
                                              tensordot)

__all__ = list(NUMPY_MATH_OPS)  # the contract's family, in its order

_BOOL = tf.bool
_INT32 = tf.int32


def _t(x):
    return x if isinstance(x, tf.Tensor) else convert_to_tensor(x)


def _inexact(d):
    return d.is_floating or d.is_complex


def _fpair(x1, x2):
    """Two tensors of one floating dtype (integer pairs become floatx)."""
    x1, x2 = pair(x1, x2)
    if not _inexact(x1.dtype):
        x1, x2 = tf.cast(x1, floatx()), tf.cast(x2, floatx())
    return x1, x2


def _ints(op, x1, x2=None, allow_bool=True):
    if x2 is None:
        x1 = _t(x1)
        args.check_integer(op, "x", x1.dtype.name)
        return x1
    x1, x2 = pair(x1, x2)
    args.check_integer(op, "x1", x1.dtype.name, allow_bool)
    return x1, x2


# Dtypes some TF kernels lack, and the wider dtype they run in instead.
_WIDER = {tf.int8: tf.int32, tf.int16: tf.int32, tf.uint8: tf.int32, tf.uint16: tf.int32,
          tf.float16: tf.float32, tf.bfloat16: tf.float32}


def _widened(fn, *xs):
    """``fn(*xs)`` computed in a dtype TF has kernels for, cast back to the inputs' dtype."""
    d = xs[0].dtype
    wide = _WIDER.get(d)
    if wide is None:
        return fn(*xs)
    return tf.cast(fn(*(tf.cast(x, wide) for x in xs)), d)


def _axes(axis, rank):
    """``axis`` as a sorted list of non-negative ints (all axes for None)."""
    if axis is None:
        return list(range(rank))
    if isinstance(axis, int):
        axis = (axis,)
    return sorted(a % rank for a in axis)


def _is_nan(x):
    return tf.math.is_nan(x) if x.dtype.is_floating else tf.zeros_like(x, _BOOL)


def _where_nan(x, fill):
    return tf.where(tf.math.is_nan(x), tf.cast(fill, x.dtype), x) if x.dtype.is_floating else x


def _move_axis(x, source, dest):
    rank = x.shape.rank
    source, dest = source % rank, dest % rank
    perm = [d for d in range(rank) if d != source]
    perm.insert(dest, source)
    return tf.transpose(x, perm)


# ---- elementwise, floating results ------------------------------------------------------

def angle(x):
    x = as_float(x)
    if x.dtype.is_complex:
        return tf.math.angle(x)
    return tf.math.atan2(tf.zeros_like(x), x)


def arccos(x):
    return tf.acos(as_float(x))


def arccosh(x):
    return tf.math.acosh(as_float(x))


def arcsin(x):
    return tf.asin(as_float(x))


def arcsinh(x):
    return tf.math.asinh(as_float(x))


def arctanh(x):
    return tf.math.atanh(as_float(x))


def cbrt(x):
    x = as_float(x)
    return tf.sign(x) * tf.pow(tf.abs(x), tf.cast(1.0 / 3.0, x.dtype))


def deg2rad(x):
    x = as_float(x)
    return x * tf.cast(math.pi / 180.0, x.dtype)


def rad2deg(x):
    x = as_float(x)
    return x * tf.cast(180.0 / math.pi, x.dtype)


def exp2(x):
    x = as_float(x)
    return tf.pow(tf.cast(2.0, x.dtype), x)


def fabs(x):
    return tf.abs(as_float(x))


def i0(x):
    return _widened(tf.math.special.bessel_i0, as_float(x))


def log10(x):
    x = as_float(x)
    return tf.math.log(x) / tf.cast(math.log(10.0), x.dtype)


def log2(x):
    x = as_float(x)
    return tf.math.log(x) / tf.cast(math.log(2.0), x.dtype)


def reciprocal(x):
    return tf.math.reciprocal(as_float(x))


def sinc(x):
    x = as_float(x)
    zero = tf.equal(x, 0)
    px = tf.cast(math.pi, x.dtype) * tf.where(zero, tf.ones_like(x), x)
    return tf.where(zero, tf.ones_like(x), tf.sin(px) / px)


def arctan2(x1, x2):
    return tf.math.atan2(*_fpair(x1, x2))


def hypot(x1, x2):
    x1, x2 = _fpair(x1, x2)
    big = tf.maximum(tf.abs(x1), tf.abs(x2))
    small = tf.minimum(tf.abs(x1), tf.abs(x2))
    # Scaled by the larger magnitude so the squares neither overflow nor underflow.
    ratio = tf.math.divide_no_nan(small, big)
    out = big * tf.sqrt(1 + ratio * ratio)
    # An infinite side wins even over a NaN, as in NumPy.
    return tf.where(tf.math.is_inf(x1) | tf.math.is_inf(x2), tf.cast(math.inf, x1.dtype), out)


def _logaddexp(x1, x2, log1p_exp):
    x1, x2 = _fpair(x1, x2)
    delta = x1 - x2
    out = tf.maximum(x1, x2) + log1p_exp(-tf.abs(delta))
    # Equal infinities give a NaN delta; their sum is the answer.
    return tf.where(tf.math.is_nan(delta), x1 + x2, out)


def logaddexp(x1, x2):
    return _logaddexp(x1, x2, lambda d: tf.math.log1p(tf.exp(d)))


def logaddexp2(x1, x2):
    return _logaddexp(x1, x2, lambda d: tf.math.log1p(tf.pow(tf.cast(2.0, d.dtype), d))
                      / tf.cast(math.log(2.0), d.dtype))


def nextafter(x1, x2):
    x1, x2 = _fpair(x1, x2)
    d = x1.dtype
    if d in (tf.float32, tf.float64):
        return tf.math.nextafter(x1, x2)
    # TF's kernel takes float32/float64 only; 16-bit floats step on their bit patterns, where
    # +1 moves away from zero for either sign.
    x1, x2 = tf.broadcast_to(x1, tf.broadcast_dynamic_shape(tf.shape(x1), tf.shape(x2))), x2
    bits = tf.bitcast(x1, tf.int16)
    away = tf.not_equal(x2 > x1, x1 < 0)
    stepped = tf.bitcast(tf.where(away, bits + 1, bits - 1), d)
    tiny = tf.bitcast(tf.where(x2 > 0, tf.constant(1, tf.int16), tf.constant(-32767, tf.int16)), d)
    out = tf.where(tf.equal(x1, 0), tiny, stepped)
    out = tf.where(tf.equal(x1, x2), x2 + tf.zeros_like(x1), out)
    return tf.where(tf.math.is_nan(x1) | tf.math.is_nan(x2), x1 + x2, out)


def heaviside(x1, x2):
    x1, x2 = _fpair(x1, x2)
    return tf.where(x1 < 0, tf.zeros_like(x1), tf.where(x1 > 0, tf.ones_like(x1), x2))


def divide_no_nan(x1, x2):
    return tf.math.divide_no_nan(*_fpair(x1, x2))


def ldexp(x1, x2):
    if isinstance(x2, float):
        args.check_integer("ldexp", "x2", "float")
    x2 = _t(x2)
    args.check_integer("ldexp", "x2", x2.dtype.name)
    x1 = as_float(x1)
    return x1 * tf.pow(tf.cast(2.0, x1.dtype), tf.cast(x2, x1.dtype))


# ---- elementwise, dtype kept -------------------------------------------------------------

def conjugate(x):
    x = _t(x)
    return tf.math.conj(x) if x.dtype.is_complex else x


def real(x):
    x = _t(x)
    return tf.math.real(x) if x.dtype.is_complex else x


def imag(x):
    x = _t(x)
    return tf.math.imag(x) if x.dtype.is_complex else tf.zeros_like(x)


def trunc(x):
    x = _t(x)
    if not x.dtype.is_floating:
        return x
    return tf.where(x < 0, tf.math.ceil(x), tf.floor(x))


def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    x = _t(x)
    d = x.dtype
    if not d.is_floating:
        return x
    posinf = d.max if posinf is None else posinf
    neginf = d.min if neginf is None else neginf
    x = tf.where(tf.math.is_nan(x), tf.cast(nan, d), x)
    x = tf.where(tf.equal(x, math.inf), tf.cast(posinf, d), x)
    return tf.where(tf.equal(x, -math.inf), tf.cast(neginf, d), x)


def _fextreme(pick, logical, x1, x2):
    x1, x2 = pair(x1, x2)
    if x1.dtype is _BOOL:
        return logical(x1, x2)
    out = pick(x1, x2)
    if x1.dtype.is_floating:
        out = tf.where(tf.math.is_nan(x1), x2, tf.where(tf.math.is_nan(x2), x1, out))
    return out


def fmax(x1, x2):
    return _fextreme(tf.maximum, tf.logical_or, x1, x2)


def fmin(x1, x2):
    return _fextreme(tf.minimum, tf.logical_and, x1, x2)


def fmod(x1, x2):
    x1, x2 = pair(x1, x2)
    if x1.dtype is _BOOL:
        x1, x2 = tf.cast(x1, _INT32), tf.cast(x2, _INT32)
    return _widened(tf.truncatemod, x1, x2)


def _gcd(a, b):
    shape = tf.broadcast_dynamic_shape(tf.shape(a), tf.shape(b))
    a, b = tf.broadcast_to(tf.abs(a), shape), tf.broadcast_to(tf.abs(b), shape)

    def step(a, b):
        nonzero = tf.not_equal(b, 0)
        rest = tf.math.floormod(a, tf.where(nonzero, b, tf.ones_like(b)))
        return tf.where(nonzero, b, a), tf.where(nonzero, rest, b)

    a, _ = tf.while_loop(lambda a, b: tf.reduce_any(tf.not_equal(b, 0)), step, (a, b))
    return a


def gcd(x1, x2):
    return _gcd(*_ints("gcd", x1, x2, allow_bool=False))


def lcm(x1, x2):
    x1, x2 = _ints("lcm", x1, x2, allow_bool=False)
    g = _gcd(x1, x2)
    zero = tf.equal(g, 0)
    return tf.where(zero, tf.zeros_like(g),
                    tf.abs(tf.math.floordiv(x1, tf.where(zero, tf.ones_like(g), g)) * x2))


# ---- predicates --------------------------------------------------------------------------

def isclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    x1, x2 = pair(x1, x2)
    if not x1.dtype.is_floating:
        x1, x2 = tf.cast(x1, floatx()), tf.cast(x2, floatx())
    d = x1.dtype
    finite = tf.math.is_finite(x1) & tf.math.is_finite(x2)
    near = tf.abs(x1 - x2) <= tf.cast(atol, d) + tf.cast(rtol, d) * tf.abs(x2)
    out = tf.equal(x1, x2) | (finite & near)
    if equal_nan:
        out = out | (tf.math.is_nan(x1) & tf.math.is_nan(x2))
    return out


def allclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    return tf.reduce_all(isclose(x1, x2, rtol, atol, equal_nan))


def isin(x1, x2, assume_unique=False, invert=False):
    x1, x2 = pair(x1, x2)
    found = tf.reduce_any(tf.equal(tf.expand_dims(x1, -1), tf.reshape(x2, [-1])), axis=-1)
    return tf.logical_not(found) if invert else found


def isneginf(x):
    x = _t(x)
    return tf.equal(x, -math.inf) if x.dtype.is_floating else tf.zeros_like(x, _BOOL)


def isposinf(x):
    x = _t(x)
    return tf.equal(x, math.inf) if x.dtype.is_floating else tf.zeros_like(x, _BOOL)


def isreal(x):
    x = _t(x)
    return tf.equal(tf.math.imag(x), 0) if x.dtype.is_complex else tf.ones_like(x, _BOOL)


_SAME_WIDTH_INT = {tf.float16: tf.int16, tf.bfloat16: tf.int16, tf.float32: tf.int32,
                   tf.float64: tf.int64}


def signbit(x):
    x = _t(x)
    d = x.dtype
    if d is _BOOL or d.is_unsigned:
        return tf.zeros_like(x, _BOOL)
    if d.is_floating:
        # The sign bit itself, so -0.0 and -nan count as negative.
        return tf.bitcast(x, _SAME_WIDTH_INT[d]) < 0
    return x < 0


def logical_xor(x1, x2):
    def as_bool(v):
        v = _t(v)
        return v if v.dtype is _BOOL else tf.not_equal(v, 0)
    return tf.math.logical_xor(as_bool(x1), as_bool(x2))


# ---- bitwise -----------------------------------------------------------------------------

def _bitwise(op, fn, logical, x, y):
    x, y = _ints(op, x, y)
    if x.dtype is _BOOL:
        return logical(x, y)
    return fn(x, y)


def bitwise_and(x, y):
    return _bitwise("bitwise_and", tf.bitwise.bitwise_and, tf.logical_and, x, y)


def bitwise_or(x, y):
    return _bitwise("bitwise_or", tf.bitwise.bitwise_or, tf.logical_or, x, y)


def bitwise_xor(x, y):
    return _bitwise("bitwise_xor", tf.bitwise.bitwise_xor, tf.math.logical_xor, x, y)


def bitwise_invert(x):
    x = _ints("bitwise_invert", x)
    return tf.logical_not(x) if x.dtype is _BOOL else tf.bitwise.invert(x)


def _shift(op, fn, x, y):
    x, y = _ints(op, x, y)
    if x.dtype is _BOOL:
        # Shifted bools count as int32, as in JAX.
        return fn(tf.cast(x, _INT32), tf.cast(y, _INT32))
    return fn(x, y)


def bitwise_left_shift(x, y):
    return _shift("bitwise_left_shift", tf.bitwise.left_shift, x, y)


def bitwise_right_shift(x, y):
    return _shift("bitwise_right_shift", tf.bitwise.right_shift, x, y)


# ---- products ----------------------------------------------------------------------------

def inner(x1, x2):
    x1, x2 = pair(x1, x2)
    r1, r2 = x1.shape.rank, x2.shape.rank
    if r1 == 0 or r2 == 0:
        return x1 * x2
    return tensordot(x1, x2, [[r1 - 1], [r2 - 1]])


def vdot(x1, x2):
    x1, x2 = pair(x1, x2)
    if x1.dtype is _BOOL:
        return tf.reduce_any(tf.reshape(x1, [-1]) & tf.reshape(x2, [-1]))
    return tf.reduce_sum(conjugate(tf.reshape(x1, [-1])) * tf.reshape(x2, [-1]))


def kron(x1, x2):
    x1, x2 = pair(x1, x2)
    rank = max(x1.shape.rank, x2.shape.rank)
    s1 = tf.concat([tf.ones([rank - x1.shape.rank], _INT32), tf.shape(x1)], 0)
    s2 = tf.concat([tf.ones([rank - x2.shape.rank], _INT32), tf.shape(x2)], 0)
    ones = tf.ones([rank], _INT32)
    # (a0, 1, a1, 1, ...) times (1, b0, 1, b1, ...), then each pair of axes merged.
    a = tf.reshape(x1, tf.reshape(tf.stack([s1, ones], 1), [-1]))
    b = tf.reshape(x2, tf.reshape(tf.stack([ones, s2], 1), [-1]))
    return tf.reshape(a * b, s1 * s2)


def cross(x1, x2, axisa=-1, axisb=-1, axisc=-1, axis=None):
    x1, x2 = pair(x1, x2)
    if axis is not None:
        axisa = axisb = axisc = axis
    x1, x2 = _move_axis(x1, axisa, -1), _move_axis(x2, axisb, -1)
    n1, n2 = x1.shape[-1], x2.shape[-1]
    args.check_vector_size("cross", n1, (2, 3))
    args.check_vector_size("cross", n2, (2, 3))
    if n1 == 2 and n2 == 2:
        # Two 2-vectors: NumPy returns the z component alone.
        return x1[..., 0] * x2[..., 1] - x1[..., 1] * x2[..., 0]
    x1 = tf.pad(x1, [[0, 0]] * (x1.shape.rank - 1) + [[0, 3 - n1]])
    x2 = tf.pad(x2, [[0, 0]] * (x2.shape.rank - 1) + [[0, 3 - n2]])
    a, b = [x1[..., i] for i in range(3)], [x2[..., i] for i in range(3)]
    out = tf.stack([a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2],
                    a[0] * b[1] - a[1] * b[0]], axis=-1)
    return _move_axis(out, -1, axisc)


def correlate(x1, x2, mode="valid"):
    x1, x2 = _fpair(x1, x2)
    m, n = x1.shape[0], x2.shape[0]
    start, length = args.correlate_window(mode, m, n)
    padded = tf.pad(x1, [[n - 1, n - 1]])
    full = tf.nn.conv1d(tf.reshape(padded, [1, -1, 1]), tf.reshape(x2, [n, 1, 1]), 1, "VALID")
    return tf.reshape(full, [-1])[start:start + length]


# ---- reductions and scans ----------------------------------------------------------------

def _scan(fn, x, axis, dtype):
    if dtype is not None:
        x = tf.cast(x, to_dtype(dtype))
    elif x.dtype is _BOOL:
        x = tf.cast(x, _INT32)
    if axis is None:
        x, axis = tf.reshape(x, [-1]), 0
    return fn(x, axis=axis)


def cumprod(x, axis=None, dtype=None):
    return _scan(tf.math.cumprod, _t(x), axis, dtype)


def nancumprod(x, axis=None, dtype=None):
    return _scan(tf.math.cumprod, _where_nan(_t(x), 1), axis, dtype)


def nancumsum(x, axis=None, dtype=None):
    return _scan(tf.cumsum, _where_nan(_t(x), 0), axis, dtype)


def diff(a, n=1, axis=-1):
    a = _t(a)
    axis = axis % a.shape.rank
    head = [slice(None)] * axis
    for _ in range(n):
        hi, lo = a[tuple(head + [slice(1, None)])], a[tuple(head + [slice(None, -1)])]
        a = tf.not_equal(hi, lo) if a.dtype is _BOOL else hi - lo
    return a


def ptp(x, axis=None, keepdims=False):
    x = _t(x)
    axes = _axes(axis, x.shape.rank)
    return tf.reduce_max(x, axes, keepdims) - tf.reduce_min(x, axes, keepdims)


def trace(x, offset=0, axis1=0, axis2=1):
    x = _t(x)
    rank = x.shape.rank
    axis1, axis2 = axis1 % rank, axis2 % rank
    wide = _SUM_DTYPE.get(x.dtype)
    if wide is not None:
        x = tf.cast(x, wide)
    x = tf.transpose(x, [d for d in range(rank) if d not in (axis1, axis2)] + [axis1, axis2])
    return tf.reduce_sum(tf.linalg.diag_part(x, k=offset), -1)


def average(x, axis=None, weights=None):
    x = _t(x)
    if weights is None:
        return tf.reduce_mean(as_float(x), None if axis is None else _axes(axis, x.shape.rank))
    x, weights = _fpair(x, weights)
    rank = x.shape.rank
    if axis is not None and weights.shape.rank == 1 and rank > 1:
        # One weight per position along ``axis``.
        shape = [1] * rank
        shape[_axes(axis, rank)[0]] = -1
        weights = tf.reshape(weights, shape)
    weights = tf.broadcast_to(weights, tf.shape(x))
    axes = _axes(axis, rank)
    return tf.reduce_sum(x * weights, axes) / tf.reduce_sum(weights, axes)


def nansum(x, axis=None, keepdims=False):
    return sum(_where_nan(_t(x), 0), axis, keepdims)


def nanprod(x, axis=None, keepdims=False):
    return prod(_where_nan(_t(x), 1), axis, keepdims)


def _nan_extreme(fn, fill, x, axis, keepdims):
    x = _t(x)
    axes = _axes(axis, x.shape.rank)
    if x.dtype is _BOOL:
        fn = tf.reduce_any if fn is tf.reduce_max else tf.reduce_all
        return fn(x, axes, keepdims)
    if not x.dtype.is_floating:
        return fn(x, axes, keepdims)
    nans = tf.math.is_nan(x)
    out = fn(tf.where(nans, tf.cast(fill, x.dtype), x), axes, keepdims)
    # A slice of NaNs alone gives NaN, as NumPy's does.
    return tf.where(tf.reduce_all(nans, axes, keepdims), tf.cast(math.nan, x.dtype), out)


def nanmax(x, axis=None, keepdims=False):
    return _nan_extreme(tf.reduce_max, -math.inf, x, axis, keepdims)


def nanmin(x, axis=None, keepdims=False):
    return _nan_extreme(tf.reduce_min, math.inf, x, axis, keepdims)


def _nan_count_mean(x, axes):
    keep = tf.logical_not(tf.math.is_nan(x))
    count = tf.reduce_sum(tf.cast(keep, x.dtype), axes, keepdims=True)
    mean = tf.reduce_sum(tf.where(keep, x, tf.zeros_like(x)), axes, keepdims=True) / count
    return keep, count, mean


def nanmean(x, axis=None, keepdims=False):
    x = as_float(x)
    axes = _axes(axis, x.shape.rank)
    mean = _nan_count_mean(x, axes)[2]
    return mean if keepdims else tf.squeeze(mean, axes)


def nanvar(x, axis=None, keepdims=False):
    x = as_float(x)
    axes = _axes(axis, x.shape.rank)
    keep, count, mean = _nan_count_mean(x, axes)
    sq = tf.where(keep, tf.square(x - mean), tf.zeros_like(x))
    var = tf.reduce_sum(sq, axes, keepdims=True) / count
    return var if keepdims else tf.squeeze(var, axes)


def nanstd(x, axis=None, keepdims=False):
    return tf.sqrt(nanvar(x, axis, keepdims))


def nanargmax(x, axis=None, keepdims=False):
    return argmax(_where_nan(_t(x), -math.inf), axis, keepdims)


def nanargmin(x, axis=None, keepdims=False):
    return argmin(_where_nan(_t(x), math.inf), axis, keepdims)


def _quantile(op, x, q, axis, method, keepdims, skip_nan):
    args.check_quantile_method(op, method)
    x = as_float(x)
    d = x.dtype
    rank = x.shape.rank
    axes = _axes(axis, rank)
    kept = [a for a in range(rank) if a not in axes]
    shape = tf.shape(x)
    kept_shape = tf.gather(shape, tf.constant(kept, _INT32))
    keep_shape = tf.tensor_scatter_nd_update(shape, [[a] for a in axes], tf.ones([len(axes)],
                                                                                   _INT32))
    # Rows of values: the kept axes flattened, the reduced ones last.
    width = tf.reduce_prod(tf.gather(shape, tf.constant(axes, _INT32)))
    rows = tf.reshape(tf.transpose(x, kept + axes), [-1, width])
    if skip_nan:
        nans = tf.math.is_nan(rows)
        count = tf.reduce_sum(tf.cast(tf.logical_not(nans), _INT32), -1, keepdims=True)
        rows = tf.where(nans, tf.cast(math.inf, d), rows)  # sorts the NaNs last
    else:
        count = tf.fill([tf.shape(rows)[0], 1], tf.shape(rows)[1])
    rows = tf.sort(rows, axis=-1)
    q = tf.cast(_t(q), d)
    scalar_q = q.shape.rank == 0
    pos = tf.reshape(q, [1, -1]) * tf.cast(tf.maximum(count - 1, 0), d)  # (rows, len(q))
    lo, hi = tf.floor(pos), tf.math.ceil(pos)
    if method == "lower":
        lo = hi = lo
    elif method == "higher":
        lo = hi = hi
    elif method == "nearest":
        lo = hi = tf.round(pos)  # half to even, as NumPy
    v_lo = tf.gather(rows, tf.cast(lo, _INT32), batch_dims=1)
    v_hi = tf.gather(rows, tf.cast(hi, _INT32), batch_dims=1)
    if method == "midpoint":
        out = (v_lo + v_hi) / 2
    else:
        out = v_lo + (v_hi - v_lo) * (pos - lo)
    if skip_nan:
        out = tf.where(tf.equal(count, 0), tf.cast(math.nan, d), out)
    out = tf.transpose(out)  # (len(q), rows)
    tail = keep_shape if keepdims else kept_shape
    out = tf.reshape(out, tf.concat([tf.shape(out)[:1], tail], 0))
    return out[0] if scalar_q else out


def quantile(x, q, axis=None, method="linear", keepdims=False):
    return _quantile("quantile", x, q, axis, method, keepdims, False)


def nanquantile(x, q, axis=None, method="linear", keepdims=False):
    return _quantile("nanquantile", x, q, axis, method, keepdims, True)


def median(x, axis=None, keepdims=False):
    return quantile(x, 0.5, axis=axis, keepdims=keepdims)


def nanmedian(x, axis=None, keepdims=False):
    return nanquantile(x, 0.5, axis=axis, keepdims=keepdims)


def trapezoid(y, x=None, dx=1.0, axis=-1):
    y = as_float(y)
    rank = y.shape.rank
    axis = axis % rank
    head = [slice(None)] * axis
    hi, lo = y[tuple(head + [slice(1, None)])], y[tuple(head + [slice(None, -1)])]
    if x is None:
        d = tf.cast(dx, y.dtype)
    else:
        x = tf.cast(_t(x), y.dtype)
        d = x[1:] - x[:-1] if x.shape.rank == 1 else diff(x, axis=axis)
        if x.shape.rank == 1 and rank > 1:
            shape = [1] * rank
            shape[axis] = -1
            d = tf.reshape(d, shape)
    return tf.reduce_sum(d * (hi + lo) / 2, axis)


def corrcoef(x):
    x = as_float(x)
    vector = x.shape.rank == 1
    if vector:
        x = x[None]
    x = x - tf.reduce_mean(x, 1, keepdims=True)
    cov = tf.matmul(x, x, adjoint_b=True)
    d = tf.sqrt(tf.linalg.diag_part(cov))
    out = tf.clip_by_value(cov / d[:, None] / d[None, :], -1, 1)
    return out[0, 0] if vector else out


# ---- counting ----------------------------------------------------------------------------

def bincount(x, weights=None, minlength=0, sparse=False):
    x = _t(x)
    args.check_bincount(sparse, x.shape.rank, minlength)
    x = tf.cast(x, _INT32)
    if weights is None:
        return tf.math.bincount(x, minlength=minlength, axis=-1)
    weights = _t(weights)
    weights = tf.cast(weights, result_type(x.dtype, weights.dtype))
    return tf.math.bincount(x, weights=weights, minlength=minlength, axis=-1,
                            dtype=weights.dtype)


def digitize(x, bins):
    x, bins = pair(x, bins)
    flat = tf.reshape(x, [-1])
    out = tf.searchsorted(bins, flat, side="right", out_type=_INT32)
    return tf.reshape(out, tf.shape(x))


def histogram(x, bins=10, range=None):
    args.check_histogram(bins, range)
    x = as_float(x)
    if x.shape.rank != 1:
        raise ValueError(f"histogram: `x` must be 1D. Received: x of shape {x.shape}")
    d = x.dtype
    if range is None:
        lo, hi = tf.reduce_min(x), tf.reduce_max(x)
    else:
        lo, hi = tf.cast(range[0], d), tf.cast(range[1], d)
    same = tf.equal(lo, hi)
    lo, hi = tf.where(same, lo - 0.5, lo), tf.where(same, hi + 0.5, hi)
    edges = tf.cast(tf.linspace(tf.cast(lo, tf.float64), tf.cast(hi, tf.float64), bins + 1), d)
    # Bins are half-open [e_i, e_i+1) except the last, which also takes its right edge.
    index = tf.searchsorted(edges, x, side="right", out_type=_INT32) - 1
    index = tf.where(tf.equal(x, edges[-1]), bins - 1, index)
    inside = (x >= edges[0]) & (x <= edges[-1])
    counts = tf.math.bincount(tf.boolean_mask(index, inside), minlength=bins, maxlength=bins)
    return counts, edges
