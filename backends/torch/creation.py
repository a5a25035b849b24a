"""Array creation on torch: zeros, ones, full, arange, eye, linspace (NumPy names and
dtype rules: floatx for floats unless a dtype is given)."""
import builtins

import numpy as np
import torch

from kfront.backends.torch.core import (DEVICE, Tensor, convert_to_tensor, floatx_dtype,
                                        to_torch_dtype)
from kfront.backends.torch.numpy import _is_number, _t

__all__ = ["zeros", "ones", "zeros_like", "ones_like", "full", "full_like", "arange", "eye",
           "linspace"]


def _shape(shape):
    if isinstance(shape, int):
        return (shape,)
    # A symbolic size (torch.export tracing a dynamic batch) stays symbolic: int() would
    # pin it to the traced example's size.
    return tuple(d if isinstance(d, torch.SymInt) else int(d) for d in shape)


def _dtype_or_floatx(dtype):
    return floatx_dtype() if dtype is None else to_torch_dtype(dtype)


def zeros(shape, dtype=None):
    return torch.zeros(_shape(shape), dtype=_dtype_or_floatx(dtype), device=DEVICE)


def ones(shape, dtype=None):
    return torch.ones(_shape(shape), dtype=_dtype_or_floatx(dtype), device=DEVICE)


def zeros_like(x, dtype=None):
    x = _t(x)
    return torch.zeros_like(x, dtype=None if dtype is None else to_torch_dtype(dtype))


def ones_like(x, dtype=None):
    x = _t(x)
    return torch.ones_like(x, dtype=None if dtype is None else to_torch_dtype(dtype))


def full(shape, fill_value, dtype=None):
    shape = _shape(shape)
    if _is_number(fill_value):
        dt = (convert_to_tensor(fill_value).dtype if dtype is None
              else to_torch_dtype(dtype))
        return torch.full(shape, fill_value, dtype=dt, device=DEVICE)
    fill_value = convert_to_tensor(fill_value, dtype)
    return fill_value.expand(shape).clone()


def full_like(x, fill_value, dtype=None):
    x = _t(x)
    dt = x.dtype if dtype is None else to_torch_dtype(dtype)
    if _is_number(fill_value):
        return torch.full_like(x, fill_value, dtype=dt)
    return convert_to_tensor(fill_value, dt).expand(x.shape).clone()


def _number(v):
    return v.item() if isinstance(v, (Tensor, np.ndarray, np.generic)) else v


def arange(start, stop=None, step=None, dtype=None):
    start, stop, step = _number(start), _number(stop), _number(step)
    if stop is None:
        start, stop = 0, start
    if step is None:
        step = 1
    if dtype is None:
        if builtins.any(isinstance(v, float) for v in (start, stop, step)):
            dt = floatx_dtype()
        else:
            dt = torch.int32
    else:
        dt = to_torch_dtype(dtype)
    return torch.arange(start, stop, step, dtype=dt, device=DEVICE)


def eye(N, M=None, k=0, dtype=None):
    M = N if M is None else M
    dt = _dtype_or_floatx(dtype)
    if k == 0:
        return torch.eye(N, M, dtype=dt, device=DEVICE)
    rows = torch.arange(N, device=DEVICE).unsqueeze(1)
    cols = torch.arange(M, device=DEVICE)
    return (cols - rows == k).to(dt)


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    dt = _dtype_or_floatx(dtype)
    # Computed in float64, as NumPy does, then cast.
    start = convert_to_tensor(start, "float64")
    stop = convert_to_tensor(stop, "float64")
    div = (num - 1) if endpoint else num
    steps = torch.arange(num, dtype=torch.float64, device=DEVICE)
    step = (stop - start) / div if div > 0 else torch.full_like(stop - start, float("nan"))
    shape = (num,) + (1,) * builtins.max(start.ndim, stop.ndim)
    out = start + steps.reshape(shape) * (step if div > 0 else 0.0)
    if endpoint and num > 1:
        out[-1] = stop
    if axis != 0:
        out = torch.movedim(out, 0, axis)
    if not (dt.is_floating_point or dt.is_complex):
        out = torch.floor(out)
    out = out.to(dt)
    if retstep:
        return out, step.to(dt) if dt.is_floating_point else step
    return out
