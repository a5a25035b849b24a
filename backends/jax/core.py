"""Tensors and dtypes on JAX: conversion, inspection, casting.

JAX runs here with 64-bit types disabled (its default), so a request for "float64",
"int64" or "uint64" yields the 32-bit type of the same kind: float64 NumPy arrays become
float32 and int64 NumPy arrays become int32. Every function is traceable under
``jax.jit``.
"""
import functools

import jax
import jax.numpy as jnp
import numpy as np

from kfront import config

__all__ = ["is_tensor", "convert_to_tensor", "convert_to_numpy", "shape", "dtype", "cast",
           "stop_gradient", "batch_array", "runs_on_cpu"]

_Array = jax.Array
_PY_SCALARS = (bool, int, float, complex)

# kfront dtype name -> the dtype JAX actually uses for it (64-bit kinds narrowed).
_JAX_DTYPES = {}
_NAME_ALIASES = {"float": "float32", "double": "float64", "int": "int32", "half": "float16",
                 "long": "int64", "bool_": "bool"}


def jax_dtype(name):
    """The JAX dtype for a kfront dtype name (or any NumPy-style dtype); None stays None."""
    if name is None:
        return None
    found = _JAX_DTYPES.get(name)
    if found is not None:
        return found
    key = name
    if not isinstance(name, str):
        name = getattr(name, "name", None) or np.dtype(name).name
    name = _NAME_ALIASES.get(name, name)
    found = jax.dtypes.canonicalize_dtype(jnp.dtype(name))
    if isinstance(key, str):
        _JAX_DTYPES[key] = found
    return found


def floatx_dtype():
    return jax_dtype(config.floatx())


def _numpy_dtype(arr):
    """The dtype a NumPy array gets in JAX: float64 becomes floatx, other 64-bit kinds
    narrow; object arrays are refused."""
    dt = arr.dtype
    if dt.kind == "O":
        raise TypeError(f"Cannot convert an object array to a tensor: {arr!r}")
    if dt.kind == "f" and dt.itemsize == 8:
        return floatx_dtype()
    return jax.dtypes.canonicalize_dtype(dt)


def _numpy_to_tensor(arr, dtype):
    return jnp.asarray(arr, dtype=_numpy_dtype(arr) if dtype is None else dtype)


def convert_to_tensor(x, dtype=None, sparse=None, ragged=None):
    """``x`` as a JAX array, following kfront's dtype conventions."""
    if sparse or ragged:
        raise ValueError("convert_to_tensor: the jax backend has no sparse or ragged tensors; "
                         "pass sparse and ragged as False or None. Received: "
                         f"sparse={sparse}, ragged={ragged}.")
    if isinstance(x, _Array):
        if dtype is None:
            return x
        dtype = jax_dtype(dtype)
        return x if x.dtype == dtype else x.astype(dtype)
    dtype = jax_dtype(dtype)
    if isinstance(x, np.ndarray):
        return _numpy_to_tensor(x, dtype)
    if isinstance(x, _PY_SCALARS):
        if dtype is None:
            if isinstance(x, bool):
                dtype = jnp.bool_
            elif isinstance(x, int):
                dtype = jnp.int32
            elif isinstance(x, float):
                dtype = floatx_dtype()
        return jnp.asarray(x, dtype=dtype)
    if isinstance(x, (list, tuple)) and any(isinstance(e, _Array) for e in x):
        # Traced elements cannot go through NumPy; let JAX stack them.
        out = jnp.asarray(x)
        return out if dtype is None else out.astype(dtype)
    if hasattr(x, "__jax_array__"):
        out = x.__jax_array__()
        return out if dtype is None else out.astype(dtype)
    return _numpy_to_tensor(np.asarray(x), dtype)


def as_tensor(x):
    """Like ``convert_to_tensor`` but lets Python scalars through, so JAX's weak typing keeps
    the other operand's dtype (``x_float16 * 2.0`` stays float16)."""
    if isinstance(x, _Array) or type(x) in _PY_SCALARS:
        return x
    return convert_to_tensor(x)


def convert_to_numpy(x):
    return np.asarray(x)


def shape(x):
    if isinstance(x, _Array):
        return tuple(x.shape)
    return tuple(int(d) for d in np.shape(x))


def dtype(x):
    if isinstance(x, _Array):
        return x.dtype.name
    if isinstance(x, np.ndarray) and x.dtype.kind != "O":
        # The dtype JAX gives the array, without copying it.
        return _numpy_dtype(x).name
    return convert_to_tensor(x).dtype.name


def batch_array(arr, dtype=None, copy=False):
    """A NumPy batch as compiled steps take it. On CPU it stays a NumPy array, in the dtype
    ``convert_to_tensor`` would give it (a copy with ``copy``): ``jax.jit`` takes NumPy
    arguments in its C++ dispatch, tens of microseconds per array sooner than
    ``jnp.asarray`` does (it counts in ``predict`` on one sample and in small steps). On an
    accelerator it becomes a device array, so the prefetch thread overlaps the copy with
    the running step."""
    if not _on_cpu():
        return convert_to_tensor(arr, dtype)
    target = jax_dtype(dtype) if dtype is not None else _numpy_dtype(arr)
    return np.array(arr, dtype=target) if copy else np.asarray(arr, dtype=target)


@functools.lru_cache(maxsize=None)
def _on_cpu():
    return jax.default_backend() == "cpu"


def runs_on_cpu():
    """Whether steps run on the host CPU (the default backend is no accelerator)."""
    return _on_cpu()


def cast(x, dtype):
    dtype = jax_dtype(dtype)
    if isinstance(x, _Array):
        return x if x.dtype == dtype else x.astype(dtype)
    return convert_to_tensor(x, dtype)


def stop_gradient(x):
    return jax.lax.stop_gradient(as_tensor(x))


def is_tensor(x):
    return isinstance(x, _Array)


_INEXACT = {}


def _inexact(dt):
    found = _INEXACT.get(dt)
    if found is None:
        found = _INEXACT[dt] = bool(jnp.issubdtype(dt, jnp.inexact))
    return found


def is_float(x):
    """Whether a tensor or Python scalar has a floating (or complex) dtype."""
    if isinstance(x, _Array):
        return _inexact(x.dtype)
    return isinstance(x, (float, complex))


def to_float(x):
    """A tensor in a floating dtype: integers and bools become floatx."""
    x = convert_to_tensor(x)
    if _inexact(x.dtype):
        return x
    return x.astype(floatx_dtype())


def axis_arg(axis):
    """Axis as JAX wants it: lists become tuples."""
    return tuple(axis) if isinstance(axis, list) else axis
