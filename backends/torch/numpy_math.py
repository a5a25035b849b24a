"""Elementwise math, comparisons, reductions, NaN-aware and bitwise ops (keras.ops.numpy) on torch.

torch's type promotion matches Keras's for tensors; Python numbers are typed weakly (they
take the tensor's dtype, a float next to an integer tensor gives floatx). Integer inputs to
float functions give floatx; integer sums keep int32 (torch would widen to int64).
"""
import math

import torch

from kfront.backend.contract import NUMPY_MATH_OPS
from kfront.backend import numpy_math_args as args
from kfront.backends.torch.core import (DEVICE, as_tensor, dtype_name, floatx_dtype,
                                        to_torch_dtype)
from kfront.backends.torch.numpy import _SUM_DTYPES, _floating, _is_number, prod

__all__ = list(NUMPY_MATH_OPS)  # the contract's family, in its order

_t = as_tensor
_f = _floating


def _is_inexact(dt):
    return dt.is_floating_point or dt.is_complex


def _scalar_dtype(value, other):
    """The dtype a Python number takes next to a tensor of dtype ``other``."""
    if isinstance(value, float) and not _is_inexact(other):
        return floatx_dtype()
    if isinstance(value, int) and not isinstance(value, bool) and other == torch.bool:
        return torch.int32
    return other


def _binary(x1, x2, floating=False):
    """Two tensors of one dtype (Keras promotion; Python numbers weakly typed). With
    ``floating``, integer results become floatx."""
    n1, n2 = _is_number(x1), _is_number(x2)
    if n1 and n2:
        x1, n1 = _t(x1), False
    if not n1:
        x1 = _t(x1)
    if not n2:
        x2 = _t(x2)
    if n2 and not n1:
        x2 = torch.tensor(x2, dtype=_scalar_dtype(x2, x1.dtype), device=x1.device)
    elif n1:
        x1 = torch.tensor(x1, dtype=_scalar_dtype(x1, x2.dtype), device=x2.device)
    dt = torch.promote_types(x1.dtype, x2.dtype)
    if floating and not _is_inexact(dt):
        dt = floatx_dtype()
    return (x1 if x1.dtype == dt else x1.to(dt)), (x2 if x2.dtype == dt else x2.to(dt))


def _ints(op, x1, x2=None, allow_bool=True):
    """Tensors of one integer (or bool) dtype, or a clear TypeError."""
    if x2 is None:
        x1 = _t(x1)
        args.check_integer(op, "x", dtype_name(x1.dtype))
        return x1
    x1, x2 = _binary(x1, x2)
    args.check_integer(op, "x1", dtype_name(x1.dtype), allow_bool)
    return x1, x2


def _shift_operands(op, x, y):
    # Shifted bools count as int32 (as in JAX); torch has no bool shift kernel.
    x, y = _ints(op, x, y)
    return (x.to(torch.int32), y.to(torch.int32)) if x.dtype == torch.bool else (x, y)


def _dims(axis, ndim):
    """``axis`` as a tuple of non-negative ints (all axes for None)."""
    if axis is None:
        return tuple(range(ndim))
    if isinstance(axis, int):
        axis = (axis,)
    return tuple(a % ndim for a in axis)


def _to_last(x, axis):
    """``x`` with the axes of ``axis`` flattened into one trailing axis, and the shape the
    reduced result has with ``keepdims``."""
    dims = _dims(axis, x.ndim)
    kept = [d for d in range(x.ndim) if d not in dims]
    keep_shape = tuple(1 if d in dims else x.shape[d] for d in range(x.ndim))
    x = x.permute(*kept, *dims).reshape(*(x.shape[d] for d in kept), -1)
    return x, keep_shape


# ---- elementwise, floating results ------------------------------------------------------

def angle(x):
    return torch.angle(_f(x))


def arccos(x):
    return torch.acos(_f(x))


def arccosh(x):
    return torch.acosh(_f(x))


def arcsin(x):
    return torch.asin(_f(x))


def arcsinh(x):
    return torch.asinh(_f(x))


def arctanh(x):
    return torch.atanh(_f(x))


def cbrt(x):
    x = _f(x)
    return torch.sign(x) * torch.pow(torch.abs(x), 1.0 / 3.0)


def deg2rad(x):
    return torch.deg2rad(_f(x))


def rad2deg(x):
    return torch.rad2deg(_f(x))


def exp2(x):
    return torch.exp2(_f(x))


def fabs(x):
    return torch.abs(_f(x))


def i0(x):
    return torch.special.i0(_f(x))


def log10(x):
    return torch.log10(_f(x))


def log2(x):
    return torch.log2(_f(x))


def reciprocal(x):
    return torch.reciprocal(_f(x))


def sinc(x):
    return torch.sinc(_f(x))


def arctan2(x1, x2):
    return torch.atan2(*_binary(x1, x2, floating=True))


def hypot(x1, x2):
    return torch.hypot(*_binary(x1, x2, floating=True))


def logaddexp(x1, x2):
    return torch.logaddexp(*_binary(x1, x2, floating=True))


def logaddexp2(x1, x2):
    return torch.logaddexp2(*_binary(x1, x2, floating=True))


def nextafter(x1, x2):
    return torch.nextafter(*_binary(x1, x2, floating=True))


def heaviside(x1, x2):
    return torch.heaviside(*_binary(x1, x2, floating=True))


def divide_no_nan(x1, x2):
    x1, x2 = _binary(x1, x2, floating=True)
    zero = x2 == 0
    return torch.where(zero, torch.zeros_like(x1), x1 / torch.where(zero, 1, x2))


def ldexp(x1, x2):
    if not _is_number(x2):
        x2 = _t(x2)
        args.check_integer("ldexp", "x2", dtype_name(x2.dtype))
    elif not isinstance(x2, int):
        args.check_integer("ldexp", "x2", type(x2).__name__)
    x1 = _f(x1)
    return x1 * torch.pow(2.0, _t(x2).to(x1.dtype))


# ---- elementwise, dtype kept -------------------------------------------------------------

def conjugate(x):
    x = _t(x)
    return torch.conj_physical(x) if x.is_complex() else x


def real(x):
    x = _t(x)
    return torch.real(x) if x.is_complex() else x


def imag(x):
    x = _t(x)
    return torch.imag(x) if x.is_complex() else torch.zeros_like(x)


def trunc(x):
    x = _t(x)
    return torch.trunc(x) if x.is_floating_point() else x


def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    x = _t(x)
    if not x.is_floating_point():
        return x
    return torch.nan_to_num(x, nan=nan, posinf=posinf, neginf=neginf)


def fmax(x1, x2):
    return torch.fmax(*_binary(x1, x2))


def fmin(x1, x2):
    return torch.fmin(*_binary(x1, x2))


def fmod(x1, x2):
    x1, x2 = _binary(x1, x2)
    if x1.dtype == torch.bool:
        x1, x2 = x1.to(torch.int32), x2.to(torch.int32)
    return torch.fmod(x1, x2)


def gcd(x1, x2):
    return torch.gcd(*_ints("gcd", x1, x2, allow_bool=False))


def lcm(x1, x2):
    return torch.abs(torch.lcm(*_ints("lcm", x1, x2, allow_bool=False)))


# ---- predicates --------------------------------------------------------------------------

def isclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    x1, x2 = _binary(x1, x2)
    return torch.isclose(x1, x2, rtol=rtol, atol=atol, equal_nan=equal_nan)


def allclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    return torch.all(isclose(x1, x2, rtol, atol, equal_nan))


def isin(x1, x2, assume_unique=False, invert=False):
    x1, x2 = _binary(x1, x2)
    if x1.dtype == torch.bool:
        x1, x2 = x1.to(torch.uint8), x2.to(torch.uint8)
    return torch.isin(x1, x2, assume_unique=assume_unique, invert=invert)


def isneginf(x):
    return torch.isneginf(_t(x))


def isposinf(x):
    return torch.isposinf(_t(x))


def isreal(x):
    return torch.isreal(_t(x))


def signbit(x):
    return torch.signbit(_t(x))


def logical_xor(x1, x2):
    return torch.logical_xor(_t(x1), _t(x2))


# ---- bitwise -----------------------------------------------------------------------------

def bitwise_and(x, y):
    return torch.bitwise_and(*_ints("bitwise_and", x, y))


def bitwise_or(x, y):
    return torch.bitwise_or(*_ints("bitwise_or", x, y))


def bitwise_xor(x, y):
    return torch.bitwise_xor(*_ints("bitwise_xor", x, y))


def bitwise_invert(x):
    return torch.bitwise_not(_ints("bitwise_invert", x))


def bitwise_left_shift(x, y):
    return torch.bitwise_left_shift(*_shift_operands("bitwise_left_shift", x, y))


def bitwise_right_shift(x, y):
    return torch.bitwise_right_shift(*_shift_operands("bitwise_right_shift", x, y))


# ---- products ----------------------------------------------------------------------------

def inner(x1, x2):
    x1, x2 = _binary(x1, x2)
    if x1.ndim == 0 or x2.ndim == 0:
        return x1 * x2
    if x1.dtype == torch.bool:
        return torch.inner(x1.to(torch.int32), x2.to(torch.int32)) != 0
    return torch.inner(x1, x2)


def vdot(x1, x2):
    x1, x2 = _binary(x1, x2)
    return torch.sum(conjugate(x1).reshape(-1) * x2.reshape(-1), dtype=x1.dtype)


def kron(x1, x2):
    return torch.kron(*_binary(x1, x2))


def cross(x1, x2, axisa=-1, axisb=-1, axisc=-1, axis=None):
    x1, x2 = _binary(x1, x2)
    if axis is not None:
        axisa = axisb = axisc = axis
    x1, x2 = torch.movedim(x1, axisa, -1), torch.movedim(x2, axisb, -1)
    n1, n2 = x1.shape[-1], x2.shape[-1]
    args.check_vector_size("cross", n1, (2, 3))
    args.check_vector_size("cross", n2, (2, 3))
    if n1 == 2 and n2 == 2:
        # Two 2-vectors: NumPy returns the z component alone.
        return x1[..., 0] * x2[..., 1] - x1[..., 1] * x2[..., 0]
    x1 = torch.nn.functional.pad(x1, (0, 3 - n1))
    x2 = torch.nn.functional.pad(x2, (0, 3 - n2))
    x1, x2 = torch.broadcast_tensors(x1, x2)
    out = torch.stack([x1[..., 1] * x2[..., 2] - x1[..., 2] * x2[..., 1],
                       x1[..., 2] * x2[..., 0] - x1[..., 0] * x2[..., 2],
                       x1[..., 0] * x2[..., 1] - x1[..., 1] * x2[..., 0]], dim=-1)
    return torch.movedim(out, -1, axisc)


def correlate(x1, x2, mode="valid"):
    x1, x2 = _binary(x1, x2, floating=True)
    m, n = x1.shape[0], x2.shape[0]
    start, length = args.correlate_window(mode, m, n)
    full = torch.nn.functional.conv1d(x1.reshape(1, 1, m), conjugate(x2).reshape(1, 1, n),
                                      padding=n - 1).reshape(-1)
    return full[start:start + length]


# ---- reductions and scans ----------------------------------------------------------------

def _scan(fn, x, axis, dtype):
    if axis is None:
        x, axis = x.reshape(-1), 0
    if dtype is None:
        dtype = torch.int32 if x.dtype == torch.bool else x.dtype
    else:
        dtype = to_torch_dtype(dtype)
    return fn(x, dim=axis, dtype=dtype)


def cumprod(x, axis=None, dtype=None):
    return _scan(torch.cumprod, _t(x), axis, dtype)


def nancumprod(x, axis=None, dtype=None):
    x = _t(x)
    if x.is_floating_point():
        x = torch.where(torch.isnan(x), 1, x)
    return _scan(torch.cumprod, x, axis, dtype)


def nancumsum(x, axis=None, dtype=None):
    x = _t(x)
    if x.is_floating_point():
        x = torch.where(torch.isnan(x), 0, x)
    return _scan(torch.cumsum, x, axis, dtype)


def diff(a, n=1, axis=-1):
    a = _t(a)
    return a if n == 0 else torch.diff(a, n=n, dim=axis)


def _sum(x, axis, keepdims):
    dt = _SUM_DTYPES.get(x.dtype, x.dtype)
    if axis == ():
        return x.to(dt)
    return torch.sum(x, dim=_dims(axis, x.ndim), keepdim=keepdims, dtype=dt)


def ptp(x, axis=None, keepdims=False):
    x = _t(x)
    dims = _dims(axis, x.ndim)
    return (torch.amax(x, dim=dims, keepdim=keepdims)
            - torch.amin(x, dim=dims, keepdim=keepdims))


def trace(x, offset=0, axis1=0, axis2=1):
    x = _t(x)
    return _sum(torch.diagonal(x, offset=offset, dim1=axis1, dim2=axis2), -1, False)


def average(x, axis=None, weights=None):
    x = _t(x)
    if weights is None:
        x = _f(x)
        return torch.mean(x, dim=_dims(axis, x.ndim))
    x, weights = _binary(x, weights, floating=True)
    if axis is not None and weights.ndim == 1 and x.ndim > 1:
        # One weight per position along ``axis``.
        shape = [1] * x.ndim
        shape[_dims(axis, x.ndim)[0]] = -1
        weights = weights.reshape(shape)
    dims = _dims(axis, x.ndim)
    weights = torch.broadcast_to(weights, x.shape)
    return torch.sum(x * weights, dim=dims) / torch.sum(weights, dim=dims)


def _without_nan(x, fill):
    return torch.where(torch.isnan(x), fill, x) if x.is_floating_point() else x


def nansum(x, axis=None, keepdims=False):
    return _sum(_without_nan(_t(x), 0), axis, keepdims)


def nanprod(x, axis=None, keepdims=False):
    return prod(_without_nan(_t(x), 1), axis=axis, keepdims=keepdims)


def _nan_extreme(fn, fill, x, axis, keepdims):
    x = _t(x)
    dims = _dims(axis, x.ndim)
    if not x.is_floating_point():
        return fn(x, dim=dims, keepdim=keepdims)
    nans = torch.isnan(x)
    out = fn(torch.where(nans, fill, x), dim=dims, keepdim=keepdims)
    # A slice of NaNs alone gives NaN, as NumPy's does.
    return torch.where(torch.all(nans, dim=dims, keepdim=keepdims), math.nan, out)


def nanmax(x, axis=None, keepdims=False):
    return _nan_extreme(torch.amax, -math.inf, x, axis, keepdims)


def nanmin(x, axis=None, keepdims=False):
    return _nan_extreme(torch.amin, math.inf, x, axis, keepdims)


def nanmean(x, axis=None, keepdims=False):
    x = _f(x)
    return torch.nanmean(x, dim=_dims(axis, x.ndim), keepdim=keepdims)


def nanvar(x, axis=None, keepdims=False):
    x = _f(x)
    dims = _dims(axis, x.ndim)
    keep = ~torch.isnan(x)
    count = torch.sum(keep, dim=dims, keepdim=True).to(x.dtype)
    mean = torch.sum(torch.where(keep, x, 0), dim=dims, keepdim=True) / count
    var = torch.sum(torch.where(keep, torch.square(x - mean), 0), dim=dims, keepdim=True) / count
    return var if keepdims else var.squeeze(dims)


def nanstd(x, axis=None, keepdims=False):
    return torch.sqrt(nanvar(x, axis, keepdims))


def _nan_arg(fn, fill, x, axis, keepdims):
    x = _t(x)
    if x.is_floating_point():
        x = torch.where(torch.isnan(x), fill, x)
    elif x.dtype == torch.bool:
        x = x.to(torch.uint8)
    if axis is None:
        out = fn(x.reshape(-1))
        return (out.reshape((1,) * x.ndim) if keepdims else out).to(torch.int32)
    return fn(x, dim=axis, keepdim=keepdims).to(torch.int32)


def nanargmax(x, axis=None, keepdims=False):
    return _nan_arg(torch.argmax, -math.inf, x, axis, keepdims)


def nanargmin(x, axis=None, keepdims=False):
    return _nan_arg(torch.argmin, math.inf, x, axis, keepdims)


def _quantile(fn, op, x, q, axis, method, keepdims):
    args.check_quantile_method(op, method)
    x = _f(x)
    dt = x.dtype
    if dt not in (torch.float32, torch.float64):
        x = x.float()  # torch's quantile kernels take float32 and float64 only
    q = _t(q).to(x.dtype)
    flat, keep_shape = _to_last(x, axis)
    out = fn(flat, q, dim=-1, interpolation=method)
    if keepdims:
        out = out.reshape(q.shape + keep_shape)
    return out.to(dt)


def quantile(x, q, axis=None, method="linear", keepdims=False):
    return _quantile(torch.quantile, "quantile", x, q, axis, method, keepdims)


def nanquantile(x, q, axis=None, method="linear", keepdims=False):
    return _quantile(torch.nanquantile, "nanquantile", x, q, axis, method, keepdims)


def median(x, axis=None, keepdims=False):
    return quantile(x, 0.5, axis=axis, keepdims=keepdims)


def nanmedian(x, axis=None, keepdims=False):
    return nanquantile(x, 0.5, axis=axis, keepdims=keepdims)


def trapezoid(y, x=None, dx=1.0, axis=-1):
    y = _f(y)
    if x is None:
        return torch.trapezoid(y, dx=dx, dim=axis)
    return torch.trapezoid(y, x=_t(x).to(y.dtype), dim=axis)


def corrcoef(x):
    return torch.corrcoef(_f(x))


# ---- counting ----------------------------------------------------------------------------

def bincount(x, weights=None, minlength=0, sparse=False):
    x = _t(x)
    args.check_bincount(sparse, x.ndim, minlength)
    length = max(int(x.max()) + 1 if x.numel() else 0, minlength)
    out_dtype = torch.int32
    if weights is not None:
        weights = _t(weights)
        out_dtype = torch.promote_types(x.dtype, weights.dtype)
        weights = weights.reshape(-1).to(out_dtype)
    flat = x.reshape(-1).long()
    if x.ndim == 2:
        # Each row counts into its own block of ``length`` bins.
        rows = torch.arange(x.shape[0], device=x.device).repeat_interleave(x.shape[1])
        flat = flat + rows * length
    out = torch.bincount(flat, weights=weights, minlength=length * (x.shape[0] if x.ndim == 2
                                                                   else 1))
    return out.reshape(x.shape[:-1] + (length,)).to(out_dtype)


def digitize(x, bins):
    x, bins = _binary(x, bins)
    return torch.bucketize(x, bins, out_int32=True, right=True)


def histogram(x, bins=10, range=None):
    args.check_histogram(bins, range)
    x = _f(x)
    if x.ndim != 1:
        raise ValueError(f"histogram: `x` must be 1D. Received: x of shape {tuple(x.shape)}")
    if range is None:
        lo, hi = (x.min(), x.max()) if x.numel() else (0.0, 1.0)
        lo, hi = float(lo), float(hi)
    else:
        lo, hi = float(range[0]), float(range[1])
    if lo == hi:
        lo, hi = lo - 0.5, hi + 0.5
    edges = torch.linspace(lo, hi, bins + 1, dtype=x.dtype, device=DEVICE)
    # Bins are half-open [e_i, e_i+1) except the last, which also takes its right edge.
    index = torch.bucketize(x, edges, right=True) - 1
    index = torch.where(x == edges[-1], bins - 1, index)
    inside = (x >= edges[0]) & (x <= edges[-1])
    counts = torch.bincount(index[inside], minlength=bins)
    return counts.to(torch.int32), edges
