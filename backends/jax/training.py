"""Gradients, step compilation and shape inference on JAX.

A step is a pure function of all state values: layers read and write variables through a
``StatelessScope``, the step returns the new values, ``jax.jit`` compiles it with the old
state buffers donated, and the new arrays are written back to storage once per step.
"""
import contextlib

import jax
import jax.numpy as jnp
import numpy as np

from kfront.backend import shape_inference
from kfront.backend.scope import ShapeInferenceScope, StatelessScope
from kfront.utils import tree

__all__ = ["value_and_grad", "compile_step", "compute_output_spec", "no_grad"]


def no_grad():
    return contextlib.nullcontext()


def value_and_grad(fn, variables, has_aux=False):
    variables = list(variables)
    written = []

    def pure(values):
        with StatelessScope(dict(zip(variables, values))) as scope:
            out = fn()
        # Writes made during the forward pass (seed states, moving statistics) leave
        # the differentiated function as auxiliary outputs.
        written[:] = [v for v in scope.assigned_variables() if v not in variables]
        new_values = [scope.get(v) for v in written]
        loss = out[0] if has_aux else out
        return loss, (out, new_values)

    values = [v.value for v in variables]
    (_, (out, new_values)), grads = jax.value_and_grad(pure, has_aux=True)(values)
    for var, value in zip(written, new_values):
        var.assign(value)
    return out, list(grads)


def compile_step(step_fn, state_variables, kind, jit_compile):
    state_variables = list(state_variables)
    storages = [v._storage for v in state_variables]
    placement = _placement(state_variables, storages)

    def pure(state_values, data):
        with StatelessScope(dict(zip(state_variables, state_values))) as scope:
            outputs = step_fn(data)
        if kind == "predict":
            # Nothing is donated: only the values the step wrote come back (usually none),
            # instead of a new output per weight on every call.
            written = set(map(id, scope.assigned_variables()))
            return outputs, {i: scope.get(v) for i, v in enumerate(state_variables)
                             if id(v) in written}
        return outputs, [scope.get(v) for v in state_variables]

    if jit_compile:
        # Donating the old state lets XLA update weights in place; predict keeps its state.
        donate = (0,) if kind != "predict" else ()
        pure = jax.jit(pure, donate_argnums=donate)
    else:
        # Batches may arrive as NumPy (``batch_array``); eager layers get JAX arrays.
        pure = _with_jax_arrays(pure)

    def run(data):
        if placement is not None:
            data = placement.put_batch(data)
        outputs, new_values = pure([s.array for s in storages], data)
        pairs = new_values.items() if kind == "predict" else enumerate(new_values)
        for i, value in pairs:
            storages[i].array = value
        return outputs

    return run


def _with_jax_arrays(fn):
    def run(state_values, data):
        return fn(state_values, tree.map_structure(
            lambda a: jnp.asarray(a) if isinstance(a, np.ndarray) else a, data))
    return run


def _placement(state_variables, storages):
    """Under a ``kfront.distribution``, puts the state where its layouts say (once, when
    the step is compiled) and returns what places each batch; otherwise ``None``."""
    from kfront.distribution import api
    dist = api.distribution()
    if dist is None:
        return None
    from kfront.backends.jax.distribution import Placement
    api.check_created_under([v for v in state_variables if v.trainable])
    placement = Placement(dist, state_variables)
    for s, array in zip(storages, placement.put_state([s.array for s in storages])):
        s.array = array
    return placement


def compute_output_spec(fn, *args, **kwargs):
    def make_standin(shape, dtype):
        return jax.ShapeDtypeStruct(shape, jnp.dtype(dtype))

    def run(fn, a, k):
        # Only the stand-ins are traced; other arguments (flags, ints) stay Python values.
        leaves = tree.flatten((a, k))
        slots = [i for i, x in enumerate(leaves) if isinstance(x, jax.ShapeDtypeStruct)]

        def traced(*standins):
            filled = list(leaves)
            for i, x in zip(slots, standins):
                filled[i] = x
            a2, k2 = tree.pack_sequence_as((a, k), filled)
            with ShapeInferenceScope():  # a layer's writes (counters, statistics) are dropped
                return fn(*a2, **k2)

        return jax.eval_shape(traced, *[leaves[i] for i in slots])

    return shape_inference.compute_output_spec(
        fn, args, kwargs, make_standin, run, lambda t: (tuple(t.shape), _dtype_name(t))
    )


def _dtype_name(t):
    return str(jnp.dtype(t.dtype))
