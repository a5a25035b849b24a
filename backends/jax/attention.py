"""Attention kernels on JAX (contract.ATTENTION_OPS), on jax.nn.dot_product_attention."""
import functools

import jax
import jax.numpy as jnp

from kfront.backend.attention_args import check_attention_shapes
from kfront.backends.jax.core import convert_to_tensor, floatx_dtype

__all__ = ["dot_product_attention"]


def _as_4d(x):
    return x.reshape((1,) * (4 - x.ndim) + x.shape) if x.ndim < 4 else x


def _einsum_attention(query, key, value, bias, mask, scale, is_causal):
    """The same computation for a value head size unlike the key's (jax.nn needs them equal)."""
    groups = query.shape[2] // key.shape[2]
    if groups > 1:
        key = jnp.repeat(key, groups, axis=2)
        value = jnp.repeat(value, groups, axis=2)
    logits = jnp.einsum("btnh,bsnh->bnts", query, key).astype(
        jnp.promote_types(query.dtype, jnp.float32)) * scale
    if bias is not None:
        logits = logits + bias.astype(logits.dtype)
    keep = None if mask is None else mask
    if is_causal:
        causal = jnp.tril(jnp.ones((query.shape[1], key.shape[1]), bool))
        keep = causal if keep is None else jnp.logical_and(keep, causal)
    if keep is not None:
        logits = jnp.where(keep, logits, -0.7 * jnp.finfo(logits.dtype).max)
    probs = jax.nn.softmax(logits.astype(jnp.float32), axis=-1).astype(value.dtype)
    return jnp.einsum("bnts,bsnh->btnh", probs, value)


# One compiled kernel per shape: run eagerly, the many small ops of attention would
# otherwise each compile on first use (inside an outer jit this one simply inlines).
@functools.partial(jax.jit, static_argnames=("is_causal",))
def _attention(query, key, value, bias, mask, scale, is_causal):
    if value.shape[-1] != key.shape[-1]:
        return _einsum_attention(query, key, value, bias, mask, scale, is_causal)
    return jax.nn.dot_product_attention(query, key, value, bias=bias, mask=mask, scale=scale,
                                        is_causal=is_causal)


def dot_product_attention(query, key, value, bias=None, mask=None, scale=None, is_causal=False):
    query, key, value = convert_to_tensor(query), convert_to_tensor(key), convert_to_tensor(value)
    check_attention_shapes(query.shape, key.shape, value.shape)
    dtype = jnp.promote_types(jnp.promote_types(query.dtype, key.dtype), value.dtype)
    if not jnp.issubdtype(dtype, jnp.floating):
        dtype = floatx_dtype()
    query, key, value = query.astype(dtype), key.astype(dtype), value.astype(dtype)
    if scale is None:
        scale = 1.0 / float(query.shape[-1]) ** 0.5
    if bias is not None:
        bias = _as_4d(convert_to_tensor(bias).astype(dtype))
    if mask is not None:
        mask = _as_4d(convert_to_tensor(mask).astype(bool))
    return _attention(query, key, value, bias, mask, scale, bool(is_causal))
