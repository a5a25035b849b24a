"""NumPy-like ops on JAX, with keras.ops names, arguments and dtype rules.

Python scalars go to ``jax.numpy`` unconverted: JAX types them weakly, so a tensor keeps
its dtype when combined with one (``x_float16 * 2.0`` stays float16). 64-bit dtypes are
narrowed to 32 bits because JAX's x64 mode stays off (see ``core``).
"""
import builtins

import jax
import jax.numpy as jnp
import numpy as np

from kfront.backends.jax.core import (
    as_tensor as _t,
    axis_arg as _axis,
    convert_to_tensor as _tensor,
    floatx_dtype as _floatx,
    is_float as _is_float,
    jax_dtype as _jdtype,
    to_float as _f,
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
    "zeros", "ones", "zeros_like", "ones_like", "full", "full_like", "arange", "eye",
    "linspace", "isnan", "isinf", "isfinite", "take", "take_along_axis",
    "sin", "cos", "tan", "tanh", "sinh", "cosh", "arctan", "size", "ndim",
]

_Array = jax.Array


def _no_bool(x):
    """Bools become int32 where arithmetic on them is meant (as Keras does)."""
    x = _t(x)
    if isinstance(x, _Array) and x.dtype == jnp.bool_:
        return x.astype(jnp.int32)
    return x


# Elementwise arithmetic.

def abs(x):
    return jnp.abs(_t(x))


absolute = abs


def add(x1, x2):
    return jnp.add(_t(x1), _t(x2))


def subtract(x1, x2):
    return jnp.subtract(_t(x1), _t(x2))


def multiply(x1, x2):
    return jnp.multiply(_t(x1), _t(x2))


def divide(x1, x2):
    x1, x2 = _t(x1), _t(x2)
    if not (_is_float(x1) or _is_float(x2)):
        x1 = _f(x1)
    return jnp.true_divide(x1, x2)


true_divide = divide


def floor_divide(x1, x2):
    return jnp.floor_divide(_no_bool(x1), _no_bool(x2))


def mod(x1, x2):
    return jnp.mod(_no_bool(x1), _no_bool(x2))


def power(x1, x2):
    return jnp.power(_t(x1), _t(x2))


def negative(x):
    return jnp.negative(_no_bool(x))


def square(x):
    return jnp.square(_no_bool(x))


def sign(x):
    return jnp.sign(_no_bool(x))


def maximum(x1, x2):
    return jnp.maximum(_t(x1), _t(x2))


def minimum(x1, x2):
    return jnp.minimum(_t(x1), _t(x2))


def round(x, decimals=0):
    return jnp.round(_t(x), decimals)


def clip(x, x_min, x_max):
    return jnp.clip(_no_bool(_tensor(x)), _t(x_min), _t(x_max))


def where(condition, x1=None, x2=None):
    if x1 is None and x2 is None:
        return jnp.nonzero(_t(condition))
    if x1 is None or x2 is None:
        raise ValueError("where(): give both `x1` and `x2`, or neither.")
    return jnp.where(_t(condition), _t(x1), _t(x2))


# Functions defined on floats: integer and bool inputs become floatx first.

def sqrt(x):
    return jnp.sqrt(_f(x))


def exp(x):
    return jnp.exp(_f(x))


def log(x):
    return jnp.log(_f(x))


def log1p(x):
    return jnp.log1p(_f(x))


def expm1(x):
    return jnp.expm1(_f(x))


def floor(x):
    return jnp.floor(_f(x))


def ceil(x):
    return jnp.ceil(_f(x))


def sin(x):
    return jnp.sin(_f(x))


def cos(x):
    return jnp.cos(_f(x))


def tan(x):
    return jnp.tan(_f(x))


def tanh(x):
    return jnp.tanh(_f(x))


def sinh(x):
    return jnp.sinh(_f(x))


def cosh(x):
    return jnp.cosh(_f(x))


def arctan(x):
    return jnp.arctan(_f(x))


# Comparisons and logic.

def equal(x1, x2):
    return jnp.equal(_t(x1), _t(x2))


def not_equal(x1, x2):
    return jnp.not_equal(_t(x1), _t(x2))


def less(x1, x2):
    return jnp.less(_t(x1), _t(x2))


def less_equal(x1, x2):
    return jnp.less_equal(_t(x1), _t(x2))


def greater(x1, x2):
    return jnp.greater(_t(x1), _t(x2))


def greater_equal(x1, x2):
    return jnp.greater_equal(_t(x1), _t(x2))


def logical_and(x1, x2):
    return jnp.logical_and(_t(x1), _t(x2))


def logical_or(x1, x2):
    return jnp.logical_or(_t(x1), _t(x2))


def logical_not(x):
    return jnp.logical_not(_t(x))


def isnan(x):
    return jnp.isnan(_t(x))


def isinf(x):
    return jnp.isinf(_t(x))


def isfinite(x):
    return jnp.isfinite(_t(x))


# Products.

def matmul(x1, x2):
    x1, x2 = _tensor(x1), _tensor(x2)
    if x1.dtype == jnp.int8 and x2.dtype == jnp.int8:
        # int8 x int8 accumulates in int32 (the fast integer path, as in Keras).
        return jnp.matmul(x1, x2, preferred_element_type=jnp.int32)
    return jnp.matmul(x1, x2)


def dot(x1, x2):
    return jnp.dot(_t(x1), _t(x2))


def tensordot(x1, x2, axes=2):
    return jnp.tensordot(_tensor(x1), _tensor(x2), axes=axes)


def einsum(subscripts, *operands):
    operands = [_tensor(o) for o in operands]
    if builtins.all(o.dtype == jnp.int8 for o in operands):
        # Keras: int8 operands accumulate and return int32.
        return jnp.einsum(subscripts, *operands, preferred_element_type=jnp.int32)
    return jnp.einsum(subscripts, *operands)


def outer(x1, x2):
    return jnp.outer(_tensor(x1), _tensor(x2))


# Shapes.

def transpose(x, axes=None):
    return jnp.transpose(_tensor(x), _axis(axes))


def reshape(x, newshape):
    if isinstance(newshape, list):
        newshape = tuple(newshape)
    return jnp.reshape(_tensor(x), newshape)


def expand_dims(x, axis):
    return jnp.expand_dims(_tensor(x), _axis(axis))


def squeeze(x, axis=None):
    return jnp.squeeze(_tensor(x), _axis(axis))


def concatenate(xs, axis=0):
    return jnp.concatenate([_tensor(x) for x in xs], axis=axis)


def stack(x, axis=0):
    return jnp.stack([_tensor(e) for e in x], axis=axis)


def split(x, indices_or_sections, axis=0):
    return list(jnp.split(_tensor(x), indices_or_sections, axis=axis))


def tile(x, repeats):
    return jnp.tile(_tensor(x), repeats)


def repeat(x, repeats, axis=None):
    if isinstance(repeats, (list, tuple)):
        # Kept on the host: the output size must be known while tracing.
        repeats = np.asarray(repeats)
    return jnp.repeat(_tensor(x), repeats, axis=axis)


def broadcast_to(x, shape):
    return jnp.broadcast_to(_tensor(x), tuple(shape) if isinstance(shape, list) else shape)


def flip(x, axis=None):
    return jnp.flip(_tensor(x), _axis(axis))


def pad(x, pad_width, mode="constant", constant_values=None):
    x = _tensor(x)
    if constant_values is None:
        return jnp.pad(x, pad_width, mode=mode)
    if mode != "constant":
        raise ValueError(
            f"pad(): `constant_values` only applies to mode='constant', got mode={mode!r}."
        )
    return jnp.pad(x, pad_width, mode=mode, constant_values=constant_values)


def size(x):
    return int(x.size) if isinstance(x, _Array) else int(np.size(x))


def ndim(x):
    return x.ndim if isinstance(x, _Array) else np.ndim(x)


# Reductions.

def mean(x, axis=None, keepdims=False):
    # jnp.mean accumulates float16/bfloat16 in float32 already.
    return jnp.mean(_f(x), axis=_axis(axis), keepdims=keepdims)


def sum(x, axis=None, keepdims=False):
    return jnp.sum(_tensor(x), axis=_axis(axis), keepdims=keepdims)


def max(x, axis=None, keepdims=False, initial=None):
    return jnp.max(_tensor(x), axis=_axis(axis), keepdims=keepdims, initial=initial)


def min(x, axis=None, keepdims=False, initial=None):
    return jnp.min(_tensor(x), axis=_axis(axis), keepdims=keepdims, initial=initial)


def prod(x, axis=None, keepdims=False):
    return jnp.prod(_tensor(x), axis=_axis(axis), keepdims=keepdims)


def std(x, axis=None, keepdims=False):
    return jnp.std(_f(x), axis=_axis(axis), keepdims=keepdims)


def var(x, axis=None, keepdims=False):
    return jnp.var(_f(x), axis=_axis(axis), keepdims=keepdims)


def _int32(x):
    return x if x.dtype == jnp.int32 else x.astype(jnp.int32)


def argmax(x, axis=None, keepdims=False):
    return _int32(jnp.argmax(_tensor(x), axis=axis, keepdims=keepdims))


def argmin(x, axis=None, keepdims=False):
    return _int32(jnp.argmin(_tensor(x), axis=axis, keepdims=keepdims))


def cumsum(x, axis=None, dtype=None):
    return jnp.cumsum(_tensor(x), axis=axis, dtype=_jdtype(dtype))


def sort(x, axis=-1):
    return jnp.sort(_tensor(x), axis=axis)


def argsort(x, axis=-1):
    return _int32(jnp.argsort(_tensor(x), axis=axis))


def any(x, axis=None, keepdims=False):
    return jnp.any(_tensor(x), axis=_axis(axis), keepdims=keepdims)


def all(x, axis=None, keepdims=False):
    return jnp.all(_tensor(x), axis=_axis(axis), keepdims=keepdims)


def count_nonzero(x, axis=None):
    return _int32(jnp.count_nonzero(_tensor(x), axis=_axis(axis)))


# Creation.

def _dtype_or_floatx(dtype):
    return _floatx() if dtype is None else _jdtype(dtype)


def zeros(shape, dtype=None):
    return jnp.zeros(shape, dtype=_dtype_or_floatx(dtype))


def ones(shape, dtype=None):
    return jnp.ones(shape, dtype=_dtype_or_floatx(dtype))


def zeros_like(x, dtype=None):
    return jnp.zeros_like(_tensor(x), dtype=_jdtype(dtype))


def ones_like(x, dtype=None):
    return jnp.ones_like(_tensor(x), dtype=_jdtype(dtype))


def full(shape, fill_value, dtype=None):
    return jnp.full(shape, _t(fill_value), dtype=_dtype_or_floatx(dtype))


def full_like(x, fill_value, dtype=None):
    return jnp.full_like(_tensor(x), _t(fill_value), dtype=_jdtype(dtype))


def _bounds_dtype(values):
    """dtype=None for arange/linspace: floatx if any bound is a Python float, else the bounds'
    own type (Python ints give int32)."""
    values = [v for v in values if v is not None]
    if builtins.any(type(v) is float for v in values):
        return _floatx()
    return jnp.result_type(*values)


def arange(start, stop=None, step=1, dtype=None):
    if step is None:
        step = 1
    dtype = _bounds_dtype((start, stop, step)) if dtype is None else _jdtype(dtype)
    return jnp.arange(start, stop, step, dtype=dtype)


def eye(N, M=None, k=0, dtype=None):
    return jnp.eye(N, M, k, dtype=_dtype_or_floatx(dtype))


def linspace(start, stop, num=50, endpoint=True, dtype=None):
    if dtype is None:
        dtype = _bounds_dtype((start, stop))
        if not jnp.issubdtype(dtype, jnp.inexact):
            dtype = _floatx()
    else:
        dtype = _jdtype(dtype)
    return jnp.linspace(_t(start), _t(stop), num, endpoint=endpoint, dtype=dtype)


# Indexing.

def take(x, indices, axis=None):
    return jnp.take(_tensor(x), _t(indices), axis=axis)


def take_along_axis(x, indices, axis=None):
    return jnp.take_along_axis(_tensor(x), _tensor(indices), axis=axis)
