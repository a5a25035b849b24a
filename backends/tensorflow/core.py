"""Tensors and dtypes on TensorFlow: conversion, inspection, casting, dtype promotion.

Besides the contract's ``TENSOR_OPS`` this module holds the private helpers the other
modules of the adapter share: dtype lookup (``to_dtype``), float coercion (``as_float``)
and NumPy-like promotion between two operands (``pair``) or many (``promote``).
"""
import functools

import numpy as np
import tensorflow as tf

from kfront import config

__all__ = ["is_tensor", "convert_to_tensor", "convert_to_numpy", "shape", "dtype", "cast",
           "stop_gradient", "runs_on_cpu"]

_Tensor = tf.Tensor
_Variable = tf.Variable
_TENSOR_TYPES = (tf.Tensor, tf.Variable)

_DTYPES = {
    name: tf.as_dtype(name)
    for name in ("float16", "bfloat16", "float32", "float64", "int8", "int16", "int32",
                 "int64", "uint8", "uint16", "uint32", "uint64", "bool", "complex64",
                 "complex128")
}
_DTYPES.update({"float": tf.float32, "double": tf.float64, "int": tf.int32, "half": tf.float16})
_BOOL = tf.bool
_INT32 = tf.int32
_SCALARS = (int, float, bool)


def to_dtype(dtype):
    """The ``tf.DType`` for a dtype string, ``tf.DType`` or NumPy dtype (None stays None)."""
    if dtype is None:
        return None
    found = _DTYPES.get(dtype) if isinstance(dtype, str) else None
    if found is not None:
        return found
    if isinstance(dtype, tf.DType):
        return dtype
    name = getattr(dtype, "name", None) or str(dtype)
    if name in _DTYPES:
        return _DTYPES[name]
    return tf.as_dtype(np.dtype(dtype))


def floatx():
    """The configured default float dtype as a ``tf.DType``."""
    return _DTYPES[config.floatx()]


def _scalar_dtype(x):
    if type(x) is bool:
        return _BOOL
    if type(x) is int:
        # Python ints beyond int32's range would overflow; they take int64 instead.
        return _INT32 if -2147483648 <= x <= 2147483647 else tf.int64
    return floatx()


def _numpy_default(arr):
    """The dtype a NumPy array becomes when none is asked for (float64 -> floatx)."""
    if arr.dtype == np.float64:
        return floatx()
    return None


def _has_tensor(seq):
    for item in seq:
        if isinstance(item, _TENSOR_TYPES):
            return True
        if type(item) in (list, tuple) and _has_tensor(item):
            return True
    return False


def _from_sequence(seq, dtype):
    # Lists that hold tensors are stacked in-graph so gradients and tracing survive.
    items = [convert_to_tensor(i) if type(i) in (list, tuple) else i for i in seq]
    items = promote(*items)
    out = tf.stack(items)
    return out if dtype is None or out.dtype is dtype else tf.cast(out, dtype)


def convert_to_tensor(x, dtype=None, sparse=None, ragged=None):
    """``x`` as a ``tf.Tensor``; ``dtype`` (string) casts, None infers with kfront's rules.

    A ``tf.SparseTensor`` or ``tf.RaggedTensor`` stays one unless ``sparse=False`` or
    ``ragged=False`` asks for a dense tensor (Keras's rule).
    """
    if isinstance(x, _Tensor):
        if dtype is None:
            return x
        dtype = to_dtype(dtype)
        return x if x.dtype is dtype else tf.cast(x, dtype)
    dtype = to_dtype(dtype)
    if isinstance(x, (tf.SparseTensor, tf.RaggedTensor)):
        return _from_composite(x, dtype, sparse, ragged)
    if isinstance(x, _Variable):
        x = tf.convert_to_tensor(x)
        return x if dtype is None or x.dtype is dtype else tf.cast(x, dtype)
    if type(x) in _SCALARS:
        if dtype is None:
            dtype = _scalar_dtype(x)
        elif dtype is _BOOL or (dtype.is_integer and type(x) is float):
            return tf.cast(tf.constant(x), dtype)
        return tf.constant(x, dtype=dtype)
    if type(x) in (list, tuple):
        if _has_tensor(x):
            return _from_sequence(x, dtype)
        arr = np.asarray(x)
        if dtype is None:
            if arr.dtype == np.int64:
                # Python ints inside a list are int32, as a lone Python int is.
                dtype = _INT32
            else:
                dtype = _numpy_default(arr)
    else:
        arr = x if isinstance(x, np.ndarray) else np.asarray(x)
        if dtype is None:
            dtype = _numpy_default(arr)
    # tf.constant makes the same tensor from a NumPy array as tf.convert_to_tensor, through
    # less Python (the conversion registry and dispatch): this runs on every batch of fit.
    if dtype is None:
        return tf.constant(arr)
    if dtype is _DTYPES["bfloat16"] or arr.dtype.kind not in "biuf":
        return tf.cast(tf.constant(arr), dtype)
    return tf.constant(arr.astype(dtype.as_numpy_dtype, copy=False))


def _from_composite(x, dtype, sparse, ragged):
    if dtype is not None and x.dtype != dtype:
        x = tf.cast(x, dtype)
    if isinstance(x, tf.SparseTensor) and sparse is False:
        return tf.sparse.to_dense(x)
    if isinstance(x, tf.RaggedTensor) and ragged is False:
        return x.to_tensor()
    return x


def is_tensor(x):
    """Whether ``x`` is a TensorFlow tensor or variable."""
    return isinstance(x, _TENSOR_TYPES)


def convert_to_numpy(x):
    """``x`` as a NumPy array (bfloat16 tensors give an ``ml_dtypes.bfloat16`` array)."""
    if isinstance(x, _TENSOR_TYPES):
        return np.asarray(x.numpy())
    return np.asarray(x)


def shape(x):
    """The shape as a tuple of ints; a dimension unknown while tracing is a scalar tensor.

    Inside ``tf.data.Dataset.map`` or a ``tf.function`` with a ``None`` dimension, code such
    as ``ops.zeros((ops.shape(x)[0], 1))`` needs the run-time size, as Keras gives it.
    """
    if isinstance(x, _TENSOR_TYPES):
        s = x.shape
        if s.rank is None:
            return None
        dims = s.as_list()
        if None in dims:
            dynamic = tf.shape(x)
            return tuple(dynamic[i] if d is None else d for i, d in enumerate(dims))
        return tuple(dims)
    if type(x) in _SCALARS:
        return ()
    if type(x) in (list, tuple) and _has_tensor(x):
        return shape(convert_to_tensor(x))
    return np.shape(x)


def dtype(x):
    """The kfront dtype string of ``x`` (as ``convert_to_tensor`` would make it)."""
    if isinstance(x, _TENSOR_TYPES):
        return x.dtype.name
    if type(x) in _SCALARS:
        return _scalar_dtype(x).name
    return convert_to_tensor(x).dtype.name


def cast(x, dtype):
    """``x`` converted to ``dtype`` (float to int truncates toward zero, as NumPy does)."""
    dtype = to_dtype(dtype)
    if isinstance(x, _Tensor):
        return x if x.dtype is dtype else tf.cast(x, dtype)
    x = convert_to_tensor(x)
    return x if x.dtype is dtype else tf.cast(x, dtype)


@functools.lru_cache(maxsize=None)
def runs_on_cpu():
    """Whether steps run on the host CPU: TensorFlow places ops on a GPU or TPU it sees."""
    return not (tf.config.list_logical_devices("GPU") or tf.config.list_logical_devices("TPU"))


def stop_gradient(x):
    """``x`` with no gradient flowing back through it."""
    return tf.stop_gradient(convert_to_tensor(x))


# ---- dtype promotion -------------------------------------------------------------------

@functools.lru_cache(maxsize=None)
def result_type(a, b):
    """The common ``tf.DType`` of two dtypes, NumPy-like except that an int with a float
    gives that float (int32 + float32 -> float32) and bfloat16 promotes as a float16."""
    if a is b:
        return a
    if a is _BOOL:
        return b
    if b is _BOOL:
        return a
    if a.is_complex or b.is_complex:
        return tf.as_dtype(np.result_type(a.as_numpy_dtype, b.as_numpy_dtype))
    if a.is_floating and not b.is_floating:
        return a
    if b.is_floating and not a.is_floating:
        return b
    if a.is_floating:
        if a is _DTYPES["bfloat16"] or b is _DTYPES["bfloat16"]:
            other = b if a is _DTYPES["bfloat16"] else a
            return tf.float32 if other is tf.float16 else other
        return tf.as_dtype(np.promote_types(a.as_numpy_dtype, b.as_numpy_dtype))
    out = np.promote_types(a.as_numpy_dtype, b.as_numpy_dtype)
    # NumPy sends int64 with uint64 to float64; an integer result is kept instead.
    return tf.int64 if out.kind == "f" else tf.as_dtype(out)


def _scalar_for(value, other):
    """A Python scalar next to a tensor of dtype ``other`` takes that dtype where it fits."""
    t = type(value)
    if t is float:
        dt = other if other.is_floating or other.is_complex else floatx()
    elif t is int:
        dt = _INT32 if other is _BOOL else other
    else:
        dt = other
    return dt


def pair(x1, x2):
    """Two tensors of one dtype from two operands (tensors, arrays, Python scalars)."""
    t1 = isinstance(x1, _Tensor)
    t2 = isinstance(x2, _Tensor)
    if t1 and t2:
        d1 = x1.dtype
        d2 = x2.dtype
        if d1 is d2:
            return x1, x2
        d = result_type(d1, d2)
        return (x1 if d1 is d else tf.cast(x1, d)), (x2 if d2 is d else tf.cast(x2, d))
    if t1 and type(x2) in _SCALARS:
        d = _scalar_for(x2, x1.dtype)
        return (x1 if x1.dtype is d else tf.cast(x1, d)), convert_to_tensor(x2, d)
    if t2 and type(x1) in _SCALARS:
        d = _scalar_for(x1, x2.dtype)
        return convert_to_tensor(x1, d), (x2 if x2.dtype is d else tf.cast(x2, d))
    if not t1 and not t2 and type(x1) in _SCALARS and type(x2) in _SCALARS:
        return pair(convert_to_tensor(x1), convert_to_tensor(x2))
    if not t1 and type(x1) not in _SCALARS:
        x1 = convert_to_tensor(x1)
    if not t2 and type(x2) not in _SCALARS:
        x2 = convert_to_tensor(x2)
    return pair(x1, x2)


def promote(*xs):
    """A list of tensors of one common dtype; Python scalars follow the tensors' dtype."""
    tensors = [x if isinstance(x, _Tensor) or type(x) in _SCALARS else convert_to_tensor(x)
               for x in xs]
    common = None
    for x in tensors:
        if type(x) not in _SCALARS:
            common = x.dtype if common is None else result_type(common, x.dtype)
    if common is None:
        tensors = [convert_to_tensor(x) for x in tensors]
        for x in tensors:
            common = x.dtype if common is None else result_type(common, x.dtype)
    else:
        for x in tensors:
            if type(x) in _SCALARS:
                common = result_type(common, _scalar_for(x, common))
    return [convert_to_tensor(x, common) if type(x) in _SCALARS
            else (x if x.dtype is common else tf.cast(x, common)) for x in tensors]


def as_float(x):
    """``x`` as a tensor of a float dtype: ints and bools become floatx."""
    x = convert_to_tensor(x)
    d = x.dtype
    if d.is_floating or d.is_complex:
        return x
    return tf.cast(x, floatx())
