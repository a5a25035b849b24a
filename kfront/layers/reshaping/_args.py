"""Argument normalization shared by the cropping, padding and upsampling layers."""
from kfront import config


def data_format_arg(name, data_format):
    data_format = data_format or config.image_data_format()
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(f"{name}: unknown data_format {data_format!r}; expected "
                         "'channels_last' or 'channels_first'.")
    return data_format


def int_tuple(name, arg, value, n):
    """``value`` (an int or n ints) as a tuple of n non-negative ints."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = (value,) * n
    try:
        value = tuple(int(v) for v in value)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: `{arg}` must be an int or a tuple of {n} ints. "
                         f"Received: {arg}={value!r}") from None
    if len(value) != n:
        raise ValueError(f"{name}: `{arg}` must be an int or a tuple of {n} ints. "
                         f"Received: {arg}={value!r}")
    if any(v < 0 for v in value):
        raise ValueError(f"{name}: `{arg}` cannot be negative. Received: {arg}={value!r}")
    return value


def pairs(name, arg, value, n):
    """``value`` as n (before, after) pairs: an int, n ints (symmetric) or n pairs."""
    if isinstance(value, int) and not isinstance(value, bool):
        pair = int_tuple(name, arg, value, 2)
        return pair if n == 1 else (pair,) * n
    if n == 1:
        return int_tuple(name, arg, value, 2)
    if not isinstance(value, (list, tuple)) or len(value) != n:
        raise ValueError(f"{name}: `{arg}` must be an int, a tuple of {n} ints or a tuple of "
                         f"{n} tuples of 2 ints. Received: {arg}={value!r}")
    return tuple(int_tuple(name, arg, v, 2) for v in value)


def spatial_axes(data_format, n):
    """Indices of the n spatial axes of a rank n+2 input."""
    return tuple(range(2, n + 2)) if data_format == "channels_first" else tuple(range(1, n + 1))
