"""Argument checks shared by every adapter's linear-algebra and FFT kernels (engine-free).

Each adapter calls these with static shapes before it reaches its engine, so a wrong input
gets the same message on every engine instead of a LAPACK or XLA error.
"""


def check_matrix(op, shape, square=False, name="x"):
    """``shape`` is (..., M, N), and M == N when ``square``."""
    shape = tuple(shape)
    if len(shape) < 2:
        raise ValueError(f"{op}: `{name}` must have rank >= 2 (a matrix or a batch of "
                         f"matrices); received shape {shape}.")
    if square and shape[-1] is not None and shape[-2] is not None and shape[-1] != shape[-2]:
        raise ValueError(f"{op}: `{name}` must be square (..., M, M); received shape {shape}.")


def check_solve(op, a_shape, b_shape):
    """``a`` is (..., M, M); ``b`` is (..., M, K), or (..., M) when it has one axis fewer.

    Returns whether ``b`` holds vectors.
    """
    check_matrix(op, a_shape, square=True, name="a")
    a_shape, b_shape = tuple(a_shape), tuple(b_shape)
    vector = len(b_shape) == len(a_shape) - 1
    if len(b_shape) < 1 or not (vector or len(b_shape) == len(a_shape)):
        raise ValueError(f"{op}: `b` must have the rank of `a` or one less; received "
                         f"a.shape={a_shape}, b.shape={b_shape}.")
    rows = b_shape[-1] if vector else b_shape[-2]
    if rows is not None and a_shape[-1] is not None and rows != a_shape[-1]:
        axis = "b.shape[-1]" if vector else "b.shape[-2]"
        raise ValueError(f"{op}: incompatible shapes: expected {axis} == a.shape[-1]; "
                         f"received a.shape={a_shape}, b.shape={b_shape}.")
    return vector


def check_lstsq(a_shape, b_shape):
    a_shape, b_shape = tuple(a_shape), tuple(b_shape)
    if len(a_shape) != 2:
        raise ValueError(f"lstsq: `a` must be a matrix (rank 2); received shape {a_shape}.")
    if len(b_shape) not in (1, 2):
        raise ValueError(f"lstsq: `b` must have rank 1 or 2; received shape {b_shape}.")
    if a_shape[0] != b_shape[0]:
        raise ValueError("lstsq: the leading dimensions of `a` and `b` must match; received "
                         f"a.shape={a_shape}, b.shape={b_shape}.")


def check_qr_mode(mode):
    if mode not in ("reduced", "complete"):
        raise ValueError(f"qr: `mode` must be 'reduced' or 'complete'; received mode={mode!r}.")


def check_complex_pair(op, x, shape_of, dtype_of):
    """``x`` is a (real, imag) pair of float tensors of one shape; returns the pair."""
    if not isinstance(x, (tuple, list)) or len(x) != 2:
        raise ValueError(f"{op}: `x` must be a tuple (real, imag) of two float tensors; "
                         f"received {type(x).__name__}.")
    real, imag = x
    if tuple(shape_of(real)) != tuple(shape_of(imag)):
        raise ValueError(f"{op}: the real and imaginary parts must have the same shape; "
                         f"received {tuple(shape_of(real))} and {tuple(shape_of(imag))}.")
    for part in (real, imag):
        if "float" not in dtype_of(part):
            raise ValueError(f"{op}: the real and imaginary parts must be float tensors; "
                             f"received dtype {dtype_of(part)}.")
    return real, imag


def check_fft_rank(op, shape, rank):
    if len(tuple(shape)) < rank:
        raise ValueError(f"{op}: `x` must have rank >= {rank}; received shape "
                         f"{tuple(shape)}.")


def check_jvp(primals, tangents):
    for name, value in (("primals", primals), ("tangents", tangents)):
        if not isinstance(value, (tuple, list)):
            raise ValueError(f"jvp: `{name}` must be a tuple or list with one entry per "
                             f"argument of `fun`; received {type(value).__name__}.")
    if len(primals) != len(tangents):
        raise ValueError(f"jvp: `primals` and `tangents` must have the same length; received "
                         f"{len(primals)} and {len(tangents)}.")


def check_view_as_complex(shape):
    if len(tuple(shape)) < 1 or tuple(shape)[-1] != 2:
        raise ValueError("view_as_complex: the last axis of `x` must have size 2 (real, "
                         f"imag); received shape {tuple(shape)}.")
