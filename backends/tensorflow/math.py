"""Math ops on TensorFlow (keras.ops names): logsumexp, erf, top_k, in_top_k, norm."""
import tensorflow as tf

from kfront.backends.tensorflow.core import as_float, convert_to_tensor

__all__ = ["logsumexp", "erf", "erfc", "erfinv", "rsqrt", "top_k", "in_top_k", "norm"]


def _axes(axis):
    return list(axis) if isinstance(axis, tuple) else axis


def logsumexp(x, axis=None, keepdims=False):
    return tf.reduce_logsumexp(as_float(x), axis=_axes(axis), keepdims=keepdims)


def erf(x):
    return tf.math.erf(as_float(x))


def erfc(x):
    return tf.math.erfc(as_float(x))


def erfinv(x):
    return tf.math.erfinv(as_float(x))


def rsqrt(x):
    return tf.math.rsqrt(as_float(x))


def top_k(x, k, sorted=True):
    """The ``k`` largest values along the last axis and their int32 indices."""
    x = convert_to_tensor(x)
    if x.dtype is tf.bool:
        x = tf.cast(x, tf.int32)
    values, indices = tf.math.top_k(x, k, sorted=sorted)
    return values, indices


def in_top_k(targets, predictions, k):
    """Whether each row's target class is among its ``k`` highest predictions (ties count)."""
    targets = convert_to_tensor(targets)
    predictions = convert_to_tensor(predictions)
    if targets.dtype not in (tf.int32, tf.int64):
        targets = tf.cast(targets, tf.int32)
    if predictions.dtype is not tf.float32:
        predictions = tf.cast(predictions, tf.float32)
    return tf.math.in_top_k(targets, predictions, k)


def _vector_norm(x, ord, axis, keepdims):
    if ord is None or ord == 2:
        return tf.sqrt(tf.reduce_sum(tf.square(x), axis=axis, keepdims=keepdims))
    if isinstance(ord, str):
        raise ValueError(f"norm: ord={ord!r} is only valid for matrices (a 2-tuple axis).")
    a = tf.abs(x)
    if ord == float("inf"):
        return tf.reduce_max(a, axis=axis, keepdims=keepdims)
    if ord == float("-inf"):
        return tf.reduce_min(a, axis=axis, keepdims=keepdims)
    if ord == 0:
        return tf.reduce_sum(tf.cast(tf.not_equal(x, 0), x.dtype), axis=axis, keepdims=keepdims)
    if ord == 1:
        return tf.reduce_sum(a, axis=axis, keepdims=keepdims)
    p = tf.cast(ord, x.dtype)
    return tf.pow(tf.reduce_sum(tf.pow(a, p), axis=axis, keepdims=keepdims), 1.0 / p)


def _singular_values(x, row, col):
    """Singular values of the matrices spanning axes ``row`` and ``col`` (on the last axis)."""
    rank = x.shape.rank
    perm = [i for i in range(rank) if i not in (row, col)] + [row, col]
    return tf.linalg.svd(tf.transpose(x, perm), compute_uv=False)


def _matrix_norm(x, ord, row, col, keepdims):
    if ord is None or ord == "fro":
        return tf.sqrt(tf.reduce_sum(tf.square(x), axis=[row, col], keepdims=keepdims))
    if ord in (1, -1, float("inf"), float("-inf")):
        # ord 1 takes column sums (over rows); inf takes row sums (over columns).
        summed, reduced = (row, col) if ord in (1, -1) else (col, row)
        sums = tf.reduce_sum(tf.abs(x), axis=summed, keepdims=True)
        pick = tf.reduce_max if ord in (1, float("inf")) else tf.reduce_min
        out = pick(sums, axis=reduced, keepdims=True)
        return out if keepdims else tf.squeeze(out, [row, col])
    if ord in ("nuc", 2, -2):
        s = _singular_values(x, row, col)
        if ord == "nuc":
            out = tf.reduce_sum(s, axis=-1)
        elif ord == 2:
            out = tf.reduce_max(s, axis=-1)
        else:
            out = tf.reduce_min(s, axis=-1)
        if keepdims:
            for a in sorted((row, col)):
                out = tf.expand_dims(out, a)
        return out
    raise ValueError(f"norm: invalid ord {ord!r} for a matrix norm.")


def norm(x, ord=None, axis=None, keepdims=False):
    """``numpy.linalg.norm``: vector norms over one axis, matrix norms over two."""
    x = as_float(x)
    rank = x.shape.rank
    if axis is None:
        if ord is None:
            out = tf.sqrt(tf.reduce_sum(tf.square(x)))
            return tf.reshape(out, [1] * rank) if keepdims else out
        axis = tuple(range(rank))
    if isinstance(axis, int):
        axis = (axis,)
    axis = tuple(a + rank if a < 0 else a for a in axis)
    if len(axis) == 1:
        return _vector_norm(x, ord, axis[0], keepdims)
    if len(axis) == 2:
        return _matrix_norm(x, ord, axis[0], axis[1], keepdims)
    raise ValueError(f"norm: `axis` must name one or two axes, received {axis}.")
