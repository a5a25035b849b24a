"""Normalization kernels on TensorFlow (contract.NORMALIZATION_OPS)."""
import tensorflow as tf

from kfront.backends.tensorflow.core import as_float

__all__ = ["moments", "batch_normalization"]


def _axes(axes, ndim):
    axes = (axes,) if isinstance(axes, int) else tuple(axes)
    return [a % ndim for a in axes]


def moments(x, axes, keepdims=False, synchronized=False):
    """(mean, variance) over ``axes``; the variance is the population one (divides by N)."""
    x = as_float(x)
    dims = _axes(axes, x.shape.rank)
    # Half-precision inputs accumulate in float32, as Keras does.
    half = x.dtype in (tf.float16, tf.bfloat16)
    compute = tf.cast(x, tf.float32) if half else x
    mean, variance = tf.nn.moments(compute, axes=dims, keepdims=keepdims)
    return tf.cast(mean, x.dtype), tf.cast(variance, x.dtype)


def _along(v, axis, ndim, dtype):
    v = tf.cast(tf.convert_to_tensor(v), dtype)
    if v.shape.rank == 1 and axis != ndim - 1:
        shape = [1] * ndim
        shape[axis] = -1
        v = tf.reshape(v, shape)
    return v


def batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3):
    """``(x - mean) / sqrt(variance + epsilon) * scale + offset``, the 1-D statistics laid
    along ``axis``."""
    x = as_float(x)
    ndim = x.shape.rank
    axis = axis % ndim
    inv = tf.math.rsqrt(_along(variance, axis, ndim, x.dtype) + epsilon)
    if scale is not None:
        inv = inv * _along(scale, axis, ndim, x.dtype)
    res = -_along(mean, axis, ndim, x.dtype) * inv
    if offset is not None:
        res = res + _along(offset, axis, ndim, x.dtype)
    return x * inv + res
