"""Math ops on JAX: logsumexp, erf, top_k, in_top_k, norm (keras.ops semantics)."""
import jax
import jax.numpy as jnp

from kfront.backends.jax.core import axis_arg as _axis, convert_to_tensor as _tensor
from kfront.backends.jax.core import to_float as _f

__all__ = ["logsumexp", "erf", "erfc", "erfinv", "rsqrt", "top_k", "in_top_k", "norm"]


def logsumexp(x, axis=None, keepdims=False):
    return jax.nn.logsumexp(_f(x), axis=_axis(axis), keepdims=keepdims)


def erf(x):
    return jax.lax.erf(_f(x))


def erfc(x):
    return jax.lax.erfc(_f(x))


def erfinv(x):
    return jax.lax.erf_inv(_f(x))


def rsqrt(x):
    return jax.lax.rsqrt(_f(x))


def top_k(x, k, sorted=True):
    """The ``k`` largest entries along the last axis and their int32 indices.

    XLA's top-k always returns them in descending order, which also satisfies
    ``sorted=False``.
    """
    values, indices = jax.lax.top_k(_tensor(x), k)
    return values, indices.astype(jnp.int32)


def in_top_k(targets, predictions, k):
    """Whether each row's target class scores within the ``k`` best of its row.

    Ties count in the target's favour: the target is in when fewer than ``k`` scores are
    strictly greater than its own. An out-of-range target or a non-finite target score
    gives False.
    """
    predictions = _tensor(predictions)
    targets = _tensor(targets)
    if targets.ndim == predictions.ndim:
        targets = jnp.squeeze(targets, axis=-1)
    targets = targets.astype(jnp.int32)
    target_score = jnp.take_along_axis(predictions, targets[..., None], axis=-1, mode="clip")
    better = jnp.sum(predictions > target_score, axis=-1)
    valid = (targets >= 0) & (targets < predictions.shape[-1])
    if jnp.issubdtype(predictions.dtype, jnp.inexact):
        valid = valid & jnp.isfinite(target_score[..., 0])
    return (better < k) & valid


def norm(x, ord=None, axis=None, keepdims=False):
    return jnp.linalg.norm(_f(x), ord=ord, axis=_axis(axis), keepdims=keepdims)
