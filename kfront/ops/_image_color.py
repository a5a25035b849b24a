"""Color conversions of ``kfront.ops.image``: rgb_to_grayscale, rgb_to_hsv, hsv_to_rgb.

Written once from kfront ops (TensorFlow's formulas, which Keras uses on every engine).
"""
from kfront.ops._export import composite
from kfront.ops._image_args import channel_axis, check_float, check_rank, ops

# ITU-R 601 luma weights, as tf.image.rgb_to_grayscale.
_LUMA = (0.2989, 0.5870, 0.1140)


def _channels(op, images, data_format, sizes):
    axis = channel_axis(images, data_format)
    n = ops().shape(images)[axis]
    if n not in sizes:
        raise ValueError(f"{op}: expected {' or '.join(map(str, sizes))} channels on axis "
                         f"{axis}; received images of shape {tuple(ops().shape(images))}.")
    return axis


def _split(images, axis):
    o = ops()
    return [o.take(images, i, axis=axis) for i in range(3)]


@composite
def rgb_to_grayscale(images, data_format=None):
    """RGB images to one-channel luma ``0.2989 R + 0.5870 G + 0.1140 B``, in their own dtype.

    Written from kfront ops. ``images`` is (B, H, W, 3) or (H, W, 3) (channels first with
    ``data_format``); one-channel images come back unchanged.
    """
    o = ops()
    images = o.convert_to_tensor(images)
    check_rank("rgb_to_grayscale", images, (3, 4))
    axis = _channels("rgb_to_grayscale", images, data_format, (1, 3))
    if o.shape(images)[axis] == 1:
        return images
    dtype = o.dtype(images)
    x = images if "float" in dtype else o.cast(images, "float32")
    r, g, b = _split(x, axis)
    gray = r * _LUMA[0] + g * _LUMA[1] + b * _LUMA[2]
    return o.cast(o.expand_dims(gray, axis), dtype)


@composite
def rgb_to_hsv(images, data_format=None):
    """RGB images (floats in [0, 1]) to HSV, every component in [0, 1] (hue 0 is red).

    Written from kfront ops.
    """
    o = ops()
    images = o.convert_to_tensor(images)
    check_rank("rgb_to_hsv", images, (3, 4))
    check_float("rgb_to_hsv", images)
    axis = _channels("rgb_to_hsv", images, data_format, (3,))
    r, g, b = _split(images, axis)
    value = o.maximum(o.maximum(r, g), b)
    spread = value - o.minimum(o.minimum(r, g), b)
    saturation = o.where(value > 0, spread / o.where(value > 0, value, 1.0), 0.0)
    norm = 1.0 / (6.0 * o.where(spread > 0, spread, 1.0))
    hue = o.where(r == value, norm * (g - b),
                  o.where(g == value, norm * (b - r) + 2.0 / 6.0, norm * (r - g) + 4.0 / 6.0))
    hue = o.where(spread > 0, hue, 0.0)
    hue = o.where(hue < 0, hue + 1.0, hue)
    return o.stack([hue, saturation, value], axis=axis)


@composite
def hsv_to_rgb(images, data_format=None):
    """HSV images (floats in [0, 1]) to RGB. Written from kfront ops."""
    o = ops()
    images = o.convert_to_tensor(images)
    check_rank("hsv_to_rgb", images, (3, 4))
    check_float("hsv_to_rgb", images)
    axis = _channels("hsv_to_rgb", images, data_format, (3,))
    hue, saturation, value = _split(images, axis)
    dh = hue * 6.0
    red = o.clip(o.abs(dh - 3.0) - 1.0, 0.0, 1.0)
    green = o.clip(2.0 - o.abs(dh - 2.0), 0.0, 1.0)
    blue = o.clip(2.0 - o.abs(dh - 4.0), 0.0, 1.0)
    gray = 1.0 - saturation
    return o.stack([value * (gray + saturation * c) for c in (red, green, blue)], axis=axis)
