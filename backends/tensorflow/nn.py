"""Neural-network ops on TensorFlow, with Keras 3's names, arguments and semantics."""
import tensorflow as tf

from kfront import config
from kfront.backends.tensorflow.core import as_float, convert_to_tensor, floatx, to_dtype

__all__ = [
    "relu", "relu6", "sigmoid", "softplus", "softsign", "silu", "swish", "gelu", "elu",
    "selu", "leaky_relu", "hard_sigmoid", "hard_silu", "log_sigmoid", "exponential",
    "softmax", "log_softmax", "one_hot",
    "binary_crossentropy", "categorical_crossentropy", "sparse_categorical_crossentropy",
]


def relu(x):
    return tf.nn.relu(as_float(x))


def relu6(x):
    return tf.nn.relu6(as_float(x))


def sigmoid(x):
    return tf.sigmoid(as_float(x))


def softplus(x):
    return tf.math.softplus(as_float(x))


def softsign(x):
    return tf.nn.softsign(as_float(x))


def silu(x):
    return tf.nn.silu(as_float(x))


swish = silu


def gelu(x, approximate=True):
    """GELU: the tanh approximation when ``approximate``, else the exact erf form."""
    return tf.nn.gelu(as_float(x), approximate=approximate)


def elu(x, alpha=1.0):
    x = as_float(x)
    out = tf.nn.elu(x)
    if alpha == 1.0:
        return out
    return tf.where(x > 0, out, out * tf.cast(alpha, x.dtype))


def selu(x):
    return tf.nn.selu(as_float(x))


def leaky_relu(x, negative_slope=0.2):
    return tf.nn.leaky_relu(as_float(x), alpha=negative_slope)


def hard_sigmoid(x):
    """``relu6(x + 3) / 6``."""
    x = as_float(x)
    return tf.nn.relu6(x + 3.0) * (1.0 / 6.0)


def hard_silu(x):
    """``x * hard_sigmoid(x)``."""
    x = as_float(x)
    return x * (tf.nn.relu6(x + 3.0) * (1.0 / 6.0))


def log_sigmoid(x):
    return tf.math.log_sigmoid(as_float(x))


def exponential(x):
    return tf.exp(as_float(x))


def _axes(axis):
    return list(axis) if isinstance(axis, (tuple, list)) else axis


def softmax(x, axis=-1):
    x = as_float(x)
    if isinstance(axis, int):
        return tf.nn.softmax(x, axis=axis)
    axis = _axes(axis)
    shifted = x - tf.stop_gradient(tf.reduce_max(x, axis=axis, keepdims=True))
    e = tf.exp(shifted)
    return e / tf.reduce_sum(e, axis=axis, keepdims=True)


def log_softmax(x, axis=-1):
    x = as_float(x)
    if isinstance(axis, int):
        return tf.nn.log_softmax(x, axis=axis)
    axis = _axes(axis)
    return x - tf.reduce_logsumexp(x, axis=axis, keepdims=True)


def one_hot(x, num_classes, axis=-1, dtype=None, sparse=False):
    """One-hot rows (floatx by default); out-of-range indices give all-zero rows."""
    if sparse:
        raise ValueError("one_hot: sparse=True is not supported by the tensorflow adapter.")
    x = convert_to_tensor(x)
    if x.dtype not in (tf.int32, tf.int64, tf.uint8):
        x = tf.cast(x, tf.int32)
    return tf.one_hot(x, num_classes, axis=axis, dtype=floatx() if dtype is None
                      else to_dtype(dtype))


def _target_like(target, output):
    target = convert_to_tensor(target)
    return target if target.dtype is output.dtype else tf.cast(target, output.dtype)


def _clip_probs(output):
    eps = config.epsilon()
    return tf.clip_by_value(output, eps, 1.0 - eps)


def binary_crossentropy(target, output, from_logits=False):
    """Elementwise binary crossentropy (no reduction)."""
    output = as_float(output)
    target = _target_like(target, output)
    if from_logits:
        return tf.nn.sigmoid_cross_entropy_with_logits(labels=target, logits=output)
    output = _clip_probs(output)
    return -(target * tf.math.log(output) + (1.0 - target) * tf.math.log(1.0 - output))


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """Crossentropy between one-hot/probability targets and outputs, reduced over ``axis``."""
    output = as_float(output)
    target = _target_like(target, output)
    if from_logits:
        return tf.nn.softmax_cross_entropy_with_logits(labels=target, logits=output, axis=axis)
    output = output / tf.reduce_sum(output, axis=axis, keepdims=True)
    output = _clip_probs(output)
    return -tf.reduce_sum(target * tf.math.log(output), axis=axis)


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """Crossentropy with integer class targets; a trailing target dim of 1 is squeezed."""
    output = as_float(output)
    target = convert_to_tensor(target)
    rank = output.shape.rank
    if target.shape.rank == rank and target.shape[-1] == 1:
        target = tf.squeeze(target, -1)
    if target.dtype not in (tf.int32, tf.int64):
        target = tf.cast(target, tf.int32)
    axis = axis + rank if axis < 0 else axis
    if axis != rank - 1:
        perm = [i for i in range(rank) if i != axis] + [axis]
        output = tf.transpose(output, perm)
    if from_logits:
        return tf.nn.sparse_softmax_cross_entropy_with_logits(labels=target, logits=output)
    output = output / tf.reduce_sum(output, axis=-1, keepdims=True)
    log_probs = tf.math.log(_clip_probs(output))
    picked = tf.gather(log_probs, target[..., None], batch_dims=rank - 1, axis=rank - 1)
    return -tf.squeeze(picked, -1)
