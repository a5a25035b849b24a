"""Argument checks shared by every adapter's conv and pool kernels (engine-free).

``kfront.ops.conv`` and friends accept Keras 3's spellings (an int or a tuple for strides,
"same"/"valid", a data_format or None for the global setting); each adapter normalizes
them here, so the errors read the same on every engine.
"""
from kfront import config


def normalize_tuple(value, n, name, op):
    if isinstance(value, int):
        return (value,) * n
    value = tuple(int(v) for v in value)
    if len(value) == 1:
        return value * n
    if len(value) != n:
        raise ValueError(f"{op}: `{name}` must be an int or a tuple of {n} ints, "
                         f"received {name}={value}.")
    return value


def normalize_padding(padding, op):
    p = str(padding).lower()
    if p not in ("valid", "same"):
        raise ValueError(f"{op}: `padding` must be 'valid' or 'same', received {padding!r}.")
    return p


def normalize_data_format(data_format, op):
    fmt = config.image_data_format() if data_format is None else str(data_format).lower()
    if fmt not in ("channels_last", "channels_first"):
        raise ValueError(f"{op}: `data_format` must be 'channels_last' or 'channels_first', "
                         f"received {data_format!r}.")
    return fmt
