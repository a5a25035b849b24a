"""Normalization kernels on JAX (contract.NORMALIZATION_OPS)."""
import jax
import jax.numpy as jnp

from kfront.backends.jax.core import to_float

__all__ = ["moments", "batch_normalization"]


def _axes(axes, ndim):
    axes = (axes,) if isinstance(axes, int) else tuple(axes)
    return tuple(a % ndim for a in axes)


def moments(x, axes, keepdims=False, synchronized=False):
    """(mean, variance) over ``axes``; the variance is the population one (divides by N)."""
    x = to_float(x)
    dims = _axes(axes, x.ndim)
    # Half-precision inputs accumulate in float32, as Keras does.
    compute = x.astype(jnp.float32) if x.dtype in (jnp.float16, jnp.bfloat16) else x
    mean = jnp.mean(compute, axis=dims, keepdims=True)
    variance = jnp.var(compute, axis=dims, keepdims=True)
    if not keepdims:
        mean, variance = jnp.squeeze(mean, dims), jnp.squeeze(variance, dims)
    return mean.astype(x.dtype), variance.astype(x.dtype)


def _along(v, axis, ndim, dtype):
    v = jnp.asarray(v).astype(dtype)
    if v.ndim == 1 and axis != ndim - 1:
        shape = [1] * ndim
        shape[axis] = v.shape[0]
        v = v.reshape(shape)
    return v


def batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3):
    """``(x - mean) / sqrt(variance + epsilon) * scale + offset``, the 1-D statistics laid
    along ``axis``."""
    x = to_float(x)
    axis = axis % x.ndim
    inv = jax.lax.rsqrt(_along(variance, axis, x.ndim, x.dtype) + epsilon)
    if scale is not None:
        inv = inv * _along(scale, axis, x.ndim, x.dtype)
    res = -_along(mean, axis, x.ndim, x.dtype) * inv
    if offset is not None:
        res = res + _along(offset, axis, x.ndim, x.dtype)
    return x * inv + res
