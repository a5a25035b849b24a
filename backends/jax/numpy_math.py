"""Elementwise math, comparisons, reductions, NaN-aware and bitwise ops (keras.ops.numpy) on JAX.

Most are ``jax.numpy``'s own functions, whose promotion lattice is the one Keras uses; the
work here is Keras's dtype rules (integer inputs to float functions give floatx, cumulative
ops keep small integer dtypes) and its argument checks.
"""
import jax
import jax.numpy as jnp

from kfront.backend.contract import NUMPY_MATH_OPS
from kfront.backend import numpy_math_args as args
from kfront.backends.jax.core import (
    as_tensor as _t,
    axis_arg as _axis,
    convert_to_tensor as _tensor,
    floatx_dtype as _floatx,
    is_float as _is_float,
    to_float as _f,
)

__all__ = list(NUMPY_MATH_OPS)  # the contract's family, in its order


def _fpair(x1, x2):
    """Two operands of which at least one is floating: integer pairs become floatx."""
    x1, x2 = _t(x1), _t(x2)
    if not (_is_float(x1) or _is_float(x2)):
        x1 = _f(x1)
    return x1, x2


def _ints(op, allow_bool=True, **named):
    """The operands as tensors (Python ints stay weak), after checking they are integers."""
    out = []
    for name, x in named.items():
        x = _t(x)
        if not isinstance(x, int):
            args.check_integer(op, name, jnp.dtype(jnp.result_type(x)).name, allow_bool)
        out.append(x)
    return out


def _no_bool(x):
    x = _tensor(x)
    return x.astype(jnp.int32) if x.dtype == jnp.bool_ else x


# ---- elementwise, floating results ------------------------------------------------------

def angle(x):
    return jnp.angle(_f(x))


def arccos(x):
    return jnp.arccos(_f(x))


def arccosh(x):
    return jnp.arccosh(_f(x))


def arcsin(x):
    return jnp.arcsin(_f(x))


def arcsinh(x):
    return jnp.arcsinh(_f(x))


def arctanh(x):
    return jnp.arctanh(_f(x))


def cbrt(x):
    return jnp.cbrt(_f(x))


def deg2rad(x):
    return jnp.deg2rad(_f(x))


def rad2deg(x):
    return jnp.rad2deg(_f(x))


def exp2(x):
    return jnp.exp2(_f(x))


def fabs(x):
    return jnp.abs(_f(x))


def i0(x):
    return jnp.i0(_f(x))


def log10(x):
    return jnp.log10(_f(x))


def log2(x):
    return jnp.log2(_f(x))


def reciprocal(x):
    return jnp.reciprocal(_f(x))


def sinc(x):
    return jnp.sinc(_f(x))


def arctan2(x1, x2):
    return jnp.arctan2(*_fpair(x1, x2))


def hypot(x1, x2):
    return jnp.hypot(*_fpair(x1, x2))


def logaddexp(x1, x2):
    return jnp.logaddexp(*_fpair(x1, x2))


def logaddexp2(x1, x2):
    return jnp.logaddexp2(*_fpair(x1, x2))


def nextafter(x1, x2):
    return jnp.nextafter(*_fpair(x1, x2))


def heaviside(x1, x2):
    return jnp.heaviside(*_fpair(x1, x2))


def divide_no_nan(x1, x2):
    x1, x2 = _fpair(x1, x2)
    zero = x2 == 0
    return jnp.where(zero, 0, jnp.true_divide(x1, jnp.where(zero, 1, x2)))


def ldexp(x1, x2):
    (x2,) = _ints("ldexp", x2=x2)
    x1 = _t(x1)
    if not _is_float(x1):
        x1 = _f(x1)
    return jnp.ldexp(x1, x2)


# ---- elementwise, dtype kept -------------------------------------------------------------

def conjugate(x):
    return jnp.conjugate(_tensor(x))


def real(x):
    return jnp.real(_tensor(x))


def imag(x):
    return jnp.imag(_tensor(x))


def trunc(x):
    x = _tensor(x)
    return x if not jnp.issubdtype(x.dtype, jnp.inexact) else jnp.trunc(x)


def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    return jnp.nan_to_num(_tensor(x), nan=nan, posinf=posinf, neginf=neginf)


def fmax(x1, x2):
    return jnp.fmax(_t(x1), _t(x2))


def fmin(x1, x2):
    return jnp.fmin(_t(x1), _t(x2))


def fmod(x1, x2):
    x1, x2 = _t(x1), _t(x2)
    if isinstance(x1, jax.Array) and x1.dtype == jnp.bool_:
        x1 = x1.astype(jnp.int32)
    if isinstance(x2, jax.Array) and x2.dtype == jnp.bool_:
        x2 = x2.astype(jnp.int32)
    return jnp.fmod(x1, x2)


def gcd(x1, x2):
    return jnp.gcd(*_ints("gcd", False, x1=x1, x2=x2))


def lcm(x1, x2):
    return jnp.lcm(*_ints("lcm", False, x1=x1, x2=x2))


# ---- predicates --------------------------------------------------------------------------

def isclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    return jnp.isclose(_t(x1), _t(x2), rtol=rtol, atol=atol, equal_nan=equal_nan)


def allclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    return jnp.all(isclose(x1, x2, rtol, atol, equal_nan))


def isin(x1, x2, assume_unique=False, invert=False):
    return jnp.isin(_tensor(x1), _tensor(x2), assume_unique=assume_unique, invert=invert)


def isneginf(x):
    return jnp.isneginf(_tensor(x))


def isposinf(x):
    return jnp.isposinf(_tensor(x))


def isreal(x):
    return jnp.isreal(_tensor(x))


def signbit(x):
    return jnp.signbit(_tensor(x))


def logical_xor(x1, x2):
    return jnp.logical_xor(_t(x1), _t(x2))


# ---- bitwise -----------------------------------------------------------------------------

def bitwise_and(x, y):
    return jnp.bitwise_and(*_ints("bitwise_and", x=x, y=y))


def bitwise_or(x, y):
    return jnp.bitwise_or(*_ints("bitwise_or", x=x, y=y))


def bitwise_xor(x, y):
    return jnp.bitwise_xor(*_ints("bitwise_xor", x=x, y=y))


def bitwise_invert(x):
    (x,) = _ints("bitwise_invert", x=_tensor(x))
    return jnp.invert(x)


def bitwise_left_shift(x, y):
    return jnp.left_shift(*_ints("bitwise_left_shift", x=x, y=y))


def bitwise_right_shift(x, y):
    return jnp.right_shift(*_ints("bitwise_right_shift", x=x, y=y))


# ---- products ----------------------------------------------------------------------------

def inner(x1, x2):
    return jnp.inner(_tensor(x1), _tensor(x2))


def vdot(x1, x2):
    return jnp.vdot(_tensor(x1), _tensor(x2))


def kron(x1, x2):
    x1, x2 = _tensor(x1), _tensor(x2)
    if x1.dtype == jnp.bool_ and x2.dtype == jnp.bool_:
        return jnp.kron(x1.astype(jnp.int32), x2.astype(jnp.int32)) != 0
    return jnp.kron(x1, x2)


def cross(x1, x2, axisa=-1, axisb=-1, axisc=-1, axis=None):
    x1, x2 = _tensor(x1), _tensor(x2)
    if axis is not None:
        axisa = axisb = axisc = axis
    args.check_vector_size("cross", x1.shape[axisa], (2, 3))
    args.check_vector_size("cross", x2.shape[axisb], (2, 3))
    return jnp.cross(x1, x2, axisa=axisa, axisb=axisb, axisc=axisc)


def correlate(x1, x2, mode="valid"):
    args.check_correlate_mode(mode)
    x1, x2 = _fpair(_tensor(x1), _tensor(x2))
    return jnp.correlate(x1, x2, mode=mode)


# ---- reductions and scans ----------------------------------------------------------------

def _scan_dtype(x, dtype):
    # NumPy widens small integers in cumulative ops; Keras keeps them (bool becomes int32).
    if dtype is not None:
        return dtype
    return jnp.int32 if x.dtype == jnp.bool_ else x.dtype


def cumprod(x, axis=None, dtype=None):
    x = _tensor(x)
    return jnp.cumprod(x, axis=axis, dtype=_scan_dtype(x, dtype))


def nancumprod(x, axis=None, dtype=None):
    x = _tensor(x)
    return jnp.nancumprod(x, axis=axis, dtype=_scan_dtype(x, dtype))


def nancumsum(x, axis=None, dtype=None):
    x = _tensor(x)
    return jnp.nancumsum(x, axis=axis, dtype=_scan_dtype(x, dtype))


def diff(a, n=1, axis=-1):
    return jnp.diff(_tensor(a), n=n, axis=axis)


def ptp(x, axis=None, keepdims=False):
    return jnp.ptp(_tensor(x), axis=_axis(axis), keepdims=keepdims)


def trace(x, offset=0, axis1=0, axis2=1):
    return jnp.trace(_tensor(x), offset=offset, axis1=axis1, axis2=axis2)


def average(x, axis=None, weights=None):
    x = _tensor(x)
    if weights is None:
        return jnp.mean(_f(x), axis=_axis(axis))
    weights = _tensor(weights)
    dt = jnp.result_type(x.dtype, weights.dtype)
    if not jnp.issubdtype(dt, jnp.inexact):
        dt = _floatx()
    return jnp.average(x.astype(dt), axis=_axis(axis), weights=weights.astype(dt))


def nansum(x, axis=None, keepdims=False):
    return jnp.nansum(_tensor(x), axis=_axis(axis), keepdims=keepdims)


def nanprod(x, axis=None, keepdims=False):
    return jnp.nanprod(_tensor(x), axis=_axis(axis), keepdims=keepdims)


def nanmax(x, axis=None, keepdims=False):
    return jnp.nanmax(_tensor(x), axis=_axis(axis), keepdims=keepdims)


def nanmin(x, axis=None, keepdims=False):
    return jnp.nanmin(_tensor(x), axis=_axis(axis), keepdims=keepdims)


def nanmean(x, axis=None, keepdims=False):
    return jnp.nanmean(_f(x), axis=_axis(axis), keepdims=keepdims)


def nanvar(x, axis=None, keepdims=False):
    return jnp.nanvar(_f(x), axis=_axis(axis), keepdims=keepdims)


def nanstd(x, axis=None, keepdims=False):
    return jnp.nanstd(_f(x), axis=_axis(axis), keepdims=keepdims)


def nanargmax(x, axis=None, keepdims=False):
    return jnp.nanargmax(_tensor(x), axis=axis, keepdims=keepdims).astype(jnp.int32)


def nanargmin(x, axis=None, keepdims=False):
    return jnp.nanargmin(_tensor(x), axis=axis, keepdims=keepdims).astype(jnp.int32)


def median(x, axis=None, keepdims=False):
    return jnp.median(_f(x), axis=_axis(axis), keepdims=keepdims)


def nanmedian(x, axis=None, keepdims=False):
    return jnp.nanmedian(_f(x), axis=_axis(axis), keepdims=keepdims)


def _quantile(fn, op, x, q, axis, method, keepdims):
    args.check_quantile_method(op, method)
    x = _f(x)
    q = _tensor(q).astype(x.dtype)
    axis = _axis(axis)
    if method != "nearest":
        return fn(x, q, axis=axis, method=method, keepdims=keepdims)
    # NumPy rounds a position halfway between two samples to the even one; JAX's "nearest"
    # does not, so pick between the lower and the higher neighbour here.
    lower = fn(x, q, axis=axis, method="lower", keepdims=keepdims)
    higher = fn(x, q, axis=axis, method="higher", keepdims=keepdims)
    valid = ~jnp.isnan(x) if fn is jnp.nanquantile else jnp.ones(x.shape, bool)
    count = jnp.sum(valid, axis=axis, keepdims=keepdims).astype(x.dtype)
    pos = q.reshape(q.shape + (1,) * count.ndim) * (count - 1)
    return jnp.where(jnp.round(pos) > jnp.floor(pos), higher, lower)


def quantile(x, q, axis=None, method="linear", keepdims=False):
    return _quantile(jnp.quantile, "quantile", x, q, axis, method, keepdims)


def nanquantile(x, q, axis=None, method="linear", keepdims=False):
    return _quantile(jnp.nanquantile, "nanquantile", x, q, axis, method, keepdims)


def trapezoid(y, x=None, dx=1.0, axis=-1):
    y = _f(y)
    if x is not None:
        x = _tensor(x).astype(y.dtype)
    return jnp.trapezoid(y, x=x, dx=dx, axis=axis)


def corrcoef(x):
    return jnp.corrcoef(_f(x))


# ---- counting ----------------------------------------------------------------------------

def bincount(x, weights=None, minlength=0, sparse=False):
    """Counts of each non-negative int in ``x`` (per row for 2D ``x``). The length is
    ``max(x) + 1`` (at least ``minlength``), a value JAX must know when it traces: inside
    ``jax.jit`` the length is ``minlength``, and larger values are not counted."""
    x = _tensor(x)
    args.check_bincount(sparse, x.ndim, minlength)
    if isinstance(x, jax.core.Tracer):
        if not minlength:
            raise ValueError("bincount: inside jax.jit the output length must be known; pass "
                             "`minlength` (values >= minlength are then not counted).")
        length = minlength
    else:
        length = max(int(jnp.max(x)) + 1 if x.size else 0, minlength)
    if weights is not None:
        weights = _tensor(weights)
        weights = weights.astype(jnp.result_type(x.dtype, weights.dtype))
    if x.ndim == 1:
        out = jnp.bincount(x, weights=weights, length=length)
    elif weights is None:
        out = jax.vmap(lambda r: jnp.bincount(r, length=length))(x)
    else:
        out = jax.vmap(lambda r, w: jnp.bincount(r, weights=w, length=length))(x, weights)
    return out.astype(jnp.int32) if weights is None else out


def digitize(x, bins):
    return jnp.digitize(_tensor(x), _tensor(bins)).astype(jnp.int32)


def histogram(x, bins=10, range=None):
    args.check_histogram(bins, range)
    x = _f(x)
    if x.ndim != 1:
        raise ValueError(f"histogram: `x` must be 1D. Received: x of shape {x.shape}")
    counts, edges = jnp.histogram(x, bins=bins, range=range)
    return counts.astype(jnp.int32), edges.astype(x.dtype)
