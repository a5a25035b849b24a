"""Conformance cases for ``contract.LINALG_OPS``: NumPy/SciPy's answers in float32.

Factorizations defined only up to signs (qr, svd, eigh vectors) are compared by absolute
value; eig's complex eigenpairs are checked by sorting the eigenvalues and by ``A V = V W``.
``jvp`` is checked in test_linalg_ops.py (it takes a function).
"""
import numpy as np
import scipy.linalg

import kfront.ops as ops
from cases_core import Exact, case, f32, special  # noqa: F401

_rng = np.random.default_rng(7)
A = (_rng.normal(size=(4, 4)) + 4 * np.eye(4)).astype(f32)      # well-conditioned
AB = (_rng.normal(size=(2, 3, 3)) + 3 * np.eye(3)).astype(f32)   # a batch
_m = _rng.normal(size=(4, 4))
SPD = (_m @ _m.T + 4 * np.eye(4)).astype(f32)                    # symmetric positive-definite
L = np.linalg.cholesky(SPD.astype(np.float64)).astype(f32)
R = _rng.normal(size=(5, 3)).astype(f32)                         # tall
RANK2 = (_rng.normal(size=(4, 2)) @ _rng.normal(size=(2, 5))).astype(f32)
BV = _rng.normal(size=(4,)).astype(f32)
BM = _rng.normal(size=(4, 2)).astype(f32)
BT = _rng.normal(size=(5, 2)).astype(f32)
INT_A = np.array([[2, 1], [1, 3]], np.int32)
NEG = np.array([[0.0, 1.0], [1.0, 0.0]], f32)                    # det -1

d64 = lambda x: np.asarray(x, np.float64)  # noqa: E731
LOOSE = dict(rtol=1e-4, atol=1e-5)


def _np(t):
    return np.asarray(ops.convert_to_numpy(t))


def _abs_all(fn):
    return lambda: tuple(ops.abs(o) for o in fn())


def _eig_sorted(x):
    def fn():
        w, v = ops.eig(x)
        w, v = _np(w), _np(v)
        residual = np.abs(x.astype(np.complex128) @ v - v * w).max()
        return np.sort_complex(w).real.astype(f32), np.sort_complex(w).imag.astype(f32), \
            np.array(residual < 1e-3)
    return fn


def _eig_expected(x):
    w = np.sort_complex(np.linalg.eigvals(d64(x)))
    return w.real.astype(f32), w.imag.astype(f32), np.array(True)


def _dtype_of(fn):
    return lambda: tuple(ops.dtype(o) for o in fn())


_lu, _piv = scipy.linalg.lu_factor(d64(A))
_lub, _pivb = zip(*(scipy.linalg.lu_factor(d64(m)) for m in AB))
_u, _s, _vh = np.linalg.svd(d64(R))
_ur, _sr, _vhr = np.linalg.svd(d64(R), full_matrices=False)
_q, _r = np.linalg.qr(d64(R))
_qc, _rc = np.linalg.qr(d64(R), mode="complete")
_w, _v = np.linalg.eigh(d64(SPD))
_sign, _logabs = np.linalg.slogdet(d64(AB))

CASES = [
    case("cholesky", "lower", SPD, expected=L, **LOOSE),
    case("cholesky", "upper", SPD, upper=True, expected=L.T, **LOOSE),
    case("cholesky", "int_input_is_floatx", INT_A,
         expected=np.linalg.cholesky(d64(INT_A)).astype(f32)),
    case("cholesky_inverse", "lower", L, expected=np.linalg.inv(d64(SPD)).astype(f32), **LOOSE),
    case("cholesky_inverse", "upper", L.T, upper=True,
         expected=np.linalg.inv(d64(SPD)).astype(f32), **LOOSE),
    case("det", "square", A, expected=f32(np.linalg.det(d64(A))), **LOOSE),
    case("det", "batch", AB, expected=np.linalg.det(d64(AB)).astype(f32), **LOOSE),
    case("det", "int_input_is_floatx", INT_A, expected=f32(5.0), **LOOSE),
    special("eig", "eigenvalues_and_residual", _eig_sorted(A), _eig_expected(A), **LOOSE),
    special("eig", "complex_dtypes", _dtype_of(lambda: ops.eig(A)),
            Exact(("complex64", "complex64"))),
    special("eigh", "values_and_abs_vectors",
            lambda: (ops.eigh(SPD)[0], ops.abs(ops.eigh(SPD)[1])),
            (_w.astype(f32), np.abs(_v).astype(f32)), **LOOSE),
    case("inv", "square", A, expected=np.linalg.inv(d64(A)).astype(f32), **LOOSE),
    case("inv", "batch", AB, expected=np.linalg.inv(d64(AB)).astype(f32), **LOOSE),
    case("lstsq", "tall_matrix_rhs", R, BT, expected=np.linalg.lstsq(
        d64(R), d64(BT), rcond=None)[0].astype(f32), **LOOSE),
    case("lstsq", "vector_rhs", R, BT[:, 0], expected=np.linalg.lstsq(
        d64(R), d64(BT[:, 0]), rcond=None)[0].astype(f32), **LOOSE),
    case("lstsq", "rank_deficient_min_norm", RANK2, BV, expected=np.linalg.lstsq(
        d64(RANK2), d64(BV), rcond=1e-5)[0].astype(f32), rtol=1e-3, atol=1e-4),
    case("lu_factor", "square", A, expected=(_lu.astype(f32), _piv.astype(np.int32)), **LOOSE),
    case("lu_factor", "batch", AB, expected=(np.stack(_lub).astype(f32),
                                             np.stack(_pivb).astype(np.int32)), **LOOSE),
    case("matrix_rank", "full", A, expected=np.int32(4)),
    case("matrix_rank", "rank_two", RANK2, expected=np.int32(2)),
    case("matrix_rank", "batch_with_tol", np.stack([A, np.diag([1.0, 1e-3, 1e-6, 0]).astype(f32)]),
         tol=1e-4, expected=np.array([4, 2], np.int32)),
    case("pinv", "tall", R, expected=np.linalg.pinv(d64(R)).astype(f32), **LOOSE),
    case("pinv", "rank_deficient", RANK2, expected=np.linalg.pinv(
        d64(RANK2), rcond=1e-5).astype(f32), rtol=1e-3, atol=1e-4),
    special("qr", "reduced_abs", _abs_all(lambda: ops.qr(R)),
            (np.abs(_q).astype(f32), np.abs(_r).astype(f32)), **LOOSE),
    special("qr", "complete_r_abs", lambda: ops.abs(ops.qr(R, mode="complete")[1]),
            np.abs(_rc).astype(f32), **LOOSE),
    special("qr", "complete_q_shape", lambda: tuple(ops.shape(ops.qr(R, mode="complete")[0])),
            Exact((5, 5))),
    case("solve", "matrix_rhs", A, BM, expected=np.linalg.solve(d64(A), d64(BM)).astype(f32),
         **LOOSE),
    case("solve", "vector_rhs", A, BV, expected=np.linalg.solve(
        d64(A), d64(BV)[:, None])[:, 0].astype(f32), **LOOSE),
    case("solve", "batch", AB, AB[..., :1], expected=np.linalg.solve(
        d64(AB), d64(AB[..., :1])).astype(f32), **LOOSE),
    case("solve_triangular", "upper", np.triu(A), BM, expected=scipy.linalg.solve_triangular(
        d64(np.triu(A)), d64(BM)).astype(f32), **LOOSE),
    case("solve_triangular", "lower_vector", L, BV, lower=True,
         expected=scipy.linalg.solve_triangular(d64(L), d64(BV), lower=True).astype(f32),
         **LOOSE),
    # The last columns of a tall matrix's full ``u`` span its null space in any basis.
    special("svd", "full_abs", _abs_all(lambda: (ops.svd(R)[0][:, :3],) + tuple(ops.svd(R)[1:])),
            (np.abs(_u[:, :3]).astype(f32), _s.astype(f32), np.abs(_vh).astype(f32)), **LOOSE),
    special("svd", "full_u_shape", lambda: tuple(ops.shape(ops.svd(R)[0])), Exact((5, 5))),
    special("svd", "reduced_abs", _abs_all(lambda: ops.svd(R, full_matrices=False)),
            (np.abs(_ur).astype(f32), _sr.astype(f32), np.abs(_vhr).astype(f32)), **LOOSE),
    case("svd", "values_only", R, compute_uv=False, expected=_s.astype(f32), **LOOSE),
    case("slogdet", "batch", AB, expected=(_sign.astype(f32), _logabs.astype(f32)), **LOOSE),
    case("slogdet", "negative", NEG, expected=(f32(-1.0), f32(0.0)), **LOOSE),
    case("logdet", "positive_definite", SPD, expected=f32(np.linalg.slogdet(d64(SPD))[1]),
         **LOOSE),
    case("logdet", "negative_det_is_nan", NEG, expected=f32(np.nan)),
]

COVERED = ["jvp"]
