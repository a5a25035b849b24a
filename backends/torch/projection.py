"""Einsum projections on torch as one flat ``mm``/``addmm``.

``x @ w`` where the trailing axes of ``x`` contract with the leading axes of ``w``
(``"abc,cde->abde"``, ``"...b,bc->...c"``): the products of Dense, EinsumDense and attention
projections. torch.einsum lowers these to a batched matmul with a batch of one, and a bias
would be a separate pass over the output (and its gradient another).
"""
import builtins
import functools
import math

import torch

__all__ = ["projection"]


@functools.lru_cache(maxsize=256)
def _projection_split(subscripts, x_ndim, w_ndim):
    """(number of contracted axes, number of kernel output axes) when ``subscripts`` maps
    ``x`` and ``w`` as a projection: the trailing axes of ``x`` contract with the leading
    axes of ``w`` in the same order, and the output is the rest of ``x`` then the rest of
    ``w`` (``"abc,cde->abde"``, ``"abcd,cde->abe"``, ``"...b,bc->...c"``). None otherwise."""
    inputs, arrow, out = subscripts.replace(" ", "").partition("->")
    xs, comma, ws = inputs.partition(",")
    if not arrow or not comma or "," in ws or "." in ws:
        return None
    if xs.startswith("...") and out.startswith("..."):
        # A leading ellipsis passes through untouched, as free axes do.
        xs, out = xs[3:], out[3:]
        if x_ndim < len(xs):
            return None
    elif len(xs) != x_ndim:
        return None
    if "." in xs or "." in out or len(ws) != w_ndim or not (xs + ws).isalpha():
        return None
    if len(set(xs)) != len(xs) or len(set(ws)) != len(ws):
        return None
    k = len(set(xs) & set(ws))
    if k == 0 or xs[len(xs) - k:] != ws[:k] or out != xs[:len(xs) - k] + ws[k:]:
        return None
    return k, len(ws) - k


def projection(subscripts, x, w, bias=None):
    """``einsum(subscripts, x, w) + bias`` as one flat ``mm``/``addmm`` when the equation is
    a projection (see ``_projection_split``) of floating tensors of one dtype and ``bias``
    broadcasts over the kernel's output axes alone; None when it is not such a case.

    torch.einsum lowers these equations to a batched matmul with a batch of one, and the
    bias would be a separate pass over the output (and its gradient another)."""
    if not x.is_floating_point() or w.dtype != x.dtype:
        return None
    x_ndim, w_ndim = x.ndim, w.ndim
    split = _projection_split(subscripts, x_ndim, w_ndim)
    if split is None:
        return None
    k = split[0]
    if x_ndim == 2 and w_ndim == 2 and k == 1:
        # A plain Dense on a batch of vectors, with no reshapes (each is a dispatch). mm and
        # addmm check the sizes and dtypes themselves, and addmm broadcasts the bias as
        # the add it replaces would: a refusal leaves the case to einsum then add, which
        # promote or give the error. (Checking here as well showed in one-sample predict.)
        try:
            return torch.mm(x, w) if bias is None else torch.addmm(bias, x, w)
        except RuntimeError:
            return None
    if tuple(x.shape[x.ndim - k:]) != tuple(w.shape[:k]):
        return None
    free, out_shape = tuple(x.shape[:x.ndim - k]), tuple(w.shape[k:])
    rows, depth, cols = math.prod(free), math.prod(w.shape[:k]), math.prod(out_shape)
    x2, w2 = x.reshape(rows, depth), w.reshape(depth, cols)
    if bias is None:
        flat = torch.mm(x2, w2)
    else:
        # (torch.broadcast_shapes would import sympy on first use: a second of start-up.)
        tail = out_shape[len(out_shape) - bias.ndim:]
        if bias.dtype != x.dtype or bias.ndim > len(out_shape) or \
                builtins.any(b not in (1, d) for b, d in zip(bias.shape, tail)):
            return None
        flat = torch.addmm(torch.broadcast_to(bias, out_shape).reshape(cols), x2, w2)
    return flat.reshape(free + out_shape)
