"""Activations, one-hot and cross-entropies on JAX (keras.ops semantics, jax.nn kernels).

Cross-entropies are elementwise (binary) or reduced over the class axis only; no batch
reduction happens here.
"""
import jax
import jax.numpy as jnp

from kfront import config
from kfront.backends.jax.core import (
    convert_to_tensor as _tensor,
    floatx_dtype as _floatx,
    jax_dtype as _jdtype,
    to_float as _f,
)

__all__ = [
    "relu", "relu6", "sigmoid", "softplus", "softsign", "silu", "swish", "gelu", "elu",
    "selu", "leaky_relu", "hard_sigmoid", "hard_silu", "log_sigmoid", "exponential",
    "softmax", "log_softmax", "one_hot",
    "binary_crossentropy", "categorical_crossentropy", "sparse_categorical_crossentropy",
]


def relu(x):
    return jax.nn.relu(_tensor(x))


def relu6(x):
    return jax.nn.relu6(_tensor(x))


def sigmoid(x):
    return jax.nn.sigmoid(_f(x))


def softplus(x):
    return jax.nn.softplus(_f(x))


def softsign(x):
    return jax.nn.soft_sign(_f(x))


def silu(x):
    return jax.nn.silu(_f(x))


swish = silu


def gelu(x, approximate=True):
    return jax.nn.gelu(_f(x), approximate=approximate)


def elu(x, alpha=1.0):
    return jax.nn.elu(_f(x), alpha=alpha)


def selu(x):
    return jax.nn.selu(_f(x))


def leaky_relu(x, negative_slope=0.2):
    return jax.nn.leaky_relu(_f(x), negative_slope=negative_slope)


def hard_sigmoid(x):
    return jax.nn.hard_sigmoid(_f(x))


def hard_silu(x):
    return jax.nn.hard_silu(_f(x))


def log_sigmoid(x):
    return jax.nn.log_sigmoid(_f(x))


def exponential(x):
    return jnp.exp(_f(x))


def _axis(axis):
    return tuple(axis) if isinstance(axis, list) else axis


def softmax(x, axis=-1):
    return jax.nn.softmax(_f(x), axis=_axis(axis))


def log_softmax(x, axis=-1):
    return jax.nn.log_softmax(_f(x), axis=_axis(axis))


def one_hot(x, num_classes, axis=-1, dtype=None):
    # Out-of-range indices (e.g. -1) give an all-zero row, as in Keras.
    dtype = _floatx() if dtype is None else _jdtype(dtype)
    return jax.nn.one_hot(_tensor(x), num_classes, dtype=dtype, axis=axis)


def _check_shapes(target, output):
    if target.shape != output.shape:
        raise ValueError(
            "Arguments `target` and `output` must have the same shape. "
            f"Received: target.shape={target.shape}, output.shape={output.shape}"
        )


def binary_crossentropy(target, output, from_logits=False):
    output = _f(output)
    target = _tensor(target, output.dtype)
    _check_shapes(target, output)
    if from_logits:
        # max(z, 0) - z * t + log(1 + exp(-|z|)): never overflows.
        return (jax.nn.relu(output) - output * target
                + jnp.log1p(jnp.exp(-jnp.abs(output))))
    eps = config.epsilon()
    output = jnp.clip(output, eps, 1.0 - eps)
    return -(target * jnp.log(output) + (1.0 - target) * jnp.log1p(-output))


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    output = _f(output)
    target = _tensor(target, output.dtype)
    _check_shapes(target, output)
    if from_logits:
        log_prob = jax.nn.log_softmax(output, axis=axis)
    else:
        output = output / jnp.sum(output, axis=axis, keepdims=True)
        eps = config.epsilon()
        log_prob = jnp.log(jnp.clip(output, eps, 1.0 - eps))
    return -jnp.sum(target * log_prob, axis=axis)


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    output = _f(output)
    target = _tensor(target)
    if target.ndim == output.ndim and target.shape[-1] == 1:
        target = jnp.squeeze(target, axis=-1)
    if target.ndim != output.ndim - 1:
        raise ValueError(
            "`target` must have one dimension fewer than `output` (or a trailing dimension "
            f"of 1). Received: target.shape={target.shape}, output.shape={output.shape}"
        )
    if jnp.issubdtype(target.dtype, jnp.inexact):
        target = target.astype(jnp.int32)
    if from_logits:
        log_prob = jax.nn.log_softmax(output, axis=axis)
    else:
        output = output / jnp.sum(output, axis=axis, keepdims=True)
        eps = config.epsilon()
        log_prob = jnp.log(jnp.clip(output, eps, 1.0 - eps))
    # A one-hot product rather than a gather: XLA fuses it, and out-of-range labels
    # contribute zero loss as in Keras.
    labels = jax.nn.one_hot(target, output.shape[axis], dtype=output.dtype, axis=axis)
    return -jnp.sum(labels * log_prob, axis=axis)
