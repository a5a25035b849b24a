"""Seeded beta, binomial, categorical, gamma and shuffle draws (keras.random) on JAX.

Seeds become threefry keys as in ``random.py``; each sampler is one compiled kernel, so a
seed gives the same numbers inside and outside ``jax.jit``.
"""
import functools

import jax
import jax.numpy as jnp

from kfront.backend.contract import RANDOM_EXTRA_OPS
from kfront.backends.jax.core import jax_dtype as _jdtype
from kfront.backends.jax.random import _float_dtype, _key, _scalar, _shape, _words

__all__ = list(RANDOM_EXTRA_OPS)  # the contract's family, in its order

_static = functools.partial(jax.jit, static_argnames=("shape", "dtype"))


@_static
def _gamma(words, alpha, shape, dtype):
    return jax.random.gamma(_key(words), jnp.asarray(alpha, dtype), shape, dtype=dtype)


@_static
def _beta(words, alpha, beta, shape, dtype):
    return jax.random.beta(_key(words), jnp.asarray(alpha, dtype), jnp.asarray(beta, dtype),
                           shape, dtype=dtype)


@_static
def _binomial(words, counts, probabilities, shape, dtype):
    return jax.random.binomial(_key(words), jnp.asarray(counts, dtype),
                               jnp.asarray(probabilities, dtype), shape, dtype=dtype)


@functools.partial(jax.jit, static_argnames=("num_samples", "dtype"))
def _categorical(words, logits, num_samples, dtype):
    # jax.random.categorical draws along the last axis; one column per sample.
    out = jax.random.categorical(_key(words), logits[:, None, :],
                                 shape=(logits.shape[0], num_samples))
    return out.astype(dtype)


@functools.partial(jax.jit, static_argnames=("axis",))
def _shuffle(words, x, axis):
    return jax.random.permutation(_key(words), x, axis=axis, independent=False)


def random_gamma(shape, alpha, dtype=None, seed=None):
    """Gamma(alpha, 1) samples."""
    return _gamma(_words(seed), _scalar(alpha), shape=_shape(shape), dtype=_float_dtype(dtype))


def random_beta(shape, alpha, beta, dtype=None, seed=None):
    """Beta(alpha, beta) samples."""
    return _beta(_words(seed), _scalar(alpha), _scalar(beta), shape=_shape(shape),
                 dtype=_float_dtype(dtype))


def random_binomial(shape, counts, probabilities, dtype=None, seed=None):
    """Binomial(counts, probabilities) samples (counts of successes, as floats)."""
    return _binomial(_words(seed), _scalar(counts), _scalar(probabilities),
                     shape=_shape(shape), dtype=_float_dtype(dtype))


def random_categorical(logits, num_samples, dtype="int32", seed=None):
    """``num_samples`` class indices per row of 2-D ``logits``, drawn with replacement."""
    return _categorical(_words(seed), jnp.asarray(logits), num_samples=int(num_samples),
                        dtype=_jdtype(dtype))


def random_shuffle(x, axis=0, seed=None):
    """``x`` with its entries along ``axis`` in a random order."""
    return _shuffle(_words(seed), jnp.asarray(x), axis=int(axis))
