"""Rnn kernels on torch (contract.RNN_OPS): a Python loop over time steps, and torch's
fused LSTM/GRU kernels (optional ``lstm``/``gru``) for the standard cells. Inside a
compiled training step the CPU LSTM goes through ``rnn_compiled.lstm_layer`` (the same
oneDNN kernels, kept whole by the compiler).

The fused kernels add the input and recurrent products in another order than the loop
(two biases, the input projection of all steps first), so they agree with Keras's formula
to float32 rounding, not bit for bit; the parity suite holds them to rtol 1e-5.
"""
import torch

from kfront.backends.torch.core import as_tensor
from kfront.backends.torch.rnn_compiled import can_fuse_lstm, lstm_layer
from kfront.utils import tree

__all__ = ["rnn", "lstm", "gru"]


def _fused_inputs(inputs, go_backwards):
    x = as_tensor(inputs)
    return torch.flip(x, (1,)) if go_backwards else x


def lstm(inputs, h, c, kernel, recurrent_kernel, bias=None, go_backwards=False):
    """Keras's LSTM (tanh/sigmoid, gates i, f, c, o) through ``torch.lstm``.

    ``kernel`` (features, 4u), ``recurrent_kernel`` (u, 4u), ``bias`` (4u,) or None, in
    Keras's layout. Returns ``(last_output, outputs, [h, c])``; outputs in processing
    order, as ``rnn`` gives them.
    """
    x = _fused_inputs(inputs, go_backwards)
    # Same gate order in both; torch keeps (4u, in) matrices and a second bias.
    # Contiguous: cuDNN views the weights as one flat buffer (transposed views fail there).
    params = [as_tensor(kernel).t().contiguous(), as_tensor(recurrent_kernel).t().contiguous()]
    # A zero bias where there is none: what torch's kernels do themselves.
    bias = torch.zeros(params[0].shape[0], dtype=x.dtype, device=x.device) if bias is None \
        else as_tensor(bias)
    params += [bias, torch.zeros_like(bias)]
    h, c = as_tensor(h)[None], as_tensor(c)[None]
    if torch.compiler.is_compiling() and torch.is_grad_enabled() and \
            can_fuse_lstm(x, h, c, *params):
        # Compiled training graphs would unroll torch.lstm step by step (see rnn_compiled).
        out, h_n, c_n = lstm_layer(x.transpose(0, 1), *params, h, c)
        return h_n[0], out.transpose(0, 1), [h_n[0], c_n[0]]
    # `train` (no dropout either way) keeps cuDNN's workspace for the backward pass.
    out, h_n, c_n = torch.lstm(x, (h, c), params, True, 1, 0.0, torch.is_grad_enabled(),
                               False, True)
    return h_n[0], out, [h_n[0], c_n[0]]


def _zrh_to_rzh(w, axis):
    z, r, h = torch.chunk(w, 3, dim=axis)
    return torch.cat([r, z, h], dim=axis)


def gru(inputs, h, kernel, recurrent_kernel, bias=None, go_backwards=False):
    """Keras's GRU with ``reset_after=True`` (tanh/sigmoid) through ``torch.gru``.

    Keras orders the gates z, r, h and keeps ``bias`` as (2, 3u) (input, recurrent);
    torch orders them r, z, n with the reset gate applied after the recurrent product,
    which is exactly ``reset_after=True``. Returns ``(last_output, outputs, [h])``.
    """
    x = _fused_inputs(inputs, go_backwards)
    params = [_zrh_to_rzh(as_tensor(kernel), 1).t().contiguous(),
              _zrh_to_rzh(as_tensor(recurrent_kernel), 1).t().contiguous()]
    if bias is not None:
        bias = as_tensor(bias)
        params += [_zrh_to_rzh(bias[0], 0), _zrh_to_rzh(bias[1], 0)]
    out, h_n = torch.gru(x, as_tensor(h)[None], params, bias is not None, 1, 0.0,
                         torch.is_grad_enabled(), False, True)
    return h_n[0], out, [h_n[0]]


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
