"""``pad_images`` and ``crop_images`` of ``kfront.ops.image``: zero-padding or cropping the
height and width of images to given margins or a target size. Written from kfront ops."""
from kfront.ops._export import composite
from kfront.ops._image_args import check_rank, data_format_of, ops



def _margins(op, size, first, second, target, first_name, second_name, target_name):
    """The (first, second) margins of one axis from exactly two of the three arguments."""
    given = {first_name: first, second_name: second, target_name: target}
    if list(given.values()).count(None) != 1:
        raise ValueError(f"{op}: give exactly two of {first_name}, {second_name} and "
                         f"{target_name}; received " +
                         ", ".join(f"{k}={v}" for k, v in given.items()) + ".")
    for name, value in given.items():
        if value is not None and value < 0:
            raise ValueError(f"{op}: `{name}` must be >= 0; received {name}={value}.")
    if target is None:
        return first, second
    if size is None:
        raise ValueError(f"{op}: the image height and width must be known; received an "
                         "unknown size.")
    total = size - target if op == "crop_images" else target - size
    if first is None:
        first = total - second
    if second is None:
        second = total - first
    for name, value in ((first_name, first), (second_name, second)):
        if value < 0:
            raise ValueError(f"{op}: `{name}` works out to {value} for an image axis of size "
                             f"{size}; it must be >= 0 (check {target_name}).")
    return first, second


def _axes(op, images, data_format):
    rank = check_rank(op, images, (3, 4))
    first = data_format_of(data_format) == "channels_first"
    height_axis = rank - 2 if first else rank - 3
    return rank, height_axis


@composite
def pad_images(images, top_padding=None, left_padding=None, bottom_padding=None,
               right_padding=None, target_height=None, target_width=None, data_format=None):
    """Pads images with zeros: give two of (top, bottom, target_height) and two of (left,
    right, target_width).

    Written from kfront ops. Example: ``pad_images(x, 2, 2, target_height=32,
    target_width=32)``.
    """
    o = ops()
    images = o.convert_to_tensor(images)
    rank, h = _axes("pad_images", images, data_format)
    shape = o.shape(images)
    top, bottom = _margins("pad_images", shape[h], top_padding, bottom_padding, target_height,
                           "top_padding", "bottom_padding", "target_height")
    left, right = _margins("pad_images", shape[h + 1], left_padding, right_padding,
                           target_width, "left_padding", "right_padding", "target_width")
    widths = [(0, 0)] * rank
    widths[h], widths[h + 1] = (top, bottom), (left, right)
    return o.pad(images, widths)


@composite
def crop_images(images, top_cropping=None, left_cropping=None, bottom_cropping=None,
                right_cropping=None, target_height=None, target_width=None, data_format=None):
    """Crops images: give two of (top, bottom, target_height) and two of (left, right,
    target_width).

    Written from kfront ops.
    """
    o = ops()
    images = o.convert_to_tensor(images)
    rank, h = _axes("crop_images", images, data_format)
    shape = o.shape(images)
    top, bottom = _margins("crop_images", shape[h], top_cropping, bottom_cropping,
                           target_height, "top_cropping", "bottom_cropping", "target_height")
    left, right = _margins("crop_images", shape[h + 1], left_cropping, right_cropping,
                           target_width, "left_cropping", "right_cropping", "target_width")
    index = [slice(None)] * rank
    index[h] = slice(top, shape[h] - bottom)
    index[h + 1] = slice(left, shape[h + 1] - right)
    return images[tuple(index)]
