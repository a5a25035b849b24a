"""Argument checks shared by every adapter's array kernels (``numpy_array.py``; engine-free).

Each adapter calls these with static shapes (``None`` for a size unknown while tracing), so
a wrong input gets the same message on every engine.
"""


def check_kth(kth, n):
    """``argpartition``: ``kth`` indexes an axis of size ``n``."""
    if n is not None and not -n <= int(kth) < n:
        raise ValueError(f"argpartition: `kth` must be in [-{n}, {n}) for an axis of size "
                         f"{n}, received kth={kth}.")


def check_diag_rank(shape):
    if len(shape) not in (1, 2):
        raise ValueError(f"diag: `x` must be 1-D or 2-D, received shape {tuple(shape)}.")


def check_matrix(op, shape):
    """``shape`` has at least 2 dimensions (diagonal, tril, triu)."""
    if len(shape) < 2:
        raise ValueError(f"{op}: `x` must have at least 2 dimensions, received shape "
                         f"{tuple(shape)}.")


def check_searchsorted(side, sequence_shape):
    if side not in ("left", "right"):
        raise ValueError(f"searchsorted: `side` must be 'left' or 'right', received {side!r}.")
    if len(sequence_shape) != 1:
        raise ValueError("searchsorted: `sorted_sequence` must be 1-D, received shape "
                         f"{tuple(sequence_shape)}.")


def check_unstack_num(num, shape, axis):
    n = shape[axis]
    if num is not None and n is not None and num != n:
        raise ValueError(f"unstack: `num`={num} does not match the size {n} of axis {axis} "
                         f"of a tensor of shape {tuple(shape)}.")
