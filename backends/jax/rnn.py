"""Rnn kernels on JAX (contract.RNN_OPS): ``jax.lax.scan`` over time steps."""
import jax
import jax.numpy as jnp
from jax import lax

from kfront.utils import tree

try:
    from jax.extend.core import concrete_or_error as _concrete_or_error
except ImportError:  # older JAX
    from jax.core import concrete_or_error as _concrete_or_error

__all__ = ["rnn"]


def _expand(m, x):
    return m.reshape(m.shape + (1,) * (x.ndim - 1))


def rnn(step_function, inputs, initial_states, go_backwards=False, mask=None, constants=None,
        unroll=False, input_length=None, time_major=False, zero_output_for_mask=False,
        return_all_outputs=True):
    """Runs ``step_function(x_t, states) -> (output_t, new_states)`` over the time axis.

    Returns ``(last_output, outputs, new_states)``; outputs are in processing order
    (reversed when ``go_backwards``), masked steps keep the previous states and output
    (or give zeros when ``zero_output_for_mask``). ``unroll`` is accepted and ignored.
    """
    inputs = jnp.asarray(inputs)
    if not time_major:
        inputs = jnp.swapaxes(inputs, 0, 1)
    if mask is not None:
        mask = jnp.asarray(mask).astype(bool)
        if not time_major:
            mask = jnp.swapaxes(mask, 0, 1)
    if go_backwards:
        inputs = jnp.flip(inputs, 0)
        mask = None if mask is None else jnp.flip(mask, 0)
    extra = tuple(constants or ())
    structure = initial_states

    def step(states, prev, x, m):
        out, new_states = step_function(x, tuple(states) + extra if extra else states)
        new_flat = [jnp.asarray(n, dtype=jnp.asarray(o).dtype)
                    for n, o in zip(tree.flatten(new_states), tree.flatten(states))]
        if m is not None:
            if prev is None:
                prev = jnp.zeros_like(out)
            out = jnp.where(_expand(m, out), out,
                            jnp.zeros_like(out) if zero_output_for_mask else prev)
            new_flat = [jnp.where(_expand(m, n), n, o)
                        for n, o in zip(new_flat, tree.flatten(states))]
        return tree.pack_sequence_as(structure, new_flat), out

    if not _compiling(inputs):
        # Run eagerly, a scan would compile its body on every call: a loop of eager ops.
        states, prev, outputs = initial_states, None, []
        for t in range(inputs.shape[0]):
            states, prev = step(states, prev, inputs[t], None if mask is None else mask[t])
            if return_all_outputs or t == inputs.shape[0] - 1:
                outputs.append(prev)
        return prev, _out(jnp.stack(outputs, 0), time_major), states

    # The first step runs outside the scan: it fixes the output's shape and dtype.
    states, first = step(initial_states, None, inputs[0], None if mask is None else mask[0])
    if inputs.shape[0] == 1:
        outputs = first[None]
        return first, _out(outputs, time_major), states

    def body(carry, xs):
        states, prev = carry
        x, m = xs if mask is not None else (xs, None)
        states, out = step(states, prev, x, m)
        return (states, out), (out if return_all_outputs else None)

    xs = (inputs[1:], mask[1:]) if mask is not None else inputs[1:]
    (states, last), rest = lax.scan(body, (states, first), xs)
    if return_all_outputs:
        outputs = jnp.concatenate([first[None], rest], 0)
    else:
        outputs = last[None]
    return last, _out(outputs, time_major), states


def _compiling(x):
    """Whether ``x`` is traced for compilation (jit), not merely differentiated eagerly."""
    if not isinstance(x, jax.core.Tracer):
        return False
    try:
        _concrete_or_error(None, x)
        return False
    except Exception:
        return True


def _out(outputs, time_major):
    return outputs if time_major else jnp.swapaxes(outputs, 0, 1)
