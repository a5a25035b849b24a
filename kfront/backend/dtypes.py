"""Keras's dtype promotion (``result_type``) and dtype predicates, engine-free.

Promotion follows the lattice Keras adopted from JAX: bool < weak int < (u)ints < weak
float < bfloat16/float16 < float32 < float64 < complex128, with complex64 above float32.
Python ``int``/``float`` are *weak*: they take the precision of the other operand. As in
Keras, 64-bit results are narrowed to 32 bits except for int64/float64 on TensorFlow.
"""
import functools

import numpy as np

from kfront import config

FLOAT8_TYPES = ("float8_e4m3fn", "float8_e5m2")
_WEAK = ("int", "float")
# Each dtype and the dtypes directly above it.
_LATTICE = {
    "bool": ["int"],
    "uint8": ["int16", "uint16"],
    "uint16": ["int32", "uint32"],
    "uint32": ["int64", "uint64"],
    "uint64": ["float"],
    "int": ["uint8", "int8", "complex64"],
    "int8": ["int16"],
    "int16": ["int32"],
    "int32": ["int64"],
    "int64": ["float"],
    "float": ["bfloat16", "float16"],
    "bfloat16": ["float32"],
    "float16": ["float32"],
    "float32": ["float64", "complex64"],
    "float64": ["complex128"],
    "complex64": ["complex128"],
    "complex128": [],
}


def _upper_bounds():
    bounds = {}
    for node in _LATTICE:
        reach, todo = {node}, [node]
        while todo:
            for above in _LATTICE[todo.pop()]:
                if above not in reach:
                    reach.add(above)
                    todo.append(above)
        bounds[node] = reach
    return bounds


_UPPER = _upper_bounds()


def _python_int_dtype():
    return "int64" if config.backend() == "tensorflow" else "int32"


def standardize_dtype(dtype):
    """A dtype's Keras name (``"float32"``) from a name, a NumPy/engine dtype or a Python
    type (``int`` -> int32, int64 on TensorFlow; ``float`` -> float32; ``bool``;
    ``complex`` -> complex64, complex128 on TensorFlow); ``None`` -> ``floatx()``."""
    python = {bool: "bool", int: _python_int_dtype(), float: "float32", str: "string",
              complex: "complex128" if config.backend() == "tensorflow" else "complex64"}
    if isinstance(dtype, type):
        if dtype in python:
            return python[dtype]
        if issubclass(dtype, np.generic):
            return np.dtype(dtype).name
    if isinstance(dtype, np.dtype):
        return dtype.name
    if dtype == "int":
        return _python_int_dtype()
    # Imported here: adapters import this package's leaf modules while they load.
    from kfront.backend.variable import standardize_dtype as standardize_name
    return standardize_name(dtype)


def is_float_dtype(dtype):
    """Whether ``dtype`` is a floating dtype (``float*`` or ``bfloat16``)."""
    dtype = standardize_dtype(dtype)
    return dtype.startswith("float") or dtype.startswith("bfloat")


def is_int_dtype(dtype):
    """Whether ``dtype`` is a signed or unsigned integer dtype."""
    dtype = standardize_dtype(dtype)
    return dtype.startswith("int") or dtype.startswith("uint")


@functools.lru_cache(512)
def _least_upper_bound(*nodes):
    nodes = set(nodes)
    for node in nodes:
        if node not in _UPPER:
            raise ValueError(f"dtype={node!r} is not a valid dtype for Keras type promotion.")
    common = set.intersection(*(_UPPER[n] for n in nodes))
    least = (common & nodes) or {c for c in common if common <= _UPPER[c]}
    if len(least) != 1:
        raise ValueError(f"Input dtypes {tuple(sorted(nodes))} have no available implicit "
                         "dtype promotion path. Try explicitly casting inputs to the "
                         "desired output type.")
    return least.pop()


def _weak(dtype):
    if dtype == "bool":
        return dtype
    for kind in ("float", "int", "complex"):
        if kind in dtype:
            return kind if kind != "complex" else dtype
    raise ValueError(f"Invalid value for argument `dtype`. Received: dtype={dtype}")


def _resolve_weak(dtype, precision):
    kind = "f" if dtype == "bfloat16" else dtype[:1]
    if kind == "b":
        return "bool"
    return {"i": f"int{precision}", "u": f"uint{precision}"}.get(kind, f"float{precision}")


def result_type(*dtypes):
    """The dtype Keras's promotion rules give for an operation on ``dtypes``.

    Each argument is a dtype name, a NumPy/engine dtype, a Python type (``int`` and
    ``float`` are weak: they adopt the other operand's precision) or None (``floatx()``).
    With no argument: ``floatx()``.

    >>> kfront.backend.result_type("int32", "float32")
    'float32'
    >>> kfront.backend.result_type("bfloat16", int)
    'bfloat16'
    >>> kfront.backend.result_type("uint8", "int8")
    'int16'
    """
    if not dtypes:
        return config.floatx()
    for dtype in dtypes:
        if isinstance(dtype, str) and dtype in FLOAT8_TYPES:
            raise ValueError("There is no implicit conversions from float8 dtypes to others. "
                             f"You must cast it internally. Received: {dtypes}")
    dtypes = [config.floatx() if d is None else d for d in dtypes]
    weak = [d is int or d is float for d in dtypes]
    names = [standardize_dtype(d) for d in dtypes]
    if len(names) == 1:
        out, out_weak = names[0], weak[0]
    elif len(set(names)) == 1 and not all(weak):
        out, out_weak = names[0], False
    elif all(weak):
        out, out_weak = _least_upper_bound(*set(names)), True
    else:
        out = _least_upper_bound(*{_weak(n) if w else n for n, w in zip(names, weak)})
        out_weak = out in _WEAK
    if out_weak and out != "bool":
        out = _resolve_weak(out, config.floatx()[-2:])
    on_tf = config.backend() == "tensorflow"
    narrow = {"int64": "int64" if on_tf else "int32", "uint64": "uint32",
              "float64": "float64" if on_tf else "float32", "complex128": "complex64"}
    return narrow.get(out, out)
