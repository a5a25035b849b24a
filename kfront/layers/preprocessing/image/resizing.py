"""``Resizing`` and ``CenterCrop``: fixed-size images, the same in training and inference."""
from kfront.layers.preprocessing.image import bounding_box_support
from kfront.layers.preprocessing.image._base import ImageLayer
from kfront.ops import image as image_ops


def size_arg(owner, height, width):
    for arg, value in (("height", height), ("width", width)):
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            raise ValueError(f"{owner}: `{arg}` must be a positive int. Received: "
                             f"{arg}={value!r}")
    return height, width


class SizedOutput:
    """Mixin for layers whose output is ``self.height`` x ``self.width``."""

    def compute_output_shape(self, input_shape):
        self._check_rank(input_shape)
        out = list(input_shape)
        h_axis, w_axis = self._spatial_axes(len(out))
        out[h_axis], out[w_axis] = self.height, self.width
        return tuple(out)

    def get_config(self):
        return {**super().get_config(), "height": self.height, "width": self.width}


class _FixedSize(SizedOutput, ImageLayer):
    def __init__(self, height, width, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.height, self.width = size_arg(type(self).__name__, height, width)

    # Deterministic: dict inputs (images with boxes) need no draws.
    def get_random_transformation(self, images, training):
        return None

    def transform_images(self, images, transformation, training):
        return self.transform(images, training)

    def transform_segmentation_masks(self, masks, transformation, training):
        return self.transform(masks, training, interpolation="nearest")


class Resizing(_FixedSize):
    """Resizes images to (height, width).

    Args:
        height, width: the output size.
        interpolation: "bilinear" (default) or "nearest".
        crop_to_aspect_ratio: resize the largest centered window with the target aspect
            ratio, so the image is not distorted.
        pad_to_aspect_ratio: pad with ``fill_value`` to the target aspect ratio instead.
        fill_mode: "constant" (the only mode for padding).
        fill_value: the padding value.
        antialias: not supported (False).
        data_format: "channels_last" or "channels_first".
        bounding_box_format: the format of "bounding_boxes" in dict inputs (see
            ``bounding_box_support``).
    """

    def __init__(self, height, width, interpolation="bilinear", crop_to_aspect_ratio=False,
                 pad_to_aspect_ratio=False, fill_mode="constant", fill_value=0.0,
                 antialias=False, data_format=None, **kwargs):
        super().__init__(height, width, data_format=data_format, **kwargs)
        self.interpolation = image_ops.check_resize_args(
            "Resizing", interpolation, crop_to_aspect_ratio, pad_to_aspect_ratio, fill_mode,
            antialias)
        self.crop_to_aspect_ratio = bool(crop_to_aspect_ratio)
        self.pad_to_aspect_ratio = bool(pad_to_aspect_ratio)
        self.fill_mode = fill_mode
        self.fill_value = fill_value
        self.antialias = False

    def transform(self, images, training, interpolation=None):
        return image_ops.resize(images, (self.height, self.width),
                                interpolation=interpolation or self.interpolation,
                                crop_to_aspect_ratio=self.crop_to_aspect_ratio,
                                pad_to_aspect_ratio=self.pad_to_aspect_ratio,
                                fill_value=self.fill_value, data_format="channels_last")

    def transform_box_corners(self, boxes, transformation, image_size, training):
        out = (self.height, self.width)
        top, left, h, w = bounding_box_support.resize_window(
            image_size, out, self.crop_to_aspect_ratio, self.pad_to_aspect_ratio)
        return bounding_box_support.window_boxes(boxes, top, left, (h, w), out)

    def get_config(self):
        return {**super().get_config(), "interpolation": self.interpolation,
                "crop_to_aspect_ratio": self.crop_to_aspect_ratio,
                "pad_to_aspect_ratio": self.pad_to_aspect_ratio, "fill_mode": self.fill_mode,
                "fill_value": self.fill_value, "antialias": self.antialias}


def center_crop(images, height, width, interpolation="bilinear"):
    """The centered (height, width) window of a channels-last batch; an image smaller than
    that is first resized, keeping its aspect ratio, so the window fits."""
    in_h, in_w = images.shape[1], images.shape[2]
    if in_h < height or in_w < width:
        return image_ops.resize(images, (height, width), interpolation=interpolation,
                                crop_to_aspect_ratio=True, data_format="channels_last")
    top, left = (in_h - height) // 2, (in_w - width) // 2
    return images[:, top:top + height, left:left + width, :]


class CenterCrop(_FixedSize):
    """Crops the central (height, width) window of each image.

    Args:
        height, width: the output size. Smaller inputs are resized (aspect ratio kept)
            before cropping, as in Keras.
        data_format: "channels_last" or "channels_first".
    """

    def __init__(self, height, width, data_format=None, **kwargs):
        super().__init__(height, width, data_format=data_format, **kwargs)

    def transform(self, images, training, interpolation="bilinear"):
        return center_crop(images, self.height, self.width, interpolation)

    def transform_box_corners(self, boxes, transformation, image_size, training):
        in_h, in_w = image_size
        out = (self.height, self.width)
        if in_h < self.height or in_w < self.width:
            top, left, h, w = bounding_box_support.resize_window(image_size, out, True)
            return bounding_box_support.window_boxes(boxes, top, left, (h, w), out)
        top, left = (in_h - self.height) // 2, (in_w - self.width) // 2
        return bounding_box_support.window_boxes(boxes, top, left, out, out)
