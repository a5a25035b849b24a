"""Linear algebra (keras.ops.linalg, plus logdet and slogdet) on TensorFlow.

Integer and bool inputs compute in floatx; float16 and bfloat16 compute in float32 (TF's
linear-algebra kernels take no half types) and come back in their own dtype. ``inv`` and
``solve`` go through a QR factorization: TF's LU kernels raise on a singular matrix (even
inside ``tf.function``), while the other engines give non-finite values there, and shape
inference runs every kernel on zero matrices.
"""
import numpy as np
import tensorflow as tf

from kfront.backend.contract import LINALG_OPS
from kfront.backend import linalg_args as _args
from kfront.backends.tensorflow.core import as_float, convert_to_tensor

__all__ = list(LINALG_OPS)  # the contract's family, in its order

_HALF = (tf.float16, tf.bfloat16)


def _float(x):
    """(x as a float tensor the kernels take, the dtype results come back in)."""
    x = as_float(x)
    return (tf.cast(x, tf.float32), x.dtype) if x.dtype in _HALF else (x, x.dtype)


def _back(out, dtype):
    if isinstance(out, (tuple, list)):
        return tuple(_back(o, dtype) for o in out)
    return tf.cast(out, dtype) if out.dtype.is_floating and out.dtype != dtype else out


def _matrix(op, x, square=False):
    x, dtype = _float(x)
    _args.check_matrix(op, x.shape.as_list(), square)
    return x, dtype


def _adjoint(x):
    return tf.linalg.adjoint(x)


def cholesky(x, upper=False):
    """The Cholesky factor of symmetric positive-definite matrices (lower unless ``upper``)."""
    x, dtype = _matrix("cholesky", x, square=True)
    out = tf.linalg.cholesky(x)
    # TF marks a failed factorization with NaNs; eagerly that becomes an error.
    if tf.executing_eagerly() and bool(tf.reduce_any(tf.math.is_nan(out))) \
            and not bool(tf.reduce_any(tf.math.is_nan(x))):
        raise ValueError("cholesky: decomposition failed; the input is not a positive-definite "
                         "matrix.")
    return _back(_adjoint(out) if upper else out, dtype)


def cholesky_inverse(x, upper=False):
    """The inverse of ``A`` from its Cholesky factor ``x`` (``A = L L^T`` or ``U^T U``)."""
    x, dtype = _matrix("cholesky_inverse", x, square=True)
    eye = tf.broadcast_to(tf.eye(tf.shape(x)[-1], dtype=x.dtype), tf.shape(x))
    factor_inv = tf.linalg.triangular_solve(x, eye, lower=not upper)
    if upper:
        return _back(tf.matmul(factor_inv, factor_inv, adjoint_b=True), dtype)
    return _back(tf.matmul(factor_inv, factor_inv, adjoint_a=True), dtype)


def det(x):
    x, dtype = _matrix("det", x, square=True)
    return _back(tf.linalg.det(x), dtype)


def eig(x):
    """Eigenvalues and right eigenvectors of general square matrices (complex)."""
    x, _ = _matrix("eig", x, square=True)
    return tuple(tf.linalg.eig(x))


def eigh(x):
    """Eigenvalues (ascending) and eigenvectors of symmetric matrices (lower triangle read)."""
    x, dtype = _matrix("eigh", x, square=True)
    return _back(tuple(tf.linalg.eigh(x)), dtype)


def _solve_square(a, b):
    q, r = tf.linalg.qr(a)
    return tf.linalg.triangular_solve(r, tf.matmul(q, b, adjoint_a=True), lower=False)


def inv(x):
    x, dtype = _matrix("inv", x, square=True)
    eye = tf.broadcast_to(tf.eye(tf.shape(x)[-1], dtype=x.dtype), tf.shape(x))
    return _back(_solve_square(x, eye), dtype)


def _swaps_from_permutation(perm):
    """LAPACK's row-swap pivots (0-based) that apply the row permutation ``perm``.

    Row i of the permuted matrix is row perm[i] of the input; step i swaps row i with the
    row that now holds perm[i], which is how LAPACK records the same permutation.
    """
    n = perm.shape[-1]
    positions = tf.range(n, dtype=perm.dtype)
    current = tf.broadcast_to(positions, tf.shape(perm))
    pivots = []
    for i in range(n):
        j = tf.argmax(tf.cast(tf.equal(current, perm[..., i:i + 1]), tf.int32), axis=-1,
                      output_type=perm.dtype)[..., None]
        at_i = current[..., i:i + 1]
        at_j = tf.reduce_sum(tf.where(positions == j, current, tf.zeros_like(current)),
                             axis=-1, keepdims=True)
        current = tf.where(positions == i, at_j, tf.where(positions == j, at_i, current))
        pivots.append(j[..., 0])
    return tf.cast(tf.stack(pivots, axis=-1), tf.int32)


def lu_factor(x):
    """(LU, pivots): L's unit diagonal left implicit, and 0-based int32 row-swap pivots, as
    ``scipy.linalg.lu_factor``. Square matrices only on TensorFlow."""
    x, dtype = _matrix("lu_factor", x)
    shape = x.shape.as_list()
    if shape[-1] != shape[-2]:
        raise ValueError("lu_factor: TensorFlow factors square matrices only; received shape "
                         f"{tuple(shape)}.")
    try:
        lu, perm = tf.linalg.lu(x)
    except tf.errors.InvalidArgumentError:
        # Raised eagerly for a singular matrix. The zero matrix (shape inference's stand-in)
        # has the factorization L = I, U = 0 with no row swaps.
        if bool(tf.reduce_all(tf.equal(x, 0))):
            return _back(x, dtype), tf.broadcast_to(tf.range(shape[-1]), tf.shape(x)[:-1])
        raise ValueError("lu_factor: TensorFlow's LU kernel cannot factor a singular matrix.")
    return _back(lu, dtype), _swaps_from_permutation(perm)


def _eps(x):
    return float(np.finfo(x.dtype.as_numpy_dtype).eps)


def _default_rcond(x):
    return _eps(x) * max(x.shape.as_list()[-2:])


def _pinv(x, rcond):
    s, u, v = tf.linalg.svd(x, full_matrices=False)
    cutoff = rcond * tf.reduce_max(s, axis=-1, keepdims=True)
    s_inv = tf.where(s > cutoff, 1.0 / tf.where(s > cutoff, s, tf.ones_like(s)),
                     tf.zeros_like(s))
    return tf.matmul(v * s_inv[..., None, :], u, adjoint_b=True)


def lstsq(a, b, rcond=None):
    """The least-squares solution of ``a @ x = b`` (``a`` 2-D; ``b`` 1-D or 2-D)."""
    a, dtype = _float(a)
    b = tf.cast(convert_to_tensor(b), a.dtype)
    _args.check_lstsq(a.shape.as_list(), b.shape.as_list())
    pseudo = _pinv(a, _default_rcond(a) if rcond is None else rcond)
    if b.shape.rank == 1:
        return _back(tf.linalg.matvec(pseudo, b), dtype)
    return _back(tf.matmul(pseudo, b), dtype)


def matrix_rank(x, tol=None):
    """The int32 rank: singular values above ``tol`` (default: NumPy's)."""
    x, _ = _matrix("matrix_rank", x)
    s = tf.linalg.svd(x, compute_uv=False)
    if tol is None:
        tol = tf.reduce_max(s, axis=-1, keepdims=True) * _default_rcond(x)
    return tf.reduce_sum(tf.cast(s > tol, tf.int32), axis=-1)


def pinv(x, rcond=None):
    """The Moore-Penrose pseudo-inverse; singular values <= rcond * largest count as zero."""
    x, dtype = _matrix("pinv", x)
    return _back(_pinv(x, _default_rcond(x) if rcond is None else rcond), dtype)


def qr(x, mode="reduced"):
    _args.check_qr_mode(mode)
    x, dtype = _matrix("qr", x)
    return _back(tuple(tf.linalg.qr(x, full_matrices=mode == "complete")), dtype)


def solve(a, b):
    """``x`` with ``a @ x = b``; ``b`` with one axis fewer than ``a`` holds vectors."""
    a, dtype = _float(a)
    b = tf.cast(convert_to_tensor(b), a.dtype)
    if _args.check_solve("solve", a.shape.as_list(), b.shape.as_list()):
        return _back(_solve_square(a, b[..., None])[..., 0], dtype)
    return _back(_solve_square(a, b), dtype)


def solve_triangular(a, b, lower=False):
    a, dtype = _float(a)
    b = tf.cast(convert_to_tensor(b), a.dtype)
    vector = _args.check_solve("solve_triangular", a.shape.as_list(), b.shape.as_list())
    out = tf.linalg.triangular_solve(a, b[..., None] if vector else b, lower=lower)
    return _back(out[..., 0] if vector else out, dtype)


def svd(x, full_matrices=True, compute_uv=True):
    """(u, s, vh) with ``x = u @ diag(s) @ vh``; only ``s`` when not ``compute_uv``."""
    x, dtype = _matrix("svd", x)
    if not compute_uv:
        return _back(tf.linalg.svd(x, compute_uv=False), dtype)
    s, u, v = tf.linalg.svd(x, full_matrices=full_matrices)
    return _back((u, s, _adjoint(v)), dtype)


def slogdet(x):
    """(sign, log|det|) of square matrices."""
    x, dtype = _matrix("slogdet", x, square=True)
    return _back(tuple(tf.linalg.slogdet(x)), dtype)


def logdet(x):
    """log(det(x)): NaN where the determinant is negative, -inf where it is zero."""
    x, dtype = _matrix("logdet", x, square=True)
    sign, value = tf.linalg.slogdet(x)
    return _back(tf.where(sign < 0, tf.constant(np.nan, value.dtype), value), dtype)


def jvp(fun, primals, tangents, has_aux=False):
    """Forward-mode (primals_out, tangents_out[, aux]) of ``fun`` at ``primals``."""
    _args.check_jvp(primals, tangents)
    primals = [convert_to_tensor(p) for p in primals]
    tangents = [tf.cast(convert_to_tensor(t), p.dtype) for t, p in zip(tangents, primals)]
    with tf.autodiff.ForwardAccumulator(primals, tangents) as acc:
        out = fun(*primals)
        out, aux = out if has_aux else (out, None)
        tangents_out = tf.nest.map_structure(
            lambda o: _zero_if_none(acc.jvp(o), o), out)
    return (out, tangents_out, aux) if has_aux else (out, tangents_out)


def _zero_if_none(tangent, value):
    # An output that does not depend on the primals has a zero tangent, as in JAX.
    return tf.zeros_like(value) if tangent is None else tangent
