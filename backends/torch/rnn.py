"""Rnn kernels on torch (contract.RNN_OPS): a Python loop over time steps.

torch's fused ``nn.LSTM``/``nn.GRU`` kernels sum the gate products in another order (and
GRU applies its reset gate differently), so their numbers differ from Keras's in the last
bits; the loop keeps every engine on the same arithmetic.
"""
import torch

from kfront.backends.torch.core import as_tensor
from kfront.utils import tree

__all__ = ["rnn"]


def _expand(m, x):
    """Mask ``m`` (batch,) broadcastable against ``x`` (batch, ...)."""
    return m.reshape(m.shape + (1,) * (x.ndim - 1))


def rnn(step_function, inputs, initial_states, go_backwards=False, mask=None, constants=None,
        unroll=False, input_length=None, time_major=False, zero_output_for_mask=False,
        return_all_outputs=True):
    """Runs ``step_function(x_t, states) -> (output_t, new_states)`` over the time axis.

    Returns ``(last_output, outputs, new_states)``; outputs are in processing order
    (reversed when ``go_backwards``), masked steps keep the previous states and output
    (or give zeros when ``zero_output_for_mask``).
    """
    inputs = as_tensor(inputs)
    if not time_major:
        inputs = inputs.transpose(0, 1)
    if mask is not None:
        mask = as_tensor(mask).to(torch.bool)
        if not time_major:
            mask = mask.transpose(0, 1)
    if go_backwards:
        inputs = torch.flip(inputs, (0,))
        mask = None if mask is None else torch.flip(mask, (0,))
    extra = tuple(constants or ())
    states = initial_states
    outputs = []
    prev = None
    for t in range(inputs.shape[0]):
        out, new_states = step_function(inputs[t], tuple(states) + extra if extra else states)
        new_states = tree.pack_sequence_as(states, tree.flatten(new_states))
        if mask is not None:
            m = mask[t]
            if prev is None:
                prev = torch.zeros_like(out)
            out = torch.where(_expand(m, out), out,
                              torch.zeros_like(out) if zero_output_for_mask else prev)
            new_states = tree.pack_sequence_as(states, [
                torch.where(_expand(m, n), n, o)
                for n, o in zip(tree.flatten(new_states), tree.flatten(states))])
        states = new_states
        prev = out
        if return_all_outputs or t == inputs.shape[0] - 1:
            outputs.append(out)
    stacked = torch.stack(outputs, 0)
    if not time_major:
        stacked = stacked.transpose(0, 1)
    return prev, stacked, states
