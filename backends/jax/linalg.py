"""Linear algebra (keras.ops.linalg, plus logdet and slogdet) on JAX.

Integer and bool inputs compute in floatx; float16 and bfloat16 compute in float32 (XLA's
LAPACK kernels take no half types) and come back in their own dtype.
"""
import jax
import jax.numpy as jnp
import jax.scipy as jsp
import numpy as np

from kfront.backend.contract import LINALG_OPS
from kfront.backend import linalg_args as _args
from kfront.backends.jax.core import convert_to_tensor, to_float

__all__ = list(LINALG_OPS)  # the contract's family, in its order

_HALF = (jnp.float16, jnp.bfloat16)


def _float(x):
    """(x as a float array LAPACK takes, the dtype results come back in)."""
    x = to_float(x)
    return (x.astype(jnp.float32), x.dtype) if x.dtype in _HALF else (x, x.dtype)


def _back(out, dtype):
    if isinstance(out, (tuple, list)):
        return tuple(_back(o, dtype) for o in out)
    if jnp.issubdtype(out.dtype, jnp.floating) and out.dtype != dtype:
        return out.astype(dtype)
    return out


def _matrix(op, x, square=False):
    x, dtype = _float(x)
    _args.check_matrix(op, x.shape, square)
    return x, dtype


def _concrete(x):
    """Whether ``x`` holds values now (not a tracer inside ``jit``)."""
    return not isinstance(x, jax.core.Tracer)


def cholesky(x, upper=False):
    """The Cholesky factor of symmetric positive-definite matrices (lower unless ``upper``)."""
    x, dtype = _matrix("cholesky", x, square=True)
    out = jnp.linalg.cholesky(x, upper=upper)
    # XLA marks a failed factorization with NaNs; outside jit that becomes an error.
    if _concrete(out) and bool(jnp.any(jnp.isnan(out))) and not bool(jnp.any(jnp.isnan(x))):
        raise ValueError("cholesky: decomposition failed; the input is not a positive-definite "
                         "matrix.")
    return _back(out, dtype)


def cholesky_inverse(x, upper=False):
    """The inverse of ``A`` from its Cholesky factor ``x`` (``A = L L^T`` or ``U^T U``)."""
    x, dtype = _matrix("cholesky_inverse", x, square=True)
    eye = jnp.broadcast_to(jnp.eye(x.shape[-1], dtype=x.dtype), x.shape)
    factor_inv = jsp.linalg.solve_triangular(x, eye, lower=not upper)
    t = jnp.swapaxes(factor_inv, -1, -2)
    return _back(factor_inv @ t if upper else t @ factor_inv, dtype)


def det(x):
    x, dtype = _matrix("det", x, square=True)
    return _back(jnp.linalg.det(x), dtype)


def eig(x):
    """Eigenvalues and right eigenvectors of general square matrices (complex; CPU only)."""
    x, _ = _matrix("eig", x, square=True)
    return tuple(jnp.linalg.eig(x))


def eigh(x):
    """Eigenvalues (ascending) and eigenvectors of symmetric matrices (lower triangle read)."""
    x, dtype = _matrix("eigh", x, square=True)
    return _back(tuple(jnp.linalg.eigh(x, symmetrize_input=False)), dtype)


def inv(x):
    x, dtype = _matrix("inv", x, square=True)
    return _back(jnp.linalg.inv(x), dtype)


def lu_factor(x):
    """(LU, pivots): L's unit diagonal left implicit, and 0-based int32 row-swap pivots, as
    ``scipy.linalg.lu_factor``."""
    x, dtype = _matrix("lu_factor", x)
    lu, pivots, _ = jax.lax.linalg.lu(x)
    return _back(lu, dtype), pivots.astype(jnp.int32)


def _default_rcond(x):
    return float(np.finfo(np.dtype(x.dtype)).eps) * max(x.shape[-2:])


def lstsq(a, b, rcond=None):
    """The least-squares solution of ``a @ x = b`` (``a`` 2-D; ``b`` 1-D or 2-D)."""
    a, dtype = _float(a)
    b = convert_to_tensor(b).astype(a.dtype)
    _args.check_lstsq(a.shape, b.shape)
    rcond = _default_rcond(a) if rcond is None else rcond
    return _back(jnp.linalg.pinv(a, rtol=rcond) @ b, dtype)


def matrix_rank(x, tol=None):
    """The int32 rank: singular values above ``tol`` (default: NumPy's)."""
    x, _ = _matrix("matrix_rank", x)
    s = jnp.linalg.svd(x, compute_uv=False)
    if tol is None:
        tol = jnp.max(s, axis=-1, keepdims=True) * _default_rcond(x)
    return jnp.sum(s > tol, axis=-1).astype(jnp.int32)


def pinv(x, rcond=None):
    """The Moore-Penrose pseudo-inverse; singular values <= rcond * largest count as zero."""
    x, dtype = _matrix("pinv", x)
    return _back(jnp.linalg.pinv(x, rtol=_default_rcond(x) if rcond is None else rcond), dtype)


def qr(x, mode="reduced"):
    _args.check_qr_mode(mode)
    x, dtype = _matrix("qr", x)
    return _back(tuple(jnp.linalg.qr(x, mode=mode)), dtype)


def solve(a, b):
    """``x`` with ``a @ x = b``; ``b`` with one axis fewer than ``a`` holds vectors."""
    a, dtype = _float(a)
    b = convert_to_tensor(b).astype(a.dtype)
    if _args.check_solve("solve", a.shape, b.shape):
        return _back(jnp.linalg.solve(a, b[..., None])[..., 0], dtype)
    return _back(jnp.linalg.solve(a, b), dtype)


def solve_triangular(a, b, lower=False):
    a, dtype = _float(a)
    b = convert_to_tensor(b).astype(a.dtype)
    vector = _args.check_solve("solve_triangular", a.shape, b.shape)
    out = jsp.linalg.solve_triangular(a, b[..., None] if vector else b, lower=lower)
    return _back(out[..., 0] if vector else out, dtype)


def svd(x, full_matrices=True, compute_uv=True):
    """(u, s, vh) with ``x = u @ diag(s) @ vh``; only ``s`` when not ``compute_uv``."""
    x, dtype = _matrix("svd", x)
    if not compute_uv:
        return _back(jnp.linalg.svd(x, compute_uv=False), dtype)
    return _back(tuple(jnp.linalg.svd(x, full_matrices=full_matrices)), dtype)


def slogdet(x):
    """(sign, log|det|) of square matrices."""
    x, dtype = _matrix("slogdet", x, square=True)
    return _back(tuple(jnp.linalg.slogdet(x)), dtype)


def logdet(x):
    """log(det(x)): NaN where the determinant is negative, -inf where it is zero."""
    x, dtype = _matrix("logdet", x, square=True)
    sign, value = jnp.linalg.slogdet(x)
    return _back(jnp.where(sign < 0, jnp.nan, value), dtype)


def jvp(fun, primals, tangents, has_aux=False):
    """Forward-mode (primals_out, tangents_out[, aux]) of ``fun`` at ``primals``."""
    _args.check_jvp(primals, tangents)
    primals = tuple(convert_to_tensor(p) for p in primals)
    tangents = tuple(convert_to_tensor(t).astype(p.dtype) for t, p in zip(tangents, primals))
    return jax.jvp(fun, primals, tangents, has_aux=has_aux)
