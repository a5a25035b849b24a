"""NumPy-like ops on torch, with keras.ops names, arguments and dtype rules."""

import builtins

import numpy as np
import torch

from kfront.backend.int8_products import einsum_terms, exact_float_dtype

from kfront.backends.torch.projection import projection
from kfront.backends.torch.core import (
    _ON_CPU, DEVICE, Tensor, as_tensor, convert_to_tensor, floatx_dtype, to_torch_dtype,
)

__all__ = [
    "abs", "absolute", "add", "subtract", "multiply", "divide", "true_divide", "floor_divide",
    "mod", "power", "negative", "square", "sqrt", "exp", "log", "log1p", "expm1", "sign",
    "floor", "ceil", "round", "maximum", "minimum", "clip", "where",
    "equal", "not_equal", "less", "less_equal", "greater", "greater_equal",
    "logical_and", "logical_or", "logical_not",
    "matmul", "dot", "tensordot", "einsum", "outer",
    "transpose", "reshape", "expand_dims", "squeeze", "concatenate", "stack", "split",
    "tile", "repeat", "broadcast_to", "flip", "pad",
    "mean", "sum", "max", "min", "prod", "std", "var", "argmax", "argmin", "cumsum",
    "sort", "argsort", "any", "all", "count_nonzero",
    "isnan", "isinf", "isfinite", "take", "take_along_axis",
    "sin", "cos", "tan", "tanh", "sinh", "cosh", "arctan", "size", "ndim",
]

_t = as_tensor
# Python numbers stay Python numbers in binary ops so torch treats them as weakly typed:
# float32_tensor * 2.0 stays float32, int8_tensor + 1 stays int8.
_PY_NUMBER = (int, float, bool)
# Reductions that Keras widens to 32 bits for small integer inputs.
_SUM_DTYPES = {torch.bool: torch.int32, torch.int8: torch.int32, torch.int16: torch.int32,
               torch.uint8: torch.int32}


def _is_number(v):
    """A Python number (NumPy scalars are arrays here, so they follow the array rules)."""
    return isinstance(v, _PY_NUMBER) and not isinstance(v, np.generic)


def _pair(x1, x2):
    """Operands for a torch binary operator: tensors, or a tensor and a Python number."""
    if isinstance(x1, Tensor):
        return x1, (x2 if isinstance(x2, Tensor) or _is_number(x2) else convert_to_tensor(x2))
    if isinstance(x2, Tensor):
        return (x1 if _is_number(x1) else convert_to_tensor(x1)), x2
    x1 = convert_to_tensor(x1)
    return x1, (x2 if _is_number(x2) else convert_to_tensor(x2))


def _floating(x):
    """``x`` as a tensor of a floating dtype (integers and bools become floatx)."""
    x = _t(x)
    return x if x.is_floating_point() or x.is_complex() else x.to(floatx_dtype())


def _promote(*xs):
    """Tensors cast to one common dtype, for torch kernels that refuse mixed dtypes."""
    dt = xs[0].dtype
    same = True
    for x in xs[1:]:
        if x.dtype != dt:
            dt = torch.promote_types(dt, x.dtype)
            same = False
    return xs if same else tuple(x.to(dt) for x in xs)


def _axes(axis, ndim):
    """A tuple of non-negative axes from an int, a sequence or None (= all axes)."""
    if axis is None:
        return tuple(range(ndim))
    if isinstance(axis, int):
        return (axis % ndim if ndim else 0,)
    return tuple(a % ndim for a in axis)


def _dim(axis):
    """``axis`` as torch's ``dim`` argument (tuples stay tuples; lists become tuples)."""
    return tuple(axis) if isinstance(axis, list) else axis


# ---- elementwise arithmetic ---------------------------------------------------------

def add(x1, x2):
    x1, x2 = _pair(x1, x2)
    return x1 + x2


def subtract(x1, x2):
    x1, x2 = _pair(x1, x2)
    return x1 - x2


def multiply(x1, x2):
    x1, x2 = _pair(x1, x2)
    return x1 * x2


def _is_float(v):
    if isinstance(v, Tensor):
        return v.is_floating_point() or v.is_complex()
    return isinstance(v, float)


def divide(x1, x2):
    x1, x2 = _pair(x1, x2)
    if isinstance(x1, Tensor) and x1.is_floating_point():
        return x1 / x2
    if not _is_float(x1) and not _is_float(x2):
        # Integer division yields floatx, as in Keras (torch would give its default dtype).
        if isinstance(x1, Tensor):
            x1 = x1.to(floatx_dtype())
        else:
            x2 = x2.to(floatx_dtype())
    return x1 / x2


true_divide = divide


def floor_divide(x1, x2):
    x1, x2 = _pair(x1, x2)
    return x1 // x2


def mod(x1, x2):
    x1, x2 = _pair(x1, x2)
    return x1 % x2


def power(x1, x2):
    x1, x2 = _pair(x1, x2)
    return x1 ** x2


def negative(x):
    return torch.neg(_t(x))


def abs(x):
    return torch.abs(_t(x))


absolute = abs


def square(x):
    x = _t(x)
    if x.dtype == torch.bool:
        x = x.to(torch.int32)
    return torch.square(x)


def sqrt(x):
    return torch.sqrt(_floating(x))


def exp(x):
    return torch.exp(_floating(x))


def log(x):
    return torch.log(_floating(x))


def log1p(x):
    return torch.log1p(_floating(x))


def expm1(x):
    return torch.expm1(_floating(x))


def sign(x):
    return torch.sign(_t(x))


def floor(x):
    return torch.floor(_floating(x))


def ceil(x):
    return torch.ceil(_floating(x))


def round(x, decimals=0):
    """Rounds half to even, as NumPy does; integers keep their dtype."""
    x = _t(x)
    if x.is_floating_point():
        return torch.round(x, decimals=decimals)
    if decimals >= 0:
        return x
    # Negative decimals on integers: round at a power of ten, back in the integer dtype.
    scale = 10 ** (-decimals)
    return (torch.round(x.double() / scale) * scale).to(x.dtype)


def _extremum(fn, clamp, x1, x2):
    # Against a Python number, clamping is one kernel and keeps the number weakly typed.
    if _is_number(x2) and isinstance(x1, Tensor) and x1.dtype != torch.bool:
        return clamp(x1, x2)
    if _is_number(x1) and isinstance(x2, Tensor) and x2.dtype != torch.bool:
        return clamp(x2, x1)
    return fn(_t(x1), _t(x2))


def maximum(x1, x2):
    return _extremum(torch.maximum, torch.clamp_min, x1, x2)


def minimum(x1, x2):
    return _extremum(torch.minimum, torch.clamp_max, x1, x2)


def clip(x, x_min, x_max):
    """Clips into [x_min, x_max]; the result keeps ``x``'s dtype (bool becomes int32)."""
    x = _t(x)
    if x.dtype == torch.bool:
        x = x.to(torch.int32)
    if not (_is_number(x_min) or x_min is None) or not (_is_number(x_max) or x_max is None):
        # torch.clamp takes two numbers or two tensors, not one of each.
        x_min = None if x_min is None else _t(x_min)
        x_max = None if x_max is None else _t(x_max)
    out = torch.clamp(x, x_min, x_max)
    return out if out.dtype == x.dtype else out.to(x.dtype)


def where(condition, x1=None, x2=None):
    condition = _t(condition)
    if condition.dtype != torch.bool:
        condition = condition != 0
    if x1 is None and x2 is None:
        return tuple(i.to(torch.int32) for i in torch.nonzero(condition, as_tuple=True))
    if x1 is None or x2 is None:
        raise ValueError("`where` needs both `x1` and `x2`, or neither.")
    x1_num, x2_num = _is_number(x1), _is_number(x2)
    if x1_num and x2_num:
        x1 = convert_to_tensor(x1)
    elif not x1_num:
        x1 = _t(x1)
    if not x2_num:
        x2 = _t(x2)
    return torch.where(condition, x1, x2)


# ---- comparisons and logic -----------------------------------------------------------

def equal(x1, x2):
    x1, x2 = _pair(x1, x2)
    return x1 == x2


def not_equal(x1, x2):
    x1, x2 = _pair(x1, x2)
    return x1 != x2


def less(x1, x2):
    x1, x2 = _pair(x1, x2)
    return x1 < x2


def less_equal(x1, x2):
    x1, x2 = _pair(x1, x2)
    return x1 <= x2


def greater(x1, x2):
    x1, x2 = _pair(x1, x2)
    return x1 > x2


def greater_equal(x1, x2):
    x1, x2 = _pair(x1, x2)
    return x1 >= x2


def logical_and(x1, x2):
    return torch.logical_and(_t(x1), _t(x2))


def logical_or(x1, x2):
    return torch.logical_or(_t(x1), _t(x2))


def logical_not(x):
    return torch.logical_not(_t(x))


def isnan(x):
    return torch.isnan(_t(x))


def isinf(x):
    return torch.isinf(_t(x))


def isfinite(x):
    return torch.isfinite(_t(x))


# ---- trigonometry ----------------------------------------------------------------------

def sin(x):
    return torch.sin(_floating(x))


def cos(x):
    return torch.cos(_floating(x))


def tan(x):
    return torch.tan(_floating(x))


def tanh(x):
    return torch.tanh(_floating(x))


def sinh(x):
    return torch.sinh(_floating(x))


def cosh(x):
    return torch.cosh(_floating(x))


def arctan(x):
    return torch.atan(_floating(x))


# ---- linear algebra --------------------------------------------------------------------

def _int_on_gpu(dt):
    return not _ON_CPU and not (dt.is_floating_point or dt.is_complex)


def _matmul_kernel(fn, x1, x2):
    """Runs a matmul-like kernel; integer products on a GPU go through float64 there,
    since torch's GPU matmul kernels are floating point only."""
    if _int_on_gpu(x1.dtype):
        return fn(x1.double(), x2.double()).to(x1.dtype)
    return fn(x1, x2)


def _int8_product(fn, operands, terms):
    """``fn`` on int8 operands as int32, computed exactly in float32/float64 (see
    ``kfront.backend.int8_products``): torch's integer matmul is slow."""
    dt = torch.float32 if exact_float_dtype(terms) == "float32" else torch.float64
    return fn(*(x.to(dt) for x in operands)).to(torch.int32)


def matmul(x1, x2):
    """NumPy's matmul; int8 x int8 accumulates and returns int32, as Keras's matmul does."""
    x1, x2 = _t(x1), _t(x2)
    if x1.dtype == torch.int8 and x2.dtype == torch.int8:
        return _int8_product(torch.matmul, (x1, x2), x1.shape[-1] if x1.ndim else 1)
    if x1.dtype == x2.dtype and (_ON_CPU or x1.is_floating_point()):
        return torch.matmul(x1, x2)
    x1, x2 = _promote(x1, x2)
    if x1.dtype == torch.bool:
        return _matmul_kernel(torch.matmul, x1.to(torch.int32), x2.to(torch.int32)) != 0
    return _matmul_kernel(torch.matmul, x1, x2)


def dot(x1, x2):
    """``numpy.dot``: products for scalars, matmul up to 2-D, then the last axis of ``x1``
    against the second-to-last of ``x2``."""
    x1, x2 = _promote(_t(x1), _t(x2))
    if x1.ndim == 0 or x2.ndim == 0:
        return x1 * x2
    if x2.ndim <= 2:
        return matmul(x1, x2)
    return tensordot(x1, x2, axes=([-1], [-2]))


def tensordot(x1, x2, axes=2):
    x1, x2 = _promote(_t(x1), _t(x2))
    if not isinstance(axes, int):
        a, b = axes
        axes = ([a] if isinstance(a, int) else list(a), [b] if isinstance(b, int) else list(b))
    return _matmul_kernel(lambda a, b: torch.tensordot(a, b, dims=axes), x1, x2)


def einsum(subscripts, *operands, **kwargs):
    operands = [_t(x) for x in operands]
    if builtins.all(x.dtype == torch.int8 for x in operands):
        # Keras: int8 operands accumulate and return int32.
        terms = einsum_terms(subscripts, [tuple(x.shape) for x in operands])
        return _int8_product(lambda *xs: torch.einsum(subscripts, *xs, **kwargs), operands,
                             terms)
    operands = _promote(*operands)
    if _int_on_gpu(operands[0].dtype):
        dt = operands[0].dtype
        return torch.einsum(subscripts, *(x.double() for x in operands)).to(dt)
    if len(operands) == 2 and isinstance(subscripts, str):
        out = projection(subscripts, *operands)
        if out is not None:
            return out
    return torch.einsum(subscripts, *operands)


def outer(x1, x2):
    return _t(x1).reshape(-1, 1) * _t(x2).reshape(-1)


# ---- shapes ----------------------------------------------------------------------------

def transpose(x, axes=None):
    x = _t(x)
    if axes is None:
        return x.permute(*range(x.ndim - 1, -1, -1))
    return x.permute(*axes)


def reshape(x, newshape):
    if isinstance(newshape, int):
        newshape = (newshape,)
    return torch.reshape(_t(x), tuple(newshape))


def expand_dims(x, axis):
    x = _t(x)
    if isinstance(axis, int):
        return torch.unsqueeze(x, axis)
    out_ndim = x.ndim + len(axis)
    for a in sorted(a % out_ndim for a in axis):
        x = torch.unsqueeze(x, a)
    return x


def squeeze(x, axis=None):
    x = _t(x)
    if axis is None:
        return torch.squeeze(x)
    axes = _axes(axis, x.ndim)
    for a in axes:
        if x.shape[a] != 1:
            raise ValueError(
                f"Cannot squeeze axis {a} of a tensor of shape {tuple(x.shape)}: its size is "
                f"{x.shape[a]}, not 1.")
    return torch.squeeze(x, axes)


def concatenate(xs, axis=0):
    xs = [_t(x) for x in xs]
    if axis is None:
        return torch.cat([x.reshape(-1) for x in xs])
    return torch.cat(xs, dim=axis)


def stack(x, axis=0):
    return torch.stack([_t(item) for item in x], dim=axis)


def split(x, indices_or_sections, axis=0):
    x = _t(x)
    if isinstance(indices_or_sections, int):
        if x.shape[axis] % indices_or_sections:
            raise ValueError(
                f"Cannot split an axis of size {x.shape[axis]} into {indices_or_sections} "
                "equal sections.")
    else:
        indices_or_sections = [int(i) for i in indices_or_sections]
    return list(torch.tensor_split(x, indices_or_sections, dim=axis))


def tile(x, repeats):
    if isinstance(repeats, int):
        repeats = (repeats,)
    return torch.tile(_t(x), tuple(int(r) for r in repeats))


def repeat(x, repeats, axis=None):
    x = _t(x)
    if not isinstance(repeats, int):
        repeats = _t(repeats)
        if repeats.ndim == 0:
            repeats = int(repeats)
        else:
            repeats = repeats.to(torch.int64)
    if axis is None:
        x = x.reshape(-1)
        axis = 0
    return torch.repeat_interleave(x, repeats, dim=axis)


def broadcast_to(x, shape):
    if isinstance(shape, int):
        shape = (shape,)
    return torch.broadcast_to(_t(x), tuple(shape))


def flip(x, axis=None):
    x = _t(x)
    return torch.flip(x, _axes(axis, x.ndim))


def _pad_pairs(pad_width, ndim):
    """``pad_width`` in NumPy's forms, as one (before, after) pair of ints per axis."""
    width = np.asarray(pad_width, dtype=np.int64)
    return [tuple(int(v) for v in row) for row in np.broadcast_to(width, (ndim, 2))]


def _pad_index(n, before, after, mode):
    """Source positions along one axis for the non-constant pad modes."""
    i = np.arange(-before, n + after)
    if mode == "edge":
        return np.clip(i, 0, n - 1)
    if mode == "wrap":
        return i % n
    if mode == "reflect":
        if n == 1:
            return np.zeros_like(i)
        j = i % (2 * n - 2)
        return np.where(j >= n, 2 * n - 2 - j, j)
    if mode == "symmetric":
        j = i % (2 * n)
        return np.where(j >= n, 2 * n - 1 - j, j)
    raise ValueError(
        f"Unknown pad mode {mode!r}: expected 'constant', 'edge', 'reflect', 'symmetric' "
        "or 'wrap'.")


def pad(x, pad_width, mode="constant", constant_values=None):
    x = _t(x)
    pairs = _pad_pairs(pad_width, x.ndim)
    if mode == "constant":
        value = 0 if constant_values is None else constant_values
        if isinstance(value, Tensor):
            value = value.item()
        if np.ndim(value) == 0:
            flat = [v for pair in reversed(pairs) for v in pair]
            return torch.nn.functional.pad(x, flat, mode="constant", value=value)
        # NumPy pads axis by axis, so later axes write the corners.
        values = _pad_pairs(value, x.ndim) if np.asarray(value).dtype.kind in "iub" else [
            tuple(float(v) for v in row)
            for row in np.broadcast_to(np.asarray(value, np.float64), (x.ndim, 2))]
        for axis, ((lo, hi), (vlo, vhi)) in enumerate(zip(pairs, values)):
            widths = [0, 0] * (x.ndim - 1 - axis)
            x = torch.nn.functional.pad(x, widths + [lo, 0], value=vlo)
            x = torch.nn.functional.pad(x, widths + [0, hi], value=vhi)
        return x
    for axis, (lo, hi) in enumerate(pairs):
        if lo or hi:
            index = _pad_index(x.shape[axis], lo, hi, mode)
            x = torch.index_select(x, axis, torch.from_numpy(index).to(DEVICE))
    return x


# ---- reductions ------------------------------------------------------------------------

def mean(x, axis=None, keepdims=False):
    x = _floating(x)
    if axis == ():
        return x
    return torch.mean(x, dim=_dim(axis), keepdim=keepdims)


def sum(x, axis=None, keepdims=False):
    x = _t(x)
    if axis == ():
        return x.to(_SUM_DTYPES.get(x.dtype, x.dtype))
    return torch.sum(x, dim=_dim(axis), keepdim=keepdims,
                     dtype=_SUM_DTYPES.get(x.dtype, x.dtype))


def prod(x, axis=None, keepdims=False, dtype=None):
    x = _t(x)
    dt = to_torch_dtype(dtype) if dtype is not None else _SUM_DTYPES.get(x.dtype, x.dtype)
    if axis is None:
        out = torch.prod(x, dtype=dt)
        return out.reshape((1,) * x.ndim) if keepdims else out
    if isinstance(axis, int):
        return torch.prod(x, dim=axis, keepdim=keepdims, dtype=dt)
    # torch.prod takes one axis: move the reduced axes last and flatten them.
    axes = _axes(axis, x.ndim)
    kept = [a for a in range(x.ndim) if a not in axes]
    out = x.permute(*kept, *axes).reshape(*(x.shape[a] for a in kept), -1)
    out = torch.prod(out, dim=-1, dtype=dt)
    if keepdims:
        out = out.reshape(tuple(1 if a in axes else x.shape[a] for a in range(x.ndim)))
    return out


def _extreme(fn, combine, x, axis, keepdims, initial):
    x = _t(x)
    if axis == ():
        out = x
    else:
        out = fn(x, dim=() if axis is None else _dim(axis), keepdim=keepdims)
    if initial is not None:
        out = combine(out, torch.as_tensor(initial, dtype=out.dtype, device=out.device))
    return out


def max(x, axis=None, keepdims=False, initial=None):
    return _extreme(torch.amax, torch.maximum, x, axis, keepdims, initial)


def min(x, axis=None, keepdims=False, initial=None):
    return _extreme(torch.amin, torch.minimum, x, axis, keepdims, initial)


def var(x, axis=None, keepdims=False):
    x = _floating(x)
    return torch.var(x, dim=_dim(axis), correction=0, keepdim=keepdims)


def std(x, axis=None, keepdims=False):
    x = _floating(x)
    return torch.std(x, dim=_dim(axis), correction=0, keepdim=keepdims)


def _arg_extreme(fn, x, axis, keepdims):
    x = _t(x)
    if x.dtype == torch.bool:
        x = x.to(torch.uint8)
    if axis is None:
        out = fn(x.reshape(-1), dim=0)
        if keepdims:
            out = out.reshape((1,) * x.ndim)
    else:
        out = fn(x, dim=axis, keepdim=keepdims)
    return out.to(torch.int32)


def argmax(x, axis=None, keepdims=False):
    return _arg_extreme(torch.argmax, x, axis, keepdims)


def argmin(x, axis=None, keepdims=False):
    return _arg_extreme(torch.argmin, x, axis, keepdims)


def cumsum(x, axis=None, dtype=None):
    x = _t(x)
    if axis is None:
        x = x.reshape(-1)
        axis = 0
    dt = to_torch_dtype(dtype) if dtype is not None else _SUM_DTYPES.get(x.dtype, x.dtype)
    return torch.cumsum(x, dim=axis, dtype=dt)


def sort(x, axis=-1):
    x = _t(x)
    if axis is None:
        x = x.reshape(-1)
        axis = -1
    return torch.sort(x, dim=axis, stable=True).values


def argsort(x, axis=-1):
    """Indices that sort ``x`` (stably), as int32."""
    x = _t(x)
    if axis is None:
        x = x.reshape(-1)
        axis = -1
    return torch.argsort(x, dim=axis, stable=True).to(torch.int32)


def any(x, axis=None, keepdims=False):
    x = _t(x)
    if axis == ():
        return x.to(torch.bool)
    return torch.any(x, dim=_dim(axis), keepdim=keepdims).to(torch.bool)


def all(x, axis=None, keepdims=False):
    x = _t(x)
    if axis == ():
        return x.to(torch.bool)
    return torch.all(x, dim=_dim(axis), keepdim=keepdims).to(torch.bool)


def count_nonzero(x, axis=None):
    x = _t(x)
    if axis == ():
        return (x != 0).to(torch.int32)
    return torch.count_nonzero(x, dim=_dim(axis)).to(torch.int32)


# ---- gathering -------------------------------------------------------------------------

def _wrapped_indices(indices, n):
    """Integer indices with NumPy's negative indexing resolved against size ``n``."""
    indices = _t(indices)
    if indices.dtype not in (torch.int64, torch.int32):
        indices = indices.to(torch.int64)
    return torch.where(indices < 0, indices + n, indices)


def take(x, indices, axis=None):
    x = _t(x)
    if axis is None:
        x = x.reshape(-1)
        axis = 0
    axis = axis % x.ndim
    indices = _wrapped_indices(indices, x.shape[axis])
    out = torch.index_select(x, axis, indices.reshape(-1))
    return out.reshape(x.shape[:axis] + indices.shape + x.shape[axis + 1:])


def take_along_axis(x, indices, axis=None):
    x = _t(x)
    if axis is None:
        x = x.reshape(-1)
        axis = 0
    indices = _wrapped_indices(indices, x.shape[axis]).to(torch.int64)
    return torch.take_along_dim(x, indices, dim=axis)


# ---- sizes -----------------------------------------------------------------------------

def size(x):
    return _t(x).numel()


def ndim(x):
    return _t(x).ndim
