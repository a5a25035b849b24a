"""Patch extraction of ``kfront.ops.image``: extract_patches, extract_patches_3d.

Written once from kfront ops. Non-overlapping patches (strides equal to the size, no
dilation, "valid" padding: ViT's patch embedding) are a reshape and a transpose; every
other case is a convolution with an identity kernel, as Keras does. Each patch is
flattened in (row, column, channel) order.
"""
import numpy as np

from kfront.ops._export import composite
from kfront.ops._image_args import as_float, check_rank, ops, to_channels_last
from kfront.backend.conv_args import normalize_padding, normalize_tuple


def _size(op, size, n):
    if isinstance(size, (int, np.integer)):
        size = (int(size),) * n
    if not isinstance(size, (tuple, list)) or len(size) != n or not all(
            isinstance(s, (int, np.integer)) and s > 0 for s in size):
        raise TypeError(f"{op}: `size` must be a positive int or a tuple of {n} positive "
                        f"ints; received size={size!r}.")
    return tuple(int(s) for s in size)


def _by_reshape(x, size):
    """Non-overlapping patches of a (B, *spatial, C) batch, by reshaping."""
    o = ops()
    shape = o.shape(x)
    spatial, channels = shape[1:-1], shape[-1]
    counts = [s // p for s, p in zip(spatial, size)]
    x = x[(slice(None),) + tuple(slice(0, c * p) for c, p in zip(counts, size))]
    split = [-1]
    for c, p in zip(counts, size):
        split += [c, p]
    x = o.reshape(x, tuple(split) + (channels,))
    n = len(size)
    # (B, c1, p1, c2, p2, ..., C) -> (B, c1, c2, ..., p1, p2, ..., C)
    perm = (0,) + tuple(1 + 2 * i for i in range(n)) + tuple(2 + 2 * i for i in range(n)) \
        + (2 * n + 1,)
    x = o.transpose(x, perm)
    return o.reshape(x, (-1,) + tuple(counts) + (int(np.prod(size)) * channels,))


def _by_conv(x, size, strides, dilation_rate, padding):
    o = ops()
    channels = o.shape(x)[-1]
    depth = int(np.prod(size)) * channels
    kernel = np.eye(depth).reshape(size + (channels, depth))
    return o.conv(x, o.cast(kernel, o.dtype(x)), strides=strides, padding=padding,
                  data_format="channels_last", dilation_rate=dilation_rate)


def _patches(op, images, size, strides, dilation_rate, padding, data_format, n):
    check_rank(op, images, (n + 1, n + 2))
    size = _size(op, size, n)
    strides = size if strides is None else normalize_tuple(strides, n, "strides", op)
    dilation_rate = normalize_tuple(dilation_rate, n, "dilation_rate", op)
    padding = normalize_padding(padding, op)
    x, restore = to_channels_last(images, data_format, spatial=n)
    x, dtype = as_float(x)
    if None in ops().shape(x)[-1:]:
        raise ValueError(f"{op}: the channel axis of `images` must be known; received shape "
                         f"{tuple(ops().shape(images))}.")
    if tuple(strides) == size and set(dilation_rate) == {1} and padding == "valid" \
            and None not in ops().shape(x)[1:]:
        out = _by_reshape(x, size)
    else:
        out = _by_conv(x, size, strides, dilation_rate, padding)
    return restore(ops().cast(out, dtype))


@composite
def extract_patches(images, size, strides=None, dilation_rate=1, padding="valid",
                    data_format=None):
    """Patches of ``size`` (an int or (height, width)) every ``strides`` (default: ``size``),
    each flattened into the channel axis: (B, H', W', ph * pw * C).

    Written from kfront ops. A 3-tuple ``size`` extracts 3-D patches (``extract_patches_3d``).
    Example (ViT): ``ops.image.extract_patches(images, size=16)``.
    """
    if isinstance(size, (tuple, list)) and len(size) == 3:
        return _patches("extract_patches", images, size, strides, dilation_rate, padding,
                        data_format, 3)
    return _patches("extract_patches", images, size, strides, dilation_rate, padding,
                    data_format, 2)


@composite
def extract_patches_3d(volumes, size, strides=None, dilation_rate=1, padding="valid",
                       data_format=None):
    """3-D patches of ``size`` (an int or (depth, height, width)) from volumes
    (B, D, H, W, C), each flattened into the channel axis: (B, D', H', W', pd * ph * pw * C).

    Written from kfront ops.
    """
    return _patches("extract_patches_3d", volumes, size, strides, dilation_rate, padding,
                    data_format, 3)
