"""Seeded random tensors on JAX.

A seed (a Python int, or a length-2 integer array such as ``SeedGenerator``'s state, which
may be a traced value inside ``jax.jit``) becomes a threefry key through
``jax.random.wrap_key_data``: its two entries are the key's two 32-bit words, so equal seeds
give equal numbers and no Python branching depends on the seed's value. A Python int or a
scalar tensor ``s`` fills the words with the 64-bit two's complement of ``s``.

``seed=None`` draws a fresh seed from kfront's global generator (reproducible after
``kfront.utils.set_random_seed``). Inside ``jax.jit`` that draw happens once, at tracing
time, so a compiled function should be given an explicit seed.

float64 requests give float32 (JAX's x64 mode stays off).
"""
import functools

import jax
import jax.numpy as jnp
import numpy as np

from kfront.backends.jax.core import (
    floatx_dtype as _floatx,
    jax_dtype as _jdtype,
    to_float as _f,
)

__all__ = ["random_uniform", "random_normal", "random_truncated_normal", "random_randint",
           "random_dropout"]

_IMPL = "threefry2x32"
_MASK32 = 0xFFFFFFFF
_MASK64 = 0xFFFFFFFFFFFFFFFF


def _words_from_int(seed):
    seed = int(seed) & _MASK64
    return np.array([seed >> 32, seed & _MASK32], dtype=np.uint32)


def _words_from_tensor(seed):
    if seed.dtype != jnp.uint32:
        if not jnp.issubdtype(seed.dtype, jnp.integer):
            raise TypeError(f"A seed must hold integers, received dtype {seed.dtype}.")
        # Reinterpret the bits, so negative int32 seeds stay distinct from each other.
        signed = seed.astype(jnp.int32)
        seed = jax.lax.bitcast_convert_type(signed, jnp.uint32)
        if seed.ndim == 0:
            high = jnp.where(signed < 0, jnp.uint32(_MASK32), jnp.uint32(0))
            return jnp.stack([high, seed])
    if seed.ndim == 0:
        return jnp.stack([jnp.uint32(0), seed])
    return seed


def _words(seed):
    """The two uint32 key words for a kfront seed."""
    if seed is None:
        # Deferred: kfront.random imports the adapter while the adapter is being loaded.
        from kfront.random.global_state import draw_seed
        words = _words_from_int(draw_seed())
    elif isinstance(seed, (int, np.integer)) and not isinstance(seed, bool):
        words = _words_from_int(seed)
    elif isinstance(seed, jax.Array):
        words = _words_from_tensor(seed)
    else:
        arr = np.asarray(seed)
        if arr.dtype.kind not in "iu":
            raise TypeError(f"A seed must be an int or an integer array, received {seed!r}.")
        if arr.ndim == 0:
            words = _words_from_int(arr)
        else:
            words = (arr.astype(np.int64) & _MASK32).astype(np.uint32)
    if words.shape != (2,):
        raise ValueError(f"A seed array must have shape (2,), received shape {words.shape}.")
    return words


def _key(words):
    return jax.random.wrap_key_data(words, impl=_IMPL)


def _float_dtype(dtype):
    dtype = _floatx() if dtype is None else _jdtype(dtype)
    if not jnp.issubdtype(dtype, jnp.floating):
        raise ValueError(f"Expected a floating dtype, received {dtype}.")
    return dtype


def _shape(shape):
    return (int(shape),) if isinstance(shape, (int, np.integer)) else tuple(int(d) for d in shape)


def _scalar(v):
    return np.asarray(v) if isinstance(v, (list, tuple)) else v


# Each sampler is one compiled kernel: eager calls run the very program that a jitted caller
# inlines, so a seed gives bit-identical numbers inside and outside jax.jit (and the scale
# and shift fuse with the draw).
_static = functools.partial(jax.jit, static_argnames=("shape", "dtype"))


@_static
def _uniform(words, minval, maxval, shape, dtype):
    return jax.random.uniform(_key(words), shape, dtype=dtype, minval=minval, maxval=maxval)


@_static
def _normal(words, mean, stddev, shape, dtype):
    sample = jax.random.normal(_key(words), shape, dtype=dtype)
    return (sample * stddev + mean).astype(dtype)


@_static
def _truncated_normal(words, mean, stddev, shape, dtype):
    sample = jax.random.truncated_normal(_key(words), -2.0, 2.0, shape, dtype=dtype)
    return (sample * stddev + mean).astype(dtype)


@_static
def _randint(words, minval, maxval, shape, dtype):
    return jax.random.randint(_key(words), shape, minval, maxval, dtype=dtype)


@functools.partial(jax.jit, static_argnames=("noise_shape",))
def _dropout(words, x, rate, noise_shape):
    keep_prob = 1.0 - rate
    keep = jax.random.bernoulli(_key(words), keep_prob, noise_shape)
    return jnp.where(keep, (x / keep_prob).astype(x.dtype), jnp.zeros((), x.dtype))


def random_uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    return _uniform(_words(seed), _scalar(minval), _scalar(maxval), shape=_shape(shape),
                    dtype=_float_dtype(dtype))


def random_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    return _normal(_words(seed), _scalar(mean), _scalar(stddev), shape=_shape(shape),
                   dtype=_float_dtype(dtype))


def random_truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Normal samples restricted to two standard deviations around the mean."""
    return _truncated_normal(_words(seed), _scalar(mean), _scalar(stddev),
                             shape=_shape(shape), dtype=_float_dtype(dtype))


def random_randint(shape, minval, maxval, dtype="int32", seed=None):
    return _randint(_words(seed), _scalar(minval), _scalar(maxval), shape=_shape(shape),
                    dtype=_jdtype(dtype))


def random_dropout(x, rate, noise_shape=None, seed=None):
    """``x`` with entries zeroed at probability ``rate`` and survivors scaled by
    ``1 / (1 - rate)``. ``noise_shape`` broadcasts the mask; its None entries take ``x``'s."""
    x = _f(x)
    if noise_shape is None:
        noise_shape = tuple(x.shape)
    else:
        if isinstance(noise_shape, (int, np.integer)):
            noise_shape = (noise_shape,)
        noise_shape = tuple(x.shape[i] if d is None else int(d)
                            for i, d in enumerate(noise_shape))
    return _dropout(_words(seed), x, _scalar(rate), noise_shape=noise_shape)
