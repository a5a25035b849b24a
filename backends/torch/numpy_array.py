"""Shape manipulation, indexing, creation, sorting, searching and set ops (keras.ops.numpy) on torch."""
import numpy as np
import torch

from kfront.backend import array_args as _args
from kfront.backend.contract import NUMPY_ARRAY_OPS
from kfront.backends.torch.core import (DEVICE, Tensor, as_tensor, convert_to_tensor,
                                        floatx_dtype, to_torch_dtype)
from kfront.backends.torch.creation import linspace
from kfront.backends.torch.numpy import _promote

__all__ = list(NUMPY_ARRAY_OPS)  # the contract's family, in its order

_t = as_tensor


def _shape(shape):
    return (int(shape),) if isinstance(shape, (int, np.integer)) else tuple(int(d) for d in shape)


def argpartition(x, kth, axis=-1):
    """Indices that partition ``x`` around its ``kth`` smallest entry along ``axis`` (int32).

    torch has no selection kernel; a stable argsort is one valid partition order."""
    x = _t(x)
    if axis is None:
        x, axis = x.reshape(-1), 0
    n = x.shape[axis]
    _args.check_kth(kth, n)
    if x.dtype == torch.bool:
        x = x.to(torch.uint8)
    return torch.argsort(x, dim=axis, stable=True).to(torch.int32)


def copy(x):
    return torch.clone(_t(x))


def diag(x, k=0):
    x = _t(x)
    _args.check_diag_rank(x.shape)
    return torch.diag(x, diagonal=k)


def diagonal(x, offset=0, axis1=0, axis2=1):
    x = _t(x)
    _args.check_matrix("diagonal", x.shape)
    return torch.diagonal(x, offset=offset, dim1=axis1, dim2=axis2)


def empty(shape, dtype=None):
    dt = floatx_dtype() if dtype is None else to_torch_dtype(dtype)
    return torch.empty(_shape(shape), dtype=dt, device=DEVICE)


def empty_like(x, dtype=None):
    x = _t(x)
    return torch.empty_like(x, dtype=x.dtype if dtype is None else to_torch_dtype(dtype))


def _log_grid(start, stop, num, endpoint, axis):
    # linspace computes in float64; keeping float64 for the power loses no precision.
    return linspace(start, stop, num, endpoint=endpoint, dtype="float64", axis=axis)


def logspace(start, stop, num=50, endpoint=True, base=10, dtype=None, axis=0):
    dt = floatx_dtype() if dtype is None else to_torch_dtype(dtype)
    base = convert_to_tensor(base, "float64")
    return torch.pow(base, _log_grid(start, stop, num, endpoint, axis)).to(dt)


def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0):
    dt = floatx_dtype() if dtype is None else to_torch_dtype(dtype)
    start = convert_to_tensor(start, "float64")
    stop = convert_to_tensor(stop, "float64")
    if bool((start == 0).any()) or bool((stop == 0).any()):
        raise ValueError("geomspace: a geometric sequence cannot include zero; received "
                         f"start={start.tolist()}, stop={stop.tolist()}.")
    grid = _log_grid(torch.log10(start.abs()), torch.log10(stop.abs()), num, endpoint, axis)
    return (torch.pow(10.0, grid) * torch.sign(start)).to(dt)


def _index_key(key):
    """NumPy arrays and lists inside an index become torch index tensors."""
    if isinstance(key, tuple):
        key = tuple(_index_key(k) for k in key)
        if any(isinstance(k, Tensor) and k.ndim for k in key):
            # NumPy counts integers beside an index array as advanced indices (torch does
            # not), which moves the indexed axes first when a slice separates them.
            key = tuple(torch.tensor([int(k)], device=DEVICE) if isinstance(k, (int, np.integer))
                        and not isinstance(k, bool) else k for k in key)
        return key
    if isinstance(key, (np.ndarray, list)):
        key = convert_to_tensor(key)
    if isinstance(key, Tensor) and key.dtype not in (torch.bool, torch.int64) and key.ndim:
        key = key.to(torch.int64)
    return key


def _width(k):
    """How many axes of the indexed tensor one key item consumes."""
    if k is None:
        return 0
    if isinstance(k, Tensor) and k.dtype == torch.bool:
        return k.ndim
    return 1


def _without_negative_steps(x, key):
    """``x`` and ``key`` rewritten so that no slice steps backwards (torch refuses those):
    such an axis is flipped and its slice mirrored."""
    items = key if isinstance(key, tuple) else (key,)
    if not any(isinstance(k, slice) and k.step is not None and k.step < 0 for k in items):
        return x, key
    consumed = sum(_width(k) for k in items if k is not Ellipsis)
    axis, flips, mirrored = 0, [], []
    for k in items:
        if k is Ellipsis:
            axis += x.ndim - consumed
        elif isinstance(k, slice) and k.step is not None and k.step < 0:
            n = x.shape[axis]
            start, stop, step = k.indices(n)
            k = slice(n - 1 - start, n - 1 - stop, -step)
            flips.append(axis)
        mirrored.append(k)
        axis += 0 if k is Ellipsis else _width(k)
    return torch.flip(x, flips), tuple(mirrored)


def get_item(x, key):
    """``x[key]`` with NumPy's indexing rules (ints, slices with any step, None, Ellipsis,
    index arrays, boolean masks)."""
    x, key = _without_negative_steps(_t(x), _index_key(key))
    return x[key]


def nonzero(x):
    return tuple(i.to(torch.int32) for i in torch.nonzero(_t(x), as_tuple=True))


def roll(x, shift, axis=None):
    x = _t(x)
    shift = tuple(int(s) for s in shift) if isinstance(shift, (list, tuple)) else int(shift)
    if axis is None:
        return torch.roll(x.reshape(-1), shift).reshape(x.shape)
    return torch.roll(x, shift, dims=tuple(axis) if isinstance(axis, list) else axis)


def searchsorted(sorted_sequence, values, side="left"):
    """Insertion points (int32) of ``values`` into the 1-D ``sorted_sequence``."""
    seq = _t(sorted_sequence)
    _args.check_searchsorted(side, seq.shape)
    values = _t(values)
    seq, values = _promote(seq, values)
    out = torch.searchsorted(seq, values.reshape(-1).contiguous(), side=side, out_int32=True)
    return out.reshape(values.shape)


def tril(x, k=0):
    x = _t(x)
    _args.check_matrix("tril", x.shape)
    return torch.tril(x, diagonal=int(k))


def triu(x, k=0):
    x = _t(x)
    _args.check_matrix("triu", x.shape)
    return torch.triu(x, diagonal=int(k))


def unstack(x, num=None, axis=0):
    x = _t(x)
    _args.check_unstack_num(num, tuple(x.shape), axis)
    return list(torch.unbind(x, dim=axis))


def view(x, dtype=None):
    """The bytes of ``x`` read as ``dtype``; the last axis scales by the itemsize ratio."""
    x = _t(x)
    new = x.dtype if dtype is None else to_torch_dtype(dtype)
    old_size, new_size = x.dtype.itemsize, new.itemsize
    if old_size != new_size and (x.ndim == 0 or (x.shape[-1] * old_size) % new_size):
        raise ValueError(f"view: cannot view a tensor of shape {tuple(x.shape)} and dtype "
                         f"{str(x.dtype)[6:]} as {str(new)[6:]}: the last axis must hold a "
                         "whole number of the new items.")
    return x.view(new)


def _resize(t, dim, size, fill):
    """``t`` cut or padded with ``fill`` to ``size`` entries along ``dim``."""
    n = t.shape[dim]
    if n >= size:
        return t.narrow(dim, 0, size)
    pad_shape = list(t.shape)
    pad_shape[dim] = size - n
    return torch.cat([t, torch.full(pad_shape, fill, dtype=t.dtype, device=t.device)], dim)


def unique(x, sorted=True, return_index=False, return_inverse=False, return_counts=False,
           axis=None, size=None, fill_value=None):
    """The distinct entries of ``x`` (or distinct slices along ``axis``), sorted, or in
    order of first occurrence with ``sorted=False``. ``size`` cuts or pads the result
    (values with ``fill_value``, default 0; indices with 1 and counts with 0, as Keras
    does). Indices, inverse and counts are int32."""
    x = _t(x)
    work, dim = (x.reshape(-1), 0) if axis is None else (x, axis % x.ndim)
    values, inverse, counts = torch.unique(work, sorted=True, return_inverse=True,
                                           return_counts=True,
                                           dim=None if axis is None else dim)
    n = values.shape[dim]
    positions = torch.arange(work.shape[dim], device=work.device)
    index = torch.zeros(n, dtype=positions.dtype, device=work.device).scatter_reduce_(
        0, inverse, positions, reduce="amin", include_self=False)
    if not sorted:
        order = torch.argsort(index)
        values = values.index_select(dim, order)
        index, counts = index[order], counts[order]
        inverse = torch.argsort(order)[inverse]
    if size is not None:
        values = _resize(values, dim, size, 0 if fill_value is None else fill_value)
        index, counts = _resize(index, 0, size, 1), _resize(counts, 0, size, 0)
    if axis is None:
        inverse = inverse.reshape(x.shape)
    out = [values]
    if return_index:
        out.append(index.to(torch.int32))
    if return_inverse:
        out.append(inverse.to(torch.int32))
    if return_counts:
        out.append(counts.to(torch.int32))
    return out[0] if len(out) == 1 else tuple(out)
