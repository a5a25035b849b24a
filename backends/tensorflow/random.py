"""Seeded random ops on TensorFlow, built on the stateless ``tf.random.stateless_*`` kernels.

A seed is a length-2 integer tensor/array or a Python int; the same seed gives the same
numbers, also when the seed is a traced value inside ``tf.function``. ``seed=None`` draws
a fresh seed from TF's stateful generator, so it also varies between calls of a traced
function.
"""
import numpy as np
import tensorflow as tf

from kfront.backends.tensorflow.core import convert_to_tensor, floatx, to_dtype

__all__ = ["random_uniform", "random_normal", "random_truncated_normal", "random_randint",
           "random_dropout"]

_INT_MAX = 2**31 - 1


def _seed(seed):
    if seed is None:
        return tf.random.uniform([2], minval=0, maxval=_INT_MAX, dtype=tf.int32)
    if isinstance(seed, tf.Tensor):
        if seed.dtype is tf.int32 or seed.dtype is tf.int64:
            return seed
        return tf.cast(seed, tf.int64)
    if isinstance(seed, (int, np.integer)) and not isinstance(seed, bool):
        return tf.constant([int(seed) % _INT_MAX, 0], dtype=tf.int32)
    seed = convert_to_tensor(seed)
    return seed if seed.dtype in (tf.int32, tf.int64) else tf.cast(seed, tf.int64)


def _float_dtype(dtype):
    return floatx() if dtype is None else to_dtype(dtype)


def random_uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    dtype = _float_dtype(dtype)
    return tf.random.stateless_uniform(shape, _seed(seed), minval=minval, maxval=maxval,
                                       dtype=dtype)


def random_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    dtype = _float_dtype(dtype)
    return tf.random.stateless_normal(shape, _seed(seed), mean=mean, stddev=stddev,
                                      dtype=dtype)


def random_truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Normal values redrawn until within 2 ``stddev`` of ``mean``."""
    dtype = _float_dtype(dtype)
    return tf.random.stateless_truncated_normal(shape, _seed(seed), mean=mean, stddev=stddev,
                                                dtype=dtype)


def random_randint(shape, minval, maxval, dtype="int32", seed=None):
    """Integers drawn uniformly from ``[minval, maxval)``."""
    dtype = to_dtype(dtype)
    work = dtype if dtype in (tf.int32, tf.int64) else tf.int32
    out = tf.random.stateless_uniform(shape, _seed(seed), minval=tf.cast(minval, work),
                                      maxval=tf.cast(maxval, work), dtype=work)
    return out if work is dtype else tf.cast(out, dtype)


def random_dropout(x, rate, noise_shape=None, seed=None):
    """``x`` with entries zeroed with probability ``rate``, the rest scaled by 1/(1-rate).

    ``noise_shape`` entries that are None take the size of ``x`` there.
    """
    x = convert_to_tensor(x)
    if not x.dtype.is_floating:
        x = tf.cast(x, floatx())
    if noise_shape is not None and any(d is None for d in noise_shape):
        dynamic = tf.shape(x)
        static = x.shape.as_list()
        noise_shape = [
            (static[i] if static[i] is not None else dynamic[i]) if d is None else d
            for i, d in enumerate(noise_shape)
        ]
    return tf.nn.experimental.stateless_dropout(x, rate=rate, seed=_seed(seed),
                                                noise_shape=noise_shape)
