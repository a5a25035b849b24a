"""Shapes for noise draws: static where known, the batch size computed where it is not."""
import math

from kfront import ops


def concrete_shape(x):
    """The shape of ``x`` for a random draw of the same shape.

    Inside a traced TensorFlow step the batch size may be unknown (None); it is then
    recovered as ``size(x) // prod(other dims)``, a tensor the engine's sampler accepts.
    """
    shape = list(ops.shape(x))
    unknown = [i for i, d in enumerate(shape) if d is None]
    if not unknown:
        return tuple(shape)
    if len(unknown) > 1:
        raise ValueError(f"Cannot draw noise for an input of shape {tuple(shape)}: only the "
                         "batch dimension may be unknown.")
    rest = math.prod(d for d in shape if d is not None)
    shape[unknown[0]] = ops.size(x) // rest
    return shape


def batch_size(x):
    """The first dimension of ``x`` (a tensor when unknown while tracing)."""
    return concrete_shape(x)[0]
