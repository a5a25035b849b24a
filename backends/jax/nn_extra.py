"""The rest of keras.ops.nn on JAX: CTC loss (the forward algorithm in ``lax.scan``) and
``polar``."""
import functools

import jax
import jax.numpy as jnp

from kfront.backend.contract import NN_EXTRA_OPS
from kfront.backends.jax.core import convert_to_tensor as _tensor, to_float as _f

__all__ = list(NN_EXTRA_OPS)  # the contract's family, in its order

# A finite log(0): -inf would turn the gradients of logsumexp into NaN.
_NEG = -1e30


def ctc_loss(target, output, target_length, output_length, mask_index=0):
    """Per-sample CTC loss of logits ``output`` (batch, steps, classes) against padded
    integer ``target`` (batch, max_label_length); ``mask_index`` is the blank class."""
    output = _f(output)
    if output.dtype in (jnp.float16, jnp.bfloat16):
        output = output.astype(jnp.float32)
    return _ctc_loss(_tensor(target).astype(jnp.int32), output,
                     _tensor(target_length).astype(jnp.int32),
                     _tensor(output_length).astype(jnp.int32),
                     int(mask_index) % output.shape[-1])


# Compiled once per shape: eager calls would otherwise retrace the scan every time.
@functools.partial(jax.jit, static_argnums=4)
def _ctc_loss(target, output, target_length, output_length, blank):
    batch, steps, classes = output.shape
    labels = target.shape[1]
    # Padding past a target's length is never read; clipping keeps it a valid class index.
    target = jnp.clip(target, 0, classes - 1)
    logp = jax.nn.log_softmax(output, axis=-1)

    # The extended labeling: blank, l1, blank, l2, ..., blank (2 * labels + 1 states).
    ext = jnp.full((batch, 2 * labels + 1), blank, jnp.int32).at[:, 1::2].set(target)
    # A label may be reached from two states back unless it repeats the label there.
    skip = jnp.concatenate([jnp.zeros((batch, 2), bool),
                            (ext[:, 2:] != blank) & (ext[:, 2:] != ext[:, :-2])], axis=1)
    emit = jnp.take_along_axis(logp, jnp.broadcast_to(ext[:, None, :],
                                                      (batch, steps, ext.shape[1])), axis=2)
    neg = jnp.asarray(_NEG, output.dtype)
    alpha0 = jnp.full(ext.shape, neg).at[:, 0].set(emit[:, 0, 0])
    alpha0 = alpha0.at[:, 1].set(jnp.where(target_length > 0, emit[:, 0, 1], neg))

    def step(alpha, inputs):
        e, t = inputs
        prev1 = jnp.concatenate([jnp.full((batch, 1), neg), alpha[:, :-1]], axis=1)
        prev2 = jnp.concatenate([jnp.full((batch, 2), neg), alpha[:, :-2]], axis=1)
        prev2 = jnp.where(skip, prev2, neg)
        new = jax.nn.logsumexp(jnp.stack([alpha, prev1, prev2]), axis=0) + e
        return jnp.where((t < output_length)[:, None], new, alpha), None

    alpha, _ = jax.lax.scan(step, alpha0, (jnp.swapaxes(emit, 0, 1)[1:],
                                           jnp.arange(1, steps)))
    end = 2 * target_length
    last_blank = jnp.take_along_axis(alpha, end[:, None], axis=1)[:, 0]
    last_label = jnp.take_along_axis(alpha, jnp.maximum(end - 1, 0)[:, None], axis=1)[:, 0]
    last_label = jnp.where(target_length > 0, last_label, neg)
    return -jnp.logaddexp(last_blank, last_label)


def polar(abs_, angle):
    """The complex numbers ``abs_ * (cos(angle) + 1j * sin(angle))``."""
    abs_, angle = _f(abs_), _f(angle)
    dtype = jnp.promote_types(abs_.dtype, angle.dtype)
    if dtype in (jnp.float16, jnp.bfloat16):
        dtype = jnp.float32
    abs_, angle = abs_.astype(dtype), angle.astype(dtype)
    return jax.lax.complex(abs_ * jnp.cos(angle), abs_ * jnp.sin(angle))
