"""Packing ``(x, y, sample_weight)`` into the tuple a custom ``train_step`` returns or
receives, and unpacking it."""
from kfront.trainers.data_adapters import data_adapter_utils


def unpack_x_y_sample_weight(data):
    """``(x,)``, ``(x, y)``, ``(x, y, sample_weight)`` or a bare ``x`` (a list counts as a
    tuple) -> ``(x, y, sample_weight)``, absent parts None.

    >>> x, y, sample_weight = kfront.utils.unpack_x_y_sample_weight((features, labels))
    """
    if isinstance(data, list):
        data = tuple(data)
    return data_adapter_utils.unpack_x_y_sample_weight(data)


def pack_x_y_sample_weight(x, y=None, sample_weight=None):
    """The shortest tuple holding the parts given: ``x`` alone stays bare (a list or tuple
    ``x`` is wrapped as ``(x,)`` so it is not read as ``(x, y)``), then ``(x, y)``,
    ``(x, y, sample_weight)``."""
    if y is None:
        return (x,) if isinstance(x, (list, tuple)) else x
    if sample_weight is None:
        return (x, y)
    return (x, y, sample_weight)
