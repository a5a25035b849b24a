"""Keeping or discarding a whole optimizer update with a tensor flag.

Compiled steps (``jax.jit``, ``tf.function``) cannot branch in Python on a tensor, so a
conditional update (gradient accumulation, a loss-scale step with non-finite gradients)
runs the update unconditionally and then selects, per variable, between the new value
and a copy taken before it.
"""
from kfront import ops


def snapshot(variables):
    """Copies of the current values of ``variables``.

    A copy, not the value itself: on torch a variable's value is its storage, which an
    in-place update (the fused kernels) would change under us.
    """
    return [ops.multiply(v.value, ops.ones((), dtype=v.dtype)) for v in variables]


def keep_if(flag, variables, previous):
    """Each variable keeps its new value where ``flag`` is true, else ``previous``."""
    for v, old in zip(variables, previous):
        v.assign(ops.where(flag, v.value, old))


def unique(variables):
    """``variables`` without repeats, in order (a model weight may also be a slot's key)."""
    seen, out = set(), []
    for v in variables:
        if id(v) not in seen:
            seen.add(id(v))
            out.append(v)
    return out
