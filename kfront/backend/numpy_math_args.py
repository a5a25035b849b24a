"""Argument checks every adapter's numpy_math ops make (engine-free), so an error reads the
same on every engine."""

QUANTILE_METHODS = ("linear", "lower", "higher", "midpoint", "nearest")


def check_quantile_method(op, method):
    if method not in QUANTILE_METHODS:
        raise ValueError(f"{op}: `method` must be one of {QUANTILE_METHODS}. "
                         f"Received: method={method!r}")


def check_integer(op, arg, dtype_name, allow_bool=True):
    """Bitwise ops, shifts and ldexp's exponent take integers or bools; gcd and lcm take
    integers only."""
    if not ((allow_bool and dtype_name == "bool") or "int" in dtype_name):
        kind = "an integer or bool" if allow_bool else "an integer"
        raise TypeError(f"{op}: `{arg}` must be {kind} tensor. Received: {arg} of dtype "
                        f"{dtype_name}")


def check_histogram(bins, range):
    if not isinstance(bins, int) or isinstance(bins, bool):
        raise TypeError(f"histogram: `bins` must be an int. Received: bins={bins!r}")
    if bins < 1:
        raise ValueError(f"histogram: `bins` must be a positive int. Received: bins={bins!r}")
    if range is not None:
        if not isinstance(range, (tuple, list)) or len(range) != 2:
            raise ValueError("histogram: `range` must be a tuple (min, max). "
                             f"Received: range={range!r}")
        if range[1] < range[0]:
            raise ValueError("histogram: `range` must have min <= max. "
                             f"Received: range={range!r}")


def check_bincount(sparse, rank, minlength):
    if sparse:
        raise ValueError("bincount: kfront has no sparse tensors; `sparse=True` is not "
                         "supported. Received: sparse=True")
    if rank not in (1, 2):
        raise ValueError(f"bincount: `x` must be 1D or 2D. Received: x of rank {rank}")
    if minlength < 0:
        raise ValueError(f"bincount: `minlength` must be >= 0. Received: minlength={minlength}")


def check_vector_size(op, size, allowed):
    if size not in allowed:
        raise ValueError(f"{op}: the vector axis must have size {' or '.join(map(str, allowed))}."
                         f" Received: size {size}")


def check_correlate_mode(mode):
    if mode not in ("valid", "same", "full"):
        raise ValueError("correlate: `mode` must be 'valid', 'same' or 'full'. "
                         f"Received: mode={mode!r}")


def correlate_window(mode, m, n):
    """(start, length) of NumPy's ``correlate(a, v, mode)`` inside the full correlation, for
    ``len(a) == m`` and ``len(v) == n``."""
    check_correlate_mode(mode)
    if mode == "full":
        return 0, m + n - 1
    if mode == "valid":
        return min(m, n) - 1, abs(m - n) + 1
    return ((n - 1) // 2 if m >= n else m // 2), max(m, n)
