"""Linear algebra (keras.ops.linalg, plus logdet and slogdet) on torch.

Integer and bool inputs compute in floatx; float16 and bfloat16 compute in float32 (torch's
CPU LAPACK kernels take no half types) and come back in their own dtype. A singular matrix
gives non-finite values rather than an error, as under ``jax.jit`` (shape inference also
runs these kernels on zero matrices).
"""
import numpy as np
import torch

from kfront.backend.contract import LINALG_OPS
from kfront.backend import linalg_args as _args
from kfront.backends.torch.core import as_tensor, floatx_dtype

__all__ = list(LINALG_OPS)  # the contract's family, in its order

_HALF = (torch.float16, torch.bfloat16)


def _float(x):
    """(x as a float tensor LAPACK takes, the dtype results come back in)."""
    x = as_tensor(x)
    if x.is_floating_point() or x.is_complex():
        return (x.float(), x.dtype) if x.dtype in _HALF else (x, x.dtype)
    x = x.to(floatx_dtype())
    return (x.float(), x.dtype) if x.dtype in _HALF else (x, x.dtype)


def _back(out, dtype):
    if isinstance(out, (tuple, list)):
        return tuple(_back(o, dtype) for o in out)
    return out.to(dtype) if out.is_floating_point() and out.dtype != dtype else out


def _matrix(op, x, square=False):
    x, dtype = _float(x)
    _args.check_matrix(op, x.shape, square)
    return x, dtype


def cholesky(x, upper=False):
    """The Cholesky factor of symmetric positive-definite matrices (lower unless ``upper``)."""
    x, dtype = _matrix("cholesky", x, square=True)
    out, info = torch.linalg.cholesky_ex(x, upper=upper)
    if torch.any(info != 0):
        raise ValueError("cholesky: decomposition failed; the input is not a positive-definite "
                         "matrix.")
    return _back(out, dtype)


def cholesky_inverse(x, upper=False):
    """The inverse of ``A`` from its Cholesky factor ``x`` (``A = L L^T`` or ``U^T U``)."""
    x, dtype = _matrix("cholesky_inverse", x, square=True)
    return _back(torch.cholesky_inverse(x, upper=upper), dtype)


def det(x):
    x, dtype = _matrix("det", x, square=True)
    return _back(torch.linalg.det(x), dtype)


def eig(x):
    """Eigenvalues and right eigenvectors of general square matrices (complex)."""
    x, _ = _matrix("eig", x, square=True)
    return torch.linalg.eig(x)


def eigh(x):
    """Eigenvalues (ascending) and eigenvectors of symmetric matrices (lower triangle read)."""
    x, dtype = _matrix("eigh", x, square=True)
    return _back(torch.linalg.eigh(x), dtype)


def inv(x):
    x, dtype = _matrix("inv", x, square=True)
    return _back(torch.linalg.inv_ex(x)[0], dtype)


def lu_factor(x):
    """(LU, pivots): L's unit diagonal left implicit, and 0-based int32 row-swap pivots, as
    ``scipy.linalg.lu_factor``."""
    x, dtype = _matrix("lu_factor", x)
    lu, pivots, _ = torch.linalg.lu_factor_ex(x)
    return _back(lu, dtype), (pivots - 1).to(torch.int32)


def _default_rcond(x):
    return float(np.finfo(np.dtype(str(x.dtype).split(".")[-1])).eps) * max(x.shape[-2:])


def lstsq(a, b, rcond=None):
    """The least-squares solution of ``a @ x = b`` (``a`` 2-D; ``b`` 1-D or 2-D)."""
    a, dtype = _float(a)
    b = as_tensor(b).to(a.dtype)
    _args.check_lstsq(a.shape, b.shape)
    rcond = _default_rcond(a) if rcond is None else rcond
    # Through the SVD, as NumPy: singular values below rcond * largest count as zero.
    pseudo = torch.linalg.pinv(a, rtol=rcond)
    out = pseudo @ b if b.ndim == 2 else (pseudo @ b[:, None])[:, 0]
    return _back(out, dtype)


def matrix_rank(x, tol=None):
    """The int32 rank: singular values above ``tol`` (default: NumPy's)."""
    x, _ = _matrix("matrix_rank", x)
    if tol is None:
        return torch.linalg.matrix_rank(x).to(torch.int32)
    return torch.linalg.matrix_rank(x, atol=tol, rtol=0.0).to(torch.int32)


def pinv(x, rcond=None):
    """The Moore-Penrose pseudo-inverse; singular values <= rcond * largest count as zero."""
    x, dtype = _matrix("pinv", x)
    return _back(torch.linalg.pinv(x, rtol=_default_rcond(x) if rcond is None else rcond),
                 dtype)


def qr(x, mode="reduced"):
    _args.check_qr_mode(mode)
    x, dtype = _matrix("qr", x)
    return _back(torch.linalg.qr(x, mode=mode), dtype)


def solve(a, b):
    """``x`` with ``a @ x = b``; ``b`` with one axis fewer than ``a`` holds vectors."""
    a, dtype = _float(a)
    b = as_tensor(b).to(a.dtype)
    if _args.check_solve("solve", a.shape, b.shape):
        return _back(torch.linalg.solve_ex(a, b[..., None])[0][..., 0], dtype)
    return _back(torch.linalg.solve_ex(a, b)[0], dtype)


def solve_triangular(a, b, lower=False):
    a, dtype = _float(a)
    b = as_tensor(b).to(a.dtype)
    vector = _args.check_solve("solve_triangular", a.shape, b.shape)
    out = torch.linalg.solve_triangular(a, b[..., None] if vector else b, upper=not lower)
    return _back(out[..., 0] if vector else out, dtype)


def svd(x, full_matrices=True, compute_uv=True):
    """(u, s, vh) with ``x = u @ diag(s) @ vh``; only ``s`` when not ``compute_uv``."""
    x, dtype = _matrix("svd", x)
    if not compute_uv:
        return _back(torch.linalg.svdvals(x), dtype)
    return _back(torch.linalg.svd(x, full_matrices=full_matrices), dtype)


def slogdet(x):
    """(sign, log|det|) of square matrices."""
    x, dtype = _matrix("slogdet", x, square=True)
    return _back(torch.linalg.slogdet(x), dtype)


def logdet(x):
    """log(det(x)): NaN where the determinant is negative, -inf where it is zero."""
    x, dtype = _matrix("logdet", x, square=True)
    return _back(torch.logdet(x), dtype)


def jvp(fun, primals, tangents, has_aux=False):
    """Forward-mode (primals_out, tangents_out[, aux]) of ``fun`` at ``primals``."""
    _args.check_jvp(primals, tangents)
    primals = tuple(as_tensor(p) for p in primals)
    tangents = tuple(as_tensor(t).to(p.dtype) for t, p in zip(tangents, primals))
    return torch.func.jvp(fun, primals, tangents, has_aux=has_aux)
