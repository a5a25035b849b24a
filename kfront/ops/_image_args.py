"""Argument checks and layout helpers shared by the ``kfront.ops.image`` composites."""
from kfront import config


def ops():
    from kfront import ops as kfront_ops
    return kfront_ops


def data_format_of(data_format):
    """``data_format`` or the configured default, checked (``image.standardize_data_format``)."""
    from kfront.ops.image import standardize_data_format
    return standardize_data_format(data_format)


def check_rank(op, images, ranks, name="images"):
    shape = tuple(ops().shape(images))
    if len(shape) not in ranks:
        wanted = " or ".join(str(r) for r in ranks)
        raise ValueError(f"{op}: `{name}` must have rank {wanted} (a batch, or one item); "
                         f"received shape {shape}.")
    return len(shape)


def check_float(op, images):
    dtype = ops().dtype(images)
    if "float" not in dtype:
        raise ValueError(f"{op}: `images` must have a float dtype; received dtype {dtype}.")


def channel_axis(images, data_format):
    """The channel axis of an image (rank 3) or image batch (rank 4), counted from the end."""
    return -1 if data_format_of(data_format) == "channels_last" else -3


def to_channels_last(images, data_format, spatial=2):
    """A batch (B, *spatial, C) and how to undo it: unbatched and channels-first inputs are
    moved into that layout."""
    o = ops()
    images = o.convert_to_tensor(images)
    rank = len(o.shape(images))
    single = rank == spatial + 1
    if single:
        images = o.expand_dims(images, 0)
    first = data_format_of(data_format) == "channels_first"
    if first:
        images = o.transpose(images, (0,) + tuple(range(2, spatial + 2)) + (1,))

    def restore(out):
        if first:
            out = o.transpose(out, (0, spatial + 1) + tuple(range(1, spatial + 1)))
        return out[0] if single else out
    return images, restore


def as_float(x):
    """(x as a tensor of a float dtype, its original dtype)."""
    o = ops()
    x = o.convert_to_tensor(x)
    dtype = o.dtype(x)
    return (x if "float" in dtype else o.cast(x, config.floatx())), dtype
