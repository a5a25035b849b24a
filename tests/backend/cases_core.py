"""The case type of the conformance suite, its shared inputs, and the tensor-op cases.

A case is one call of one contract op plus the NumPy answer. ``case`` builds a plain call
``ops.<op>(*args, **kwargs)``, which the suite runs twice: with the array arguments as
NumPy arrays and as engine tensors. ``special`` wraps a custom zero-argument function, run
once. The expected output's dtype is checked too: by default it is the dtype of the NumPy
reference, so references are written with the dtype the contract promises.
"""
import numpy as np

import kfront
import kfront.ops as ops

RTOL = 1e-5
ATOL = 1e-6
AUTO = "auto"  # out_dtype: check the reference's own dtype

f32 = np.float32
i32 = np.int32


class Exact:
    """An expected Python value (bool, int, str, tuple of ints): equal, and of the same types."""

    def __init__(self, value):
        self.value = value


class Case:
    """One call of contract op ``op`` and the value NumPy says it returns."""

    def __init__(self, op, label, expected, args=(), kwargs=None, call=None,
                 out_dtype=AUTO, rtol=RTOL, atol=ATOL):
        self.op = op
        self.id = f"{op}-{label}"
        self.expected = expected
        self.args = args
        self.kwargs = kwargs or {}
        self.call = call
        self.out_dtype = out_dtype
        self.rtol = rtol
        self.atol = atol


def case(op, label, *args, expected, out_dtype=AUTO, rtol=RTOL, atol=ATOL, **kwargs):
    """``ops.<op>(*args, **kwargs)`` must equal ``expected``."""
    return Case(op, label, expected, args, kwargs, None, out_dtype, rtol, atol)


def special(op, label, fn, expected, out_dtype=AUTO, rtol=RTOL, atol=ATOL):
    """``fn()`` (which exercises ``op``) must equal ``expected``."""
    return Case(op, label, expected, call=fn, out_dtype=out_dtype, rtol=rtol, atol=atol)


# Shared inputs; a fixed generator keeps every run identical.
_rng = np.random.default_rng(20240611)
X = _rng.uniform(-2, 2, (3, 4)).astype(f32)
Y = _rng.uniform(-2, 2, (3, 4)).astype(f32)
Y[0, 0] = X[0, 0]  # one tie, for the comparison ops
Y[2, 3] = X[2, 3]
P = _rng.uniform(0.5, 3, (3, 4)).astype(f32)  # positive: sqrt, log, power bases, divisors
X3 = _rng.uniform(-2, 2, (2, 3, 4)).astype(f32)
B3 = _rng.uniform(-2, 2, (3, 4, 5)).astype(f32)
V = _rng.uniform(-2, 2, (4,)).astype(f32)
V5 = _rng.uniform(-2, 2, (5,)).astype(f32)
W = _rng.uniform(-2, 2, (4, 5)).astype(f32)
I = _rng.integers(-6, 7, (3, 4)).astype(i32)
J = _rng.choice(np.array([-3, -2, -1, 1, 2, 3, 4]), (3, 4)).astype(i32)  # nonzero divisors
Z = X.copy()
Z[0, 1] = Z[1, 2] = Z[2, 0] = 0.0  # zeros for sign, any/all, count_nonzero
BX = X > 0
BY = Y > 0
D = (_rng.permutation(12).reshape(3, 4) - 5.5).astype(f32)  # distinct: ties make arg* ambiguous
SPECIAL = np.array([np.nan, np.inf, -np.inf, 0.0, -1.5, 3.0], f32)
HALVES = np.array([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 1.2, -1.7], f32)


def _dtype_of(dt):
    return lambda: ops.dtype(ops.cast(X, dt))


def _is_tensor_answers():
    return (ops.is_tensor(ops.convert_to_tensor(X)), ops.is_tensor(X), ops.is_tensor(1.0),
            ops.is_tensor([1.0, 2.0]))


def _already_tensor_is_returned():
    t = ops.convert_to_tensor(X)
    return ops.convert_to_tensor(t) is t, ops.convert_to_tensor(t, dtype="float32") is t


def _numpy_roundtrip(value):
    def fn():
        out = ops.convert_to_numpy(ops.convert_to_tensor(value))
        return type(out) is np.ndarray, out.dtype.name, out.shape
    return fn


TENSOR_CASES = [
    special("is_tensor", "tensor_array_float_list", _is_tensor_answers,
            Exact((True, False, False, False))),

    case("convert_to_tensor", "python_float_is_floatx", 1.5, expected=f32(1.5)),
    case("convert_to_tensor", "python_int_is_int32", 3, expected=i32(3)),
    case("convert_to_tensor", "python_bool_is_bool", True, expected=np.bool_(True)),
    case("convert_to_tensor", "float_list_is_floatx", [[1.0, 2.0], [3.0, 4.5]],
         expected=np.array([[1.0, 2.0], [3.0, 4.5]], f32)),
    case("convert_to_tensor", "int_list_is_int32", [1, 2, 3], expected=np.array([1, 2, 3], i32)),
    case("convert_to_tensor", "float64_array_is_floatx", X.astype(np.float64), expected=X),
    # JAX runs with 64-bit types off (its default, as in Keras): int64 narrows to int32.
    case("convert_to_tensor", "int64_array_stays_int64", np.arange(4, dtype=np.int64),
         expected=np.arange(4, dtype=np.int64),
         out_dtype="int32" if kfront.config.backend() == "jax" else "int64"),
    case("convert_to_tensor", "int32_array", I, expected=I),
    case("convert_to_tensor", "float16_array", X.astype(np.float16), expected=X.astype(np.float16)),
    case("convert_to_tensor", "bool_array", BX, expected=BX),
    case("convert_to_tensor", "explicit_float16", X, dtype="float16",
         expected=X.astype(np.float16)),
    case("convert_to_tensor", "explicit_int32_to_float32", I, dtype="float32",
         expected=I.astype(f32)),
    special("convert_to_tensor", "tensor_passes_through", _already_tensor_is_returned,
            Exact((True, True))),

    special("convert_to_numpy", "float32_roundtrip", _numpy_roundtrip(X),
            Exact((True, "float32", (3, 4)))),
    special("convert_to_numpy", "int32_roundtrip", _numpy_roundtrip(I),
            Exact((True, "int32", (3, 4)))),
    special("convert_to_numpy", "bool_roundtrip", _numpy_roundtrip(BX),
            Exact((True, "bool", (3, 4)))),
    special("convert_to_numpy", "values", lambda: ops.convert_to_numpy(ops.convert_to_tensor(X)),
            X),

    special("shape", "rank3", lambda: ops.shape(ops.convert_to_tensor(X3)), Exact((2, 3, 4))),
    special("shape", "scalar", lambda: ops.shape(ops.convert_to_tensor(2.0)), Exact(())),
    special("shape", "numpy_input", lambda: ops.shape(X), Exact((3, 4))),

    *[special("dtype", dt, _dtype_of(dt), Exact(dt))
      for dt in ("float16", "bfloat16", "float32", "int8", "int16", "int32", "uint8", "bool")],

    case("cast", "float_to_int32_truncates", X * 3, "int32", expected=(X * 3).astype(i32)),
    case("cast", "float_to_bool", Z, "bool", expected=Z != 0),
    case("cast", "int_to_float32", I, "float32", expected=I.astype(f32)),
    case("cast", "bool_to_float32", BX, "float32", expected=BX.astype(f32)),
    # float16 keeps 11 significant bits.
    case("cast", "float_to_float16", X, "float16", expected=X.astype(np.float16), rtol=1e-3),
    # bfloat16 keeps 8 significant bits; the round trip is compared in float32.
    special("cast", "bfloat16_roundtrip", lambda: ops.cast(ops.cast(X, "bfloat16"), "float32"),
            X, rtol=1e-2),

    case("stop_gradient", "values", X, expected=X),
]
