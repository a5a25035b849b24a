"""Array creation on TensorFlow: zeros, ones, full, arange, eye, linspace (NumPy names and
dtype rules: floatx for floats unless a dtype is given)."""
import numpy as np
import tensorflow as tf

from kfront.backends.tensorflow.core import convert_to_tensor, floatx, to_dtype
from kfront.backends.tensorflow.numpy import _INT32, _norm_axis, _rank, _t

__all__ = ["zeros", "ones", "zeros_like", "ones_like", "full", "full_like", "arange", "eye",
           "linspace"]


def _dtype_or_floatx(dtype):
    return floatx() if dtype is None else to_dtype(dtype)


def zeros(shape, dtype=None):
    return tf.zeros(shape, dtype=_dtype_or_floatx(dtype))


def ones(shape, dtype=None):
    return tf.ones(shape, dtype=_dtype_or_floatx(dtype))


def zeros_like(x, dtype=None):
    return tf.zeros_like(_t(x), dtype=to_dtype(dtype))


def ones_like(x, dtype=None):
    return tf.ones_like(_t(x), dtype=to_dtype(dtype))


def full(shape, fill_value, dtype=None):
    value = convert_to_tensor(fill_value, dtype)
    if _rank(value) == 0:
        return tf.fill(shape, value)
    return tf.broadcast_to(value, shape)


def full_like(x, fill_value, dtype=None):
    x = _t(x)
    value = convert_to_tensor(fill_value, x.dtype if dtype is None else dtype)
    return tf.broadcast_to(value, tf.shape(x))


def _is_float(v):
    if type(v) is float:
        return True
    d = getattr(v, "dtype", None)
    return d is not None and to_dtype(d).is_floating


def arange(start, stop=None, step=1, dtype=None):
    """Evenly spaced values in ``[start, stop)``: int32 for ints, floatx if any is a float."""
    if stop is None:
        start, stop = 0, start
    if dtype is None:
        dtype = floatx() if (_is_float(start) or _is_float(stop) or _is_float(step)) else _INT32
    else:
        dtype = to_dtype(dtype)
    if dtype in (tf.int32, tf.int64, tf.float32, tf.float64):
        if dtype.is_integer and (_is_float(start) or _is_float(stop) or _is_float(step)):
            return tf.cast(tf.range(start, stop, step, dtype=tf.float64), dtype)
        return tf.range(start, stop, step, dtype=dtype)
    work = tf.float32 if dtype.is_floating else _INT32
    return tf.cast(tf.range(start, stop, step, dtype=work), dtype)


def eye(N, M=None, k=0, dtype=None):
    dtype = _dtype_or_floatx(dtype)
    M = N if M is None else M
    if k == 0:
        return tf.eye(N, M, dtype=dtype)
    rows = tf.range(N)[:, None]
    cols = tf.range(M)[None, :]
    return tf.cast(tf.equal(cols - rows, k), dtype)


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    """``num`` evenly spaced values from ``start`` to ``stop`` (computed in float64)."""
    dtype = _dtype_or_floatx(dtype)
    start = tf.cast(_t(start), tf.float64)
    stop = tf.cast(_t(stop), tf.float64)
    if start.shape != stop.shape:
        both = tf.broadcast_dynamic_shape(tf.shape(start), tf.shape(stop))
        start = tf.broadcast_to(start, both)
        stop = tf.broadcast_to(stop, both)
    rank = _rank(start)
    div = (num - 1) if endpoint else num
    steps = tf.reshape(tf.range(num, dtype=tf.float64), [-1] + [1] * rank)
    delta = stop - start
    if div > 0:
        step = delta / div
        out = start + steps * step
        if endpoint and num > 1:
            out = tf.concat([out[:-1], stop[None]], axis=0)
    else:
        step = tf.fill(tf.shape(delta), tf.constant(np.nan, tf.float64))
        out = start + steps * delta
    if axis != 0:
        axis = _norm_axis(axis, rank + 1)
        perm = list(range(1, rank + 1))
        perm.insert(axis, 0)
        out = tf.transpose(out, perm)
    if dtype.is_integer:
        out = tf.floor(out)
    out = tf.cast(out, dtype)
    if retstep:
        return out, tf.cast(step, dtype)
    return out
