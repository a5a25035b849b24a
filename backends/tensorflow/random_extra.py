"""Seeded beta, binomial, categorical, gamma and shuffle draws (keras.random) on
TensorFlow, built on the stateless ``tf.random`` kernels (the same seed gives the same
numbers, also inside ``tf.function``)."""
import tensorflow as tf

from kfront.backend.contract import RANDOM_EXTRA_OPS
from kfront.backends.tensorflow.core import convert_to_tensor, to_dtype
from kfront.backends.tensorflow.random import _float_dtype, _seed

__all__ = list(RANDOM_EXTRA_OPS)  # the contract's family, in its order


def _work_dtype(dtype):
    # The stateless samplers have no bfloat16/float16 kernels.
    return tf.float64 if dtype == tf.float64 else tf.float32


def _gamma(shape, alpha, work, seed):
    # stateless_gamma broadcasts alpha against the trailing dimensions only, so it gets
    # the full shape.
    alpha = tf.broadcast_to(tf.cast(alpha, work), shape)
    return tf.random.stateless_gamma(shape, seed, alpha=alpha, dtype=work)


def random_gamma(shape, alpha, dtype=None, seed=None):
    """Gamma(alpha, 1) samples."""
    dtype = _float_dtype(dtype)
    return tf.cast(_gamma(shape, alpha, _work_dtype(dtype), _seed(seed)), dtype)


def random_beta(shape, alpha, beta, dtype=None, seed=None):
    """Beta(alpha, beta) samples, as X / (X + Y) of two gamma draws with distinct seeds."""
    dtype = _float_dtype(dtype)
    work = _work_dtype(dtype)
    seed = _seed(seed)
    x = _gamma(shape, alpha, work, seed)
    y = _gamma(shape, beta, work, seed + tf.constant([0, 1], seed.dtype))
    return tf.cast(x / (x + y), dtype)


def random_binomial(shape, counts, probabilities, dtype=None, seed=None):
    """Binomial(counts, probabilities) samples (counts of successes, as floats)."""
    dtype = _float_dtype(dtype)
    work = _work_dtype(dtype)
    out = tf.random.stateless_binomial(shape, _seed(seed), counts=tf.cast(counts, work),
                                       probs=tf.cast(probabilities, work), output_dtype=work)
    return tf.cast(out, dtype)


def random_categorical(logits, num_samples, dtype="int32", seed=None):
    """``num_samples`` class indices per row of 2-D ``logits``, drawn with replacement."""
    logits = convert_to_tensor(logits)
    dtype = to_dtype(dtype)
    out_dtype = dtype if dtype in (tf.int32, tf.int64) else tf.int64
    out = tf.random.stateless_categorical(logits, int(num_samples), _seed(seed),
                                          dtype=out_dtype)
    return tf.cast(out, dtype)


def random_shuffle(x, axis=0, seed=None):
    """``x`` with its entries along ``axis`` in a random order."""
    x = convert_to_tensor(x)
    n = tf.shape(x)[axis]
    # The argsort of uniform keys is a uniformly random permutation, statelessly.
    keys = tf.random.stateless_uniform(tf.reshape(n, [1]), _seed(seed))
    return tf.gather(x, tf.argsort(keys), axis=axis)
