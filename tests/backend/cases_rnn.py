"""Conformance cases for ``contract.RNN_OPS``: ``rnn`` with a linear step, against NumPy.

The step is ``h_t = 0.5 * h_{t-1} + x_t @ W`` with output ``2 * h_t``, so every case
also checks that states and outputs are threaded separately.
"""
import numpy as np

import kfront.ops as ops
from cases_core import special

f32 = np.float32
_rng = np.random.default_rng(11)
XS = _rng.normal(size=(2, 5, 3)).astype(f32)
WS = _rng.normal(size=(3, 4)).astype(f32)
H0 = _rng.normal(size=(2, 4)).astype(f32)
MASK = np.array([[1, 1, 0, 1, 0], [0, 1, 1, 1, 1]], bool)


def _step(x, states):
    h = 0.5 * states[0] + ops.matmul(x, ops.convert_to_tensor(WS))
    return 2.0 * h, [h]


def _reference(go_backwards=False, mask=None, zero_output=False):
    xs = XS[:, ::-1] if go_backwards else XS
    m = None if mask is None else (mask[:, ::-1] if go_backwards else mask)
    h = H0.astype(np.float64)
    prev = np.zeros((2, 4))
    outs = []
    for t in range(xs.shape[1]):
        new_h = 0.5 * h + xs[:, t].astype(np.float64) @ WS
        out = 2.0 * new_h
        if m is not None:
            keep = m[:, t][:, None]
            out = np.where(keep, out, 0.0 if zero_output else prev)
            new_h = np.where(keep, new_h, h)
        h, prev = new_h, out
        outs.append(out)
    return [prev.astype(f32), np.stack(outs, 1).astype(f32), h.astype(f32)]


def _run(**kwargs):
    def call():
        mask = kwargs.get("mask")
        last, outputs, states = ops.rnn(
            _step, ops.convert_to_tensor(XS), [ops.convert_to_tensor(H0)],
            go_backwards=kwargs.get("go_backwards", False),
            mask=None if mask is None else ops.convert_to_tensor(mask),
            zero_output_for_mask=kwargs.get("zero_output", False))
        return [last, outputs, states[0]]
    return call


def _case(label, **kwargs):
    return special("rnn", label, _run(**kwargs), _reference(**kwargs), out_dtype="float32",
                   rtol=1e-5, atol=1e-5)


CASES = [
    _case("forward"),
    _case("go_backwards", go_backwards=True),
    _case("mask", mask=MASK),
    _case("mask_backwards", mask=MASK, go_backwards=True),
    _case("mask_zero_output", mask=MASK, zero_output=True),
]
