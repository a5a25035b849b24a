"""Conformance cases for ``contract.NUMPY_MATH_OPS`` and the numpy_math composites: NumPy's
answer, with Keras 3's dtype rules (integer inputs to float functions give floatx, NumPy's
float64 answers are written as float32, sums of small integers widen to int32)."""
import numpy as np

import kfront.ops as ops
from cases_core import BX, BY, D, I, J, P, SPECIAL, V, V5, W, X, X3, Y, Z, case, f32, i32, special

f64 = np.float64
nan, inf = np.nan, np.inf
U = (X / 2.5).astype(f32)  # inside (-1, 1): arcsin, arccos, arctanh
G = (P + 1).astype(f32)  # >= 1: arccosh
IP = (np.abs(I) + 1).astype(i32)  # positive ints: logs, reciprocals
SH = (np.abs(J) % 4).astype(i32)  # shift amounts 0..3
XN = X.copy()
XN[0, 1] = XN[1, 3] = XN[2, 0] = XN[2, 2] = nan  # NaNs, no all-NaN slice
C = (X + 1j * Y).astype(np.complex64)
C[1, 1] = X[1, 1]  # one purely real entry
SIGNED_ZEROS = np.array([-0.0, 0.0, -1.5, 2.0, -inf, inf], f32)
I8 = I.astype(np.int8)
COUNTS = np.array([0, 1, 1, 3, 2, 1, 7], i32)
BINS = np.array([-1.0, 0.0, 0.5, 1.0], f32)


def f(a):
    """A float64 NumPy answer in float32 (the dtype Keras gives)."""
    return np.asarray(a).astype(f32)


def _unary_float(op, fn, x, ints):
    """The float case and the int-gives-floatx case of a float function."""
    return [case(op, "float", x, expected=f(fn(x.astype(f64)))),
            case(op, "int_gives_floatx", ints, expected=f(fn(ints.astype(f64))))]


def _binary_float(op, fn, **extra):
    return [case(op, "float", X, Y, expected=f(fn(X.astype(f64), Y)), **extra),
            case(op, "ints_give_floatx", I, J, expected=f(fn(I.astype(f64), J)), **extra),
            case(op, "python_float", X, 1.5, expected=f(fn(X.astype(f64), 1.5)), **extra)]


def _complex_parts(fn):
    def run():
        out = fn(C)
        return ops.real(out), ops.imag(out)
    return run


def _histogram(x, **kwargs):
    counts, edges = np.histogram(x, **kwargs)
    return [counts.astype(i32), f(edges)]


ELEMENTWISE = [
    *_unary_float("arccos", np.arccos, U, np.array([-1, 0, 1], i32)),
    *_unary_float("arcsin", np.arcsin, U, np.array([-1, 0, 1], i32)),
    *_unary_float("arctanh", np.arctanh, U, np.array([0, 0], i32)),
    *_unary_float("arccosh", np.arccosh, G, np.array([1, 2, 3], i32)),
    *_unary_float("arcsinh", np.arcsinh, X, I),
    *_unary_float("cbrt", np.cbrt, X * 4, I),
    *_unary_float("deg2rad", np.deg2rad, X * 90, I),
    *_unary_float("rad2deg", np.rad2deg, X, I),
    *_unary_float("exp2", np.exp2, X, I),
    *_unary_float("fabs", np.fabs, X, I),
    *_unary_float("i0", np.i0, X, I),
    case("i0", "float16", X.astype(np.float16), expected=np.i0(X).astype(np.float16), rtol=2e-3),
    *_unary_float("log10", np.log10, P, IP),
    *_unary_float("log2", np.log2, P, IP),
    *_unary_float("reciprocal", np.reciprocal, P, IP),
    *_unary_float("sinc", np.sinc, Z, I),
    case("angle", "float_signs", Z, expected=f(np.angle(Z))),
    case("angle", "int_gives_floatx", I, expected=f(np.angle(I))),
    case("angle", "complex64_gives_float32", C, expected=np.angle(C).astype(f32)),
    case("cbrt", "exact_cubes", np.array([-27.0, -8.0, 0.0, 1.0, 64.0], f32),
         expected=np.array([-3.0, -2.0, 0.0, 1.0, 4.0], f32)),
    case("reciprocal", "float16_kept", P.astype(np.float16),
         expected=np.reciprocal(P.astype(np.float16)), rtol=1e-3),

    *_binary_float("arctan2", np.arctan2),
    case("arctan2", "signed_zero_quadrants", np.array([0.0, -0.0, 0.0, -0.0], f32),
         np.array([1.0, 1.0, -1.0, -1.0], f32),
         expected=np.arctan2(np.array([0.0, -0.0, 0.0, -0.0], f32),
                             np.array([1.0, 1.0, -1.0, -1.0], f32))),
    *_binary_float("hypot", np.hypot),
    *_binary_float("logaddexp", np.logaddexp),
    case("logaddexp", "large_no_overflow", np.array([1000.0, -1000.0], f32),
         np.array([1000.0, -1000.0], f32), expected=np.logaddexp([1000.0, -1000.0],
                                                                  [1000.0, -1000.0]).astype(f32)),
    *_binary_float("logaddexp2", np.logaddexp2),
    case("heaviside", "zeros_take_x2", Z, 0.5, expected=np.heaviside(Z, f32(0.5))),
    case("heaviside", "array_x2", Z, Y, expected=np.heaviside(Z, Y)),
    case("heaviside", "ints_give_floatx", I, J, expected=f(np.heaviside(I, J))),
    case("divide_no_nan", "float_zeros_give_zero", X, Z,
         expected=np.where(Z == 0, f32(0), X / np.where(Z == 0, 1, Z))),
    case("divide_no_nan", "ints_give_floatx", I, I,
         expected=f(np.where(I == 0, 0.0, I / np.where(I == 0, 1, I)))),
    case("divide_no_nan", "python_float", X, 4.0, expected=X / f32(4)),
    case("nextafter", "towards_y", X, Y, expected=np.nextafter(X, Y)),
    case("nextafter", "towards_inf", X, np.full((3, 4), inf, f32),
         expected=np.nextafter(X, f32(inf))),
    case("nextafter", "float16_steps_its_own_ulp", X.astype(np.float16), Y.astype(np.float16),
         expected=np.nextafter(X.astype(np.float16), Y.astype(np.float16))),
    case("nextafter", "from_zero_and_to_self", np.array([0.0, 0.0, 1.5], f32),
         np.array([1.0, -1.0, 1.5], f32),
         expected=np.nextafter(np.array([0.0, 0.0, 1.5], f32), np.array([1.0, -1.0, 1.5], f32))),
    case("nextafter", "ints_give_floatx", I, J, expected=np.nextafter(I.astype(f32),
                                                                       J.astype(f32))),
    case("ldexp", "float_int_exponent", X, SH, expected=np.ldexp(X, SH)),
    case("ldexp", "python_int_exponent", X, 3, expected=np.ldexp(X, 3)),
    case("ldexp", "int_mantissa_gives_floatx", I, SH, expected=f(np.ldexp(I, SH))),

    case("fmax", "nan_ignored", XN, Y, expected=np.fmax(XN, Y)),
    case("fmax", "int32", I, J, expected=np.fmax(I, J)),
    case("fmax", "python_float_keeps_float32", XN, 0.5, expected=np.fmax(XN, f32(0.5))),
    case("fmin", "nan_ignored", XN, Y, expected=np.fmin(XN, Y)),
    case("fmin", "int32", I, J, expected=np.fmin(I, J)),
    case("fmod", "float_sign_of_dividend", X, P, expected=np.fmod(X, P)),
    case("fmod", "negative_divisor", X, -P, expected=np.fmod(X, -P)),
    case("fmod", "int32_sign_of_dividend", I, J, expected=np.fmod(I, J)),
    case("fmod", "int8", I8, J.astype(np.int8), expected=np.fmod(I8, J.astype(np.int8))),
    case("fmod", "float16", X.astype(np.float16), P.astype(np.float16), rtol=1e-3, atol=1e-3,
         expected=np.fmod(X.astype(np.float16), P.astype(np.float16))),
    case("fmod", "python_int_keeps_int32", I, 4, expected=np.fmod(I, i32(4))),
    case("gcd", "int32", I, J, expected=np.gcd(I, J)),
    case("gcd", "python_int", I, 4, expected=np.gcd(I, i32(4))),
    case("gcd", "zeros", np.array([0, 0, 5, -12], i32), np.array([0, 7, 0, 18], i32),
         expected=np.array([0, 7, 5, 6], i32)),
    case("lcm", "int32", I, J, expected=np.lcm(I, J)),
    case("lcm", "zeros", np.array([0, 4, -6], i32), np.array([3, 0, 4], i32),
         expected=np.array([0, 0, 12], i32)),

    case("trunc", "float", X * 3, expected=np.trunc(X * 3)),
    case("trunc", "int32_kept", I, expected=I),
    case("nan_to_num", "defaults", SPECIAL, expected=np.nan_to_num(SPECIAL)),
    case("nan_to_num", "given_values", SPECIAL, nan=1.5, posinf=9.0, neginf=-9.0,
         expected=np.nan_to_num(SPECIAL, nan=1.5, posinf=9.0, neginf=-9.0)),
    case("nan_to_num", "int32_kept", I, expected=I),
    case("conjugate", "float_kept", X, expected=X),
    case("conjugate", "int32_kept", I, expected=I),
    special("conjugate", "complex", _complex_parts(ops.conjugate), [X, -np.imag(C)]),
    case("conj", "float_kept", X, expected=X),
    special("conj", "complex", _complex_parts(ops.conj), [X, -np.imag(C)]),
    case("real", "float_kept", X, expected=X),
    case("real", "int32_kept", I, expected=I),
    case("real", "complex64_gives_float32", C, expected=np.real(C)),
    case("imag", "float_gives_zeros", X, expected=np.zeros_like(X)),
    case("imag", "int32_gives_zeros", I, expected=np.zeros_like(I)),
    case("imag", "complex64_gives_float32", C, expected=np.imag(C)),
]

PREDICATES = [
    case("isclose", "default_tolerances", X, X + 1e-6, expected=np.isclose(X, X + f32(1e-6))),
    # Positional: the case's own rtol/atol keywords are its comparison tolerances.
    case("isclose", "rtol_atol", X, Y, 0.5, 0.1, expected=np.isclose(X, Y, 0.5, 0.1)),
    case("isclose", "nan_not_equal", SPECIAL, SPECIAL, expected=np.isclose(SPECIAL, SPECIAL)),
    case("isclose", "equal_nan", SPECIAL, SPECIAL, equal_nan=True,
         expected=np.isclose(SPECIAL, SPECIAL, equal_nan=True)),
    case("isclose", "int32", I, J, expected=np.isclose(I, J)),
    case("allclose", "close", X, X * f32(1 + 1e-6), expected=np.bool_(True)),
    case("allclose", "far", X, Y, expected=np.bool_(False)),
    case("allclose", "equal_nan", SPECIAL, SPECIAL, equal_nan=True, expected=np.bool_(True)),
    case("allclose", "nan_not_equal", SPECIAL, SPECIAL, expected=np.bool_(False)),
    case("isin", "int32", I, np.array([0, 1, 2, -6], i32),
         expected=np.isin(I, np.array([0, 1, 2, -6]))),
    case("isin", "invert", I, np.array([0, 1, 2], i32), invert=True,
         expected=np.isin(I, [0, 1, 2], invert=True)),
    case("isin", "float", X, X[1], expected=np.isin(X, X[1])),
    case("isin", "bool", BX, np.array([True]), expected=BX),
    case("isneginf", "specials", SPECIAL, expected=np.isneginf(SPECIAL)),
    case("isneginf", "int32", I, expected=np.zeros(I.shape, bool)),
    case("isposinf", "specials", SPECIAL, expected=np.isposinf(SPECIAL)),
    case("isreal", "float", X, expected=np.ones(X.shape, bool)),
    case("isreal", "complex", C, expected=np.isreal(C)),
    case("signbit", "signed_zeros", SIGNED_ZEROS, expected=np.signbit(SIGNED_ZEROS)),
    case("signbit", "int32", I, expected=np.signbit(I)),
    case("logical_xor", "bool", BX, BY, expected=np.logical_xor(BX, BY)),
    case("logical_xor", "float_truthiness", X, Z, expected=np.logical_xor(X, Z)),
    case("logical_xor", "python_bool", BX, True, expected=np.logical_xor(BX, True)),
]

BITWISE = [
    case("bitwise_and", "int32", I, J, expected=np.bitwise_and(I, J)),
    case("bitwise_and", "python_int_keeps_int32", I, 6, expected=np.bitwise_and(I, i32(6))),
    case("bitwise_and", "int8", I8, J.astype(np.int8), expected=np.bitwise_and(I8, J.astype(np.int8))),
    case("bitwise_and", "bool", BX, BY, expected=BX & BY),
    case("bitwise_or", "int32", I, J, expected=np.bitwise_or(I, J)),
    case("bitwise_or", "bool", BX, BY, expected=BX | BY),
    case("bitwise_xor", "int32", I, J, expected=np.bitwise_xor(I, J)),
    case("bitwise_xor", "uint8", IP.astype(np.uint8), np.uint8(5) + SH.astype(np.uint8),
         expected=IP.astype(np.uint8) ^ (np.uint8(5) + SH.astype(np.uint8))),
    case("bitwise_invert", "int32", I, expected=np.invert(I)),
    case("bitwise_invert", "bool", BX, expected=~BX),
    case("bitwise_invert", "uint8", IP.astype(np.uint8), expected=np.invert(IP.astype(np.uint8))),
    case("bitwise_not", "int32", I, expected=np.invert(I)),
    case("bitwise_left_shift", "int32", I, SH, expected=np.left_shift(I, SH)),
    case("bitwise_left_shift", "python_int", I, 2, expected=np.left_shift(I, i32(2))),
    case("bitwise_left_shift", "bools_give_int32", BX, BY,
         expected=np.left_shift(BX.astype(i32), BY.astype(i32))),
    case("left_shift", "int32", I, SH, expected=np.left_shift(I, SH)),
    case("bitwise_right_shift", "int32_arithmetic", I, SH, expected=np.right_shift(I, SH)),
    case("bitwise_right_shift", "python_int", I * 7, 1, expected=np.right_shift(I * 7, i32(1))),
    case("right_shift", "int32", I, SH, expected=np.right_shift(I, SH)),
]

PRODUCTS = [
    case("inner", "vectors", V, V, expected=np.inner(V, V)),
    case("inner", "matrices", X, Y, expected=np.inner(X, Y)),
    case("inner", "int32", I, J, expected=np.inner(I, J)),
    case("inner", "scalar", X, 2.0, expected=X * f32(2)),
    case("inner", "bool", BX, BY, expected=np.inner(BX, BY)),
    case("vdot", "flattens", X, Y, expected=np.vdot(X, Y)),
    case("vdot", "int32", I, J, expected=np.vdot(I, J)),
    case("vdot", "bool", BX, BY, expected=np.bool_(np.vdot(BX, BY))),
    case("kron", "matrices", X[:2, :2], Y[:2, :3], expected=np.kron(X[:2, :2], Y[:2, :3])),
    case("kron", "int32_vectors", I[0], J[1], expected=np.kron(I[0], J[1])),
    case("kron", "bool", BX[:2, :2], BY[:2, :3], expected=np.kron(BX[:2, :2], BY[:2, :3])),
    case("kron", "rank3_with_matrix", X3[:, :2, :2], W[:2, :3],
         expected=np.kron(X3[:, :2, :2], W[:2, :3])),
    case("cross", "vectors3", X[:, :3], Y[:, :3], expected=np.cross(X[:, :3], Y[:, :3])),
    case("cross", "vectors2_give_z", X[:, :2], Y[:, :2],
         expected=X[:, 0] * Y[:, 1] - X[:, 1] * Y[:, 0]),
    case("cross", "mixed_2_and_3", X[:, :2], Y[:, :3],
         expected=np.cross(np.pad(X[:, :2], ((0, 0), (0, 1))), Y[:, :3])),
    case("cross", "axis0", X[:3, :3], Y[:3, :3], axis=0,
         expected=np.cross(X[:3, :3], Y[:3, :3], axis=0)),
    case("cross", "axisa_axisb_axisc", X[:3, :2], Y[:2, :3], axisa=0, axisb=1, axisc=0,
         expected=np.cross(X[:3, :2], Y[:2, :3], axisa=0, axisb=1, axisc=0)),
    case("cross", "int32", I[:, :3], J[:, :3], expected=np.cross(I[:, :3], J[:, :3])),
    case("correlate", "valid", V5, V, expected=np.correlate(V5, V)),
    case("correlate", "same", V5, V, mode="same", expected=np.correlate(V5, V, mode="same")),
    case("correlate", "full", V5, V, mode="full", expected=np.correlate(V5, V, mode="full")),
    case("correlate", "ints_give_floatx", I[0], J[1, :3], mode="full",
         expected=f(np.correlate(I[0], J[1, :3], mode="full"))),
]

REDUCTIONS = [
    case("amax", "all", X, expected=np.amax(X)),
    case("amax", "axis_neg1_keepdims", X, axis=-1, keepdims=True,
         expected=np.amax(X, -1, keepdims=True)),
    case("amax", "int32_axis0", I, axis=0, expected=np.amax(I, 0)),
    case("amin", "tuple_axes", X3, axis=(0, 2), expected=np.amin(X3, (0, 2))),
    case("amin", "int32", I, axis=1, expected=np.amin(I, 1)),
    case("ptp", "all", X, expected=np.ptp(X)),
    case("ptp", "axis1_keepdims", X, axis=1, keepdims=True, expected=np.ptp(X, 1, keepdims=True)),
    case("ptp", "int32_axis0", I, axis=0, expected=np.ptp(I, 0)),
    case("average", "no_weights", X, expected=np.average(X)),
    case("average", "axis1_vector_weights", X, axis=1, weights=P[0],
         expected=np.average(X, 1, P[0])),
    case("average", "axis_neg2_vector_weights", X, axis=-2, weights=P[:, 0],
         expected=np.average(X, -2, P[:, 0])),
    case("average", "full_weights", X, weights=P, expected=f(np.average(X.astype(f64), None, P))),
    case("average", "int_gives_floatx", I, axis=0, expected=f(np.average(I, 0))),
    case("average", "int_with_int_weights", I, axis=1, weights=IP[0],
         expected=f(np.average(I, 1, IP[0]))),
    case("trace", "float", X, expected=np.trace(X)),
    case("trace", "offset", X, offset=1, expected=np.trace(X, 1)),
    case("trace", "negative_offset", X, offset=-1, expected=np.trace(X, -1)),
    case("trace", "rank3_axes", X3, axis1=1, axis2=2, expected=np.trace(X3, axis1=1, axis2=2)),
    case("trace", "rank3_negative_axes", X3, axis1=-1, axis2=0,
         expected=np.trace(X3, axis1=-1, axis2=0)),
    case("trace", "int32", I, expected=i32(np.trace(I))),
    case("trace", "int8_widens_to_int32", I8, expected=i32(np.trace(I))),
    case("trace", "bool_gives_int32", BX, expected=i32(np.trace(BX))),
    case("cumprod", "axis1", X, axis=1, expected=np.cumprod(X, 1)),
    case("cumprod", "flat", X, expected=np.cumprod(X)),
    case("cumprod", "axis_neg2", X3, axis=-2, expected=np.cumprod(X3, -2)),
    case("cumprod", "int32", J, axis=0, expected=np.cumprod(J, 0).astype(i32)),
    case("cumprod", "int8_kept", J.astype(np.int8), axis=1,
         expected=np.cumprod(J, 1).astype(np.int8)),
    case("cumprod", "bool_gives_int32", BX, axis=1, expected=np.cumprod(BX, 1).astype(i32)),
    case("cumprod", "dtype", I, axis=1, dtype="float32", expected=f(np.cumprod(I, 1))),
    case("diff", "last_axis", X, expected=np.diff(X)),
    case("diff", "n2_axis0", X, n=2, axis=0, expected=np.diff(X, 2, 0)),
    case("diff", "int32", I, expected=np.diff(I)),
    case("diff", "n0_is_identity", X, n=0, expected=X),
    case("median", "all", X, expected=np.median(X)),
    case("median", "axis1_even", X, axis=1, expected=np.median(X, 1)),
    case("median", "axis0_odd_keepdims", X, axis=0, keepdims=True,
         expected=np.median(X, 0, keepdims=True)),
    case("median", "tuple_axes", X3, axis=(0, 2), expected=np.median(X3, (0, 2))),
    case("median", "int_gives_floatx", I, axis=1, expected=f(np.median(I, 1))),
    case("quantile", "scalar_q", X, 0.3, expected=np.quantile(X, 0.3)),
    case("quantile", "vector_q_axis1", X, np.array([0.0, 0.25, 0.5, 1.0], f32), axis=1,
         expected=f(np.quantile(X.astype(f64), [0.0, 0.25, 0.5, 1.0], axis=1))),
    case("quantile", "list_q_keepdims", X, [0.1, 0.9], axis=0, keepdims=True,
         expected=f(np.quantile(X.astype(f64), [0.1, 0.9], axis=0, keepdims=True))),
    case("quantile", "negative_axis", X3, 0.6, axis=-1,
         expected=f(np.quantile(X3.astype(f64), 0.6, axis=-1))),
    *[case("quantile", method, D, 0.3, axis=1, method=method,
           expected=f(np.quantile(D.astype(f64), 0.3, axis=1, method=method)))
      for method in ("lower", "higher", "midpoint", "nearest")],
    case("quantile", "int_gives_floatx", I, 0.5, axis=0, expected=f(np.quantile(I, 0.5, 0))),
    case("percentile", "scalar_q", X, 30, expected=f(np.percentile(X.astype(f64), 30))),
    case("percentile", "vector_q_axis1", X, np.array([0, 25, 50, 100], f32), axis=1,
         expected=f(np.percentile(X.astype(f64), [0, 25, 50, 100], axis=1))),
    case("percentile", "midpoint", D, 30, axis=0, method="midpoint",
         expected=f(np.percentile(D, 30, axis=0, method="midpoint"))),
    case("percentile", "int_gives_floatx", I, 75, expected=f(np.percentile(I, 75))),
    case("trapezoid", "unit_spacing", X, expected=f(np.trapezoid(X.astype(f64)))),
    case("trapezoid", "sample_points", X, x=np.array([0.0, 0.5, 2.0, 2.5], f32),
         expected=f(np.trapezoid(X.astype(f64), x=[0.0, 0.5, 2.0, 2.5]))),
    case("trapezoid", "dx_axis0", X, dx=0.5, axis=0, expected=f(np.trapezoid(X, dx=0.5, axis=0))),
    case("trapezoid", "int_gives_floatx", I, expected=f(np.trapezoid(I))),
    case("corrcoef", "rows", X, expected=f(np.corrcoef(X.astype(f64))), rtol=1e-4, atol=1e-5),
    case("corrcoef", "int_gives_floatx", I, expected=f(np.corrcoef(I)), rtol=1e-4, atol=1e-5),
]

NAN_AWARE = [
    case("nansum", "all", XN, expected=np.nansum(XN)),
    case("nansum", "axis1_keepdims", XN, axis=1, keepdims=True,
         expected=np.nansum(XN, 1, keepdims=True)),
    case("nansum", "all_nan_slice_is_zero", np.full((2, 3), nan, f32), axis=1,
         expected=np.zeros(2, f32)),
    case("nansum", "int32", I, axis=0, expected=np.sum(I, 0).astype(i32)),
    case("nansum", "int8_widens_to_int32", I8, axis=0, expected=np.sum(I, 0).astype(i32)),
    case("nansum", "bool_gives_int32", BX, expected=i32(BX.sum())),
    case("nanprod", "axis0", XN, axis=0, expected=np.nanprod(XN, 0)),
    case("nanprod", "tuple_axes", XN, axis=(0, 1), expected=np.nanprod(XN)),
    case("nanprod", "int32", J, axis=1, expected=np.prod(J, 1).astype(i32)),
    case("nanmax", "axis1", XN, axis=1, expected=np.nanmax(XN, 1)),
    case("nanmax", "all_keepdims", XN, keepdims=True, expected=np.nanmax(XN, keepdims=True)),
    case("nanmax", "int32", I, axis=0, expected=np.max(I, 0)),
    case("nanmin", "axis_neg2", XN, axis=-2, expected=np.nanmin(XN, -2)),
    case("nanmin", "int32", I, expected=np.min(I)),
    case("nanmean", "all", XN, expected=np.nanmean(XN)),
    case("nanmean", "axis1", XN, axis=1, expected=np.nanmean(XN, 1)),
    case("nanmean", "int_gives_floatx", I, axis=0, expected=f(np.mean(I, 0))),
    case("nanvar", "axis0_keepdims", XN, axis=0, keepdims=True,
         expected=np.nanvar(XN.astype(f64), 0, keepdims=True).astype(f32)),
    case("nanvar", "int_gives_floatx", I, expected=f(np.var(I))),
    case("nanstd", "axis1", XN, axis=1, expected=f(np.nanstd(XN.astype(f64), 1))),
    case("nanstd", "all", XN, expected=f(np.nanstd(XN.astype(f64)))),
    case("nanmedian", "axis1", XN, axis=1, expected=np.nanmedian(XN, 1)),
    case("nanmedian", "all", XN, expected=np.nanmedian(XN)),
    case("nanmedian", "int_gives_floatx", I, axis=1, expected=f(np.median(I, 1))),
    case("nanquantile", "axis1", XN, 0.3, axis=1, expected=f(np.nanquantile(XN.astype(f64), 0.3, 1))),
    case("nanquantile", "vector_q_keepdims", XN, [0.2, 0.7], axis=0, keepdims=True,
         expected=f(np.nanquantile(XN.astype(f64), [0.2, 0.7], axis=0, keepdims=True))),
    case("nanquantile", "higher", XN, 0.4, axis=1, method="higher",
         expected=np.nanquantile(XN, 0.4, axis=1, method="higher")),
    case("nanquantile", "all", XN, 0.5, expected=f(np.nanquantile(XN.astype(f64), 0.5))),
    case("nanpercentile", "axis1", XN, 30, axis=1,
         expected=f(np.nanpercentile(XN.astype(f64), 30, 1))),
    case("nanpercentile", "lower", XN, [10, 90], method="lower",
         expected=np.nanpercentile(XN, [10, 90], method="lower")),
    case("nanargmax", "axis1", XN, axis=1, expected=np.nanargmax(XN, 1).astype(i32)),
    case("nanargmax", "flat", XN, expected=i32(np.nanargmax(XN))),
    case("nanargmax", "keepdims", XN, axis=0, keepdims=True,
         expected=np.nanargmax(XN, 0, keepdims=True).astype(i32)),
    case("nanargmax", "int32", D.astype(i32) * 2, axis=0,
         expected=np.argmax(D.astype(i32) * 2, 0).astype(i32)),
    case("nanargmin", "axis0", XN, axis=0, expected=np.nanargmin(XN, 0).astype(i32)),
    case("nanargmin", "flat", XN, expected=i32(np.nanargmin(XN))),
    case("nanargmin", "bool", BX, axis=1, expected=np.argmin(BX, 1).astype(i32)),
    case("nancumsum", "axis1", XN, axis=1, expected=np.nancumsum(XN, 1)),
    case("nancumsum", "flat", XN, expected=np.nancumsum(XN)),
    case("nancumsum", "int32", I, axis=0, expected=np.cumsum(I, 0).astype(i32)),
    case("nancumsum", "bool_gives_int32", BX, axis=1, expected=np.cumsum(BX, 1).astype(i32)),
    case("nancumprod", "axis0", XN, axis=0, expected=np.nancumprod(XN, 0)),
    case("nancumprod", "flat", XN, expected=np.nancumprod(XN)),
    case("nancumprod", "int32", J, axis=1, expected=np.cumprod(J, 1).astype(i32)),
]

COUNTING = [
    case("bincount", "counts", COUNTS, expected=np.bincount(COUNTS).astype(i32)),
    case("bincount", "minlength", COUNTS, minlength=10,
         expected=np.bincount(COUNTS, minlength=10).astype(i32)),
    case("bincount", "float_weights", COUNTS, weights=np.arange(7, dtype=f32) / 2,
         expected=f(np.bincount(COUNTS, np.arange(7) / 2))),
    case("bincount", "rows", np.array([[0, 1, 1], [2, 2, 0]], i32),
         expected=np.array([[1, 2, 0], [1, 0, 2]], i32)),
    case("bincount", "rows_weights_minlength", np.array([[0, 1, 1], [2, 2, 0]], i32),
         weights=np.array([[1.0, 2.0, 3.0], [0.5, 0.5, 4.0]], f32), minlength=4,
         expected=np.array([[1, 5, 0, 0], [4, 0, 1, 0]], f32)),
    case("digitize", "float", X, BINS, expected=np.digitize(X, BINS).astype(i32)),
    case("digitize", "on_edges", BINS, BINS, expected=np.digitize(BINS, BINS).astype(i32)),
    case("digitize", "int32", I, np.array([-3, 0, 3], i32),
         expected=np.digitize(I, [-3, 0, 3]).astype(i32)),
    case("histogram", "default_bins", X.ravel(), expected=_histogram(X.ravel())),
    case("histogram", "bins_and_range", X.ravel(), bins=4, range=(-1.0, 1.0),
         expected=_histogram(X.ravel(), bins=4, range=(-1.0, 1.0))),
    case("histogram", "int_gives_float_edges", I.ravel(), bins=3,
         expected=_histogram(I.ravel(), bins=3)),
]

CASES = ELEMENTWISE + PREDICATES + BITWISE + PRODUCTS + REDUCTIONS + NAN_AWARE + COUNTING
