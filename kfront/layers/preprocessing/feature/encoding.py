"""Index tensors to one-hot / multi-hot / count vectors, with ``kfront.ops`` or NumPy.

Shared by ``CategoryEncoding``, ``Discretization`` and the lookup layers. Rules (Keras's):
``one_hot`` gives every index its own row (a trailing axis of size 1 is dropped first);
``multi_hot`` and ``count`` reduce the last axis, so a rank-1 input is one sample.
Indices outside ``[0, depth)`` contribute nothing.
"""
import numpy as np

from kfront import ops

OUTPUT_MODES = ("int", "one_hot", "multi_hot", "count")


def check_output_mode(layer_name, output_mode, allowed):
    if output_mode not in allowed:
        raise ValueError(f"{layer_name}: unknown `output_mode` {output_mode!r}. Expected one "
                         f"of {tuple(allowed)}.")


def encode(indices, output_mode, depth, dtype="float32", count_weights=None):
    """Encodes an integer tensor with ``kfront.ops`` (safe inside compiled steps)."""
    if output_mode == "int":
        return ops.cast(indices, dtype)
    shape = ops.shape(indices)
    if len(shape) == 0:
        indices = ops.expand_dims(indices, -1)
    if output_mode == "one_hot":
        if len(shape) > 1 and shape[-1] == 1:
            indices = ops.squeeze(indices, -1)
        return ops.one_hot(indices, depth, dtype=dtype)
    hot = ops.one_hot(indices, depth, dtype=dtype)
    if output_mode == "multi_hot":
        return ops.max(hot, axis=-2)
    if count_weights is not None:
        hot = hot * ops.expand_dims(ops.cast(count_weights, dtype), -1)
    return ops.sum(hot, axis=-2)


def encode_numpy(indices, output_mode, depth, dtype="float32", count_weights=None):
    """The NumPy twin of ``encode``, for layers that run on the host."""
    indices = np.asarray(indices)
    if output_mode == "int":
        return indices.astype(dtype)
    if indices.ndim == 0:
        indices = indices[None]
    if output_mode == "one_hot" and indices.ndim > 1 and indices.shape[-1] == 1:
        indices = indices[..., 0]
    hot = (indices[..., None] == np.arange(depth)).astype(dtype)
    if output_mode == "one_hot":
        return hot
    if output_mode == "multi_hot":
        return hot.max(axis=-2)
    if count_weights is not None:
        hot = hot * np.asarray(count_weights, dtype)[..., None]
    return hot.sum(axis=-2)
