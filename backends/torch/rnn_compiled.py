"""The fused CPU LSTM kept whole inside ``torch.compile`` training graphs.

Eager ``torch.lstm`` on CPU runs oneDNN's fused layer (``aten.mkldnn_rnn_layer``) and its
fused backward. Under ``torch.compile`` with gradients, torch decomposes ``aten.lstm`` into
one small graph per time step (100 steps: a graph large enough to take minutes to compile
and to run slower than eager), and inductor's own lowering of the fused layer only serves
inference. ``lstm_layer`` here is an opaque operator around the same two oneDNN kernels,
with the backward kernel as its gradient, so the compiled step calls exactly what the eager
step calls and gets the same numbers.

The backward kernel needs the forward's workspace (the gates of every step), whose size
oneDNN decides at run time; a graph cannot carry a tensor of unknown size between its
operators without breaking. The forward keeps the workspace in ``_WORKSPACES`` under a
number that travels through the graph as a scalar tensor, and the backward takes it from
there. Should it be gone (a forward whose backward never ran is dropped with its number),
the backward runs the forward again to rebuild it.
"""
import itertools
import weakref

import torch
from torch import Tensor

__all__ = ["can_fuse_lstm", "lstm_layer"]

_LSTM_MODE = 2  # oneDNN's code for an LSTM cell (ideep::rnn_kind::LSTM)
_WORKSPACES = {}
_NUMBERS = itertools.count()


# Read once: the compiler cannot trace these checks without breaking the graph.
_ONEDNN = torch.backends.mkldnn.is_available() and torch._C._get_mkldnn_enabled()


def can_fuse_lstm(*tensors):
    """Whether oneDNN's LSTM layer can run these (CPU, float32 or bfloat16, one dtype)."""
    if not _ONEDNN:
        return False
    dtypes = {t.dtype for t in tensors}
    return all(t.device.type == "cpu" for t in tensors) and len(dtypes) == 1 and \
        dtypes <= {torch.float32, torch.bfloat16}


def _forward(x, w_ih, w_hh, b_ih, b_hh, h, c):
    # Grad mode on: oneDNN fills the workspace only when it is (operators run without it).
    with torch.enable_grad():
        return torch.ops.aten.mkldnn_rnn_layer.default(
            x.detach(), w_ih.detach(), w_hh.detach(), b_ih.detach(), b_hh.detach(),
            h.detach(), c.detach(), False, [], _LSTM_MODE, h.shape[-1], 1, True, False,
            False, True)


@torch.library.custom_op("kfront::lstm_layer", mutates_args=())
def _lstm_layer(x: Tensor, w_ih: Tensor, w_hh: Tensor, b_ih: Tensor, b_hh: Tensor, h: Tensor,
                c: Tensor) -> tuple[Tensor, Tensor, Tensor, Tensor]:
    y, hy, cy, workspace = _forward(x, w_ih, w_hh, b_ih, b_hh, h, c)
    number = next(_NUMBERS)
    _WORKSPACES[number] = workspace
    token = torch.tensor(number, dtype=torch.int64)
    # The entry lives as long as the token: a forward without a backward leaks nothing.
    weakref.finalize(token, _WORKSPACES.pop, number, None)
    return y, hy, cy, token


@_lstm_layer.register_fake
def _(x, w_ih, w_hh, b_ih, b_hh, h, c):
    return (x.new_empty((x.shape[0], x.shape[1], h.shape[-1])), torch.empty_like(h),
            torch.empty_like(c), x.new_empty((), dtype=torch.int64))


@torch.library.custom_op("kfront::lstm_layer_backward", mutates_args=())
def _lstm_layer_backward(x: Tensor, w_ih: Tensor, w_hh: Tensor, b_ih: Tensor, b_hh: Tensor,
                         h: Tensor, c: Tensor, y: Tensor, hy: Tensor, cy: Tensor,
                         token: Tensor, gy: Tensor, ghy: Tensor, gcy: Tensor
                         ) -> tuple[Tensor, Tensor, Tensor, Tensor, Tensor, Tensor, Tensor]:
    workspace = _WORKSPACES.pop(int(token), None)
    if workspace is None:
        y, hy, cy, workspace = _forward(x, w_ih, w_hh, b_ih, b_hh, h, c)
    grads = torch.ops.aten.mkldnn_rnn_layer_backward.default(
        x, w_ih, w_hh, b_ih, b_hh, h, c, y, hy, cy, gy, ghy, gcy, False, _LSTM_MODE,
        h.shape[-1], 1, True, True, False, [], False, workspace)
    # Fresh tensors: an operator's outputs may not alias its inputs.
    return tuple(g.clone() if g is gy or g is ghy or g is gcy else g for g in grads)


@_lstm_layer_backward.register_fake
def _(x, w_ih, w_hh, b_ih, b_hh, h, c, y, hy, cy, token, gy, ghy, gcy):
    return tuple(torch.empty_like(t) for t in (x, w_ih, w_hh, b_ih, b_hh, h, c))


def _save(ctx, inputs, output):
    ctx.save_for_backward(*inputs, *output)


def _backward(ctx, gy, ghy, gcy, _):
    x, w_ih, w_hh, b_ih, b_hh, h, c, y, hy, cy, token = ctx.saved_tensors
    return _lstm_layer_backward(x, w_ih, w_hh, b_ih, b_hh, h, c, y, hy, cy, token,
                                gy.contiguous(), ghy.contiguous(), gcy.contiguous())


_lstm_layer.register_autograd(_backward, setup_context=_save)


def lstm_layer(x, w_ih, w_hh, b_ih, b_hh, h, c):
    """One LSTM layer through oneDNN, differentiable inside compiled graphs.

    ``x`` (time, batch, features); weights in torch's layout (``w_ih`` (4u, features),
    ``w_hh`` (4u, u), biases (4u,)); ``h``, ``c`` (1, batch, u). Returns ``(outputs, h_n,
    c_n)`` like ``torch.lstm`` (time-major outputs).
    """
    y, hy, cy, _ = _lstm_layer(x.contiguous(), w_ih, w_hh, b_ih, b_hh, h.contiguous(),
                               c.contiguous())
    return y, hy, cy
