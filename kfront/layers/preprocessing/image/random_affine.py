"""``RandomRotation``, ``RandomZoom``, ``RandomTranslation``: per-image affine warps.

Each builds a (B, 8) transform (output pixel -> input pixel, see
``kfront.ops.image.affine_transform``) from per-image draws and resamples the batch.
"""
import math

from kfront import ops
from kfront.layers.preprocessing.image import bounding_box_support
from kfront.layers.preprocessing.image._augment import AugmentationLayer
from kfront.layers.preprocessing.image._base import factor_range
from kfront.ops import image as image_ops


class _RandomAffine(AugmentationLayer):
    def __init__(self, fill_mode="reflect", interpolation="bilinear", seed=None,
                 fill_value=0.0, data_format=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        owner = type(self).__name__
        self.fill_mode = image_ops.check_fill_mode(owner, fill_mode)
        self.interpolation = image_ops.check_interpolation(owner, interpolation)
        self.fill_value = fill_value

    def get_random_transformation(self, images, training=True, seed=None):
        """``{"transform": (B, 8) output-to-input pixel maps}``, or None at inference;
        ``seed`` is accepted for Keras's signature (the layer's generator draws)."""
        if not training:
            return None
        return {"transform": ops.concatenate(self.transforms(images), axis=1)}

    def transform_images(self, images, transformation, training=True, interpolation=None):
        if transformation is None:
            return images
        return image_ops.affine_transform(images, transformation["transform"],
                                          interpolation or self.interpolation, self.fill_mode,
                                          self.fill_value, "channels_last")

    def transform_segmentation_masks(self, masks, transformation, training=True):
        return self.transform_images(masks, transformation, training, "nearest")

    def transform_box_corners(self, boxes, transformation, image_size, training=True):
        if transformation is None:
            return None
        return bounding_box_support.affine_boxes(boxes, transformation["transform"])

    def get_config(self):
        return {**super().get_config(), "fill_mode": self.fill_mode,
                "interpolation": self.interpolation, "fill_value": self.fill_value}


class RandomRotation(_RandomAffine):
    """Rotates each image about its center by a random angle while training.

    Args:
        factor: a fraction of a full turn: a float f (angles in [-f, f] * 2 pi) or a pair
            (lower, upper). Positive angles turn counter-clockwise.
        fill_mode: "reflect" (default), "wrap", "constant", "nearest" or "mirror".
        interpolation: "bilinear" (default) or "nearest".
        seed: an int for reproducible angles.
        fill_value: the value outside the image with "constant".
        bounding_box_format: the format of "bounding_boxes" in dict inputs (see
            ``bounding_box_support``).
    """

    def __init__(self, factor, fill_mode="reflect", interpolation="bilinear", seed=None,
                 fill_value=0.0, data_format=None, **kwargs):
        super().__init__(fill_mode, interpolation, seed, fill_value, data_format, **kwargs)
        self.factor = factor
        self.lower, self.upper = factor_range("RandomRotation", "factor", factor,
                                              -math.inf, math.inf)

    def transforms(self, images):
        h, w = images.shape[1], images.shape[2]
        angle = self.uniform(images, self.lower * 2 * math.pi, self.upper * 2 * math.pi)
        cos, sin = ops.cos(angle), ops.sin(angle)
        cx, cy = (w - 1) / 2.0, (h - 1) / 2.0
        zero = ops.zeros_like(angle)
        return [cos, -sin, cx - cos * cx + sin * cy, sin, cos, cy - sin * cx - cos * cy,
                zero, zero]

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}


class RandomZoom(_RandomAffine):
    """Zooms each image about its center by a random amount while training.

    Args:
        height_factor: a float f in (-1, 1] (vertical zoom drawn from [1 - f, 1 + f]) or a
            pair. Positive values zoom out, negative values zoom in.
        width_factor: the same for the width; None keeps the aspect ratio (the height's
            draw is used).
        fill_mode, interpolation, seed, fill_value: as in ``RandomRotation``.
    """

    def __init__(self, height_factor, width_factor=None, fill_mode="reflect",
                 interpolation="bilinear", seed=None, fill_value=0.0, data_format=None,
                 **kwargs):
        super().__init__(fill_mode, interpolation, seed, fill_value, data_format, **kwargs)
        self.height_factor, self.width_factor = height_factor, width_factor
        self.height_range = factor_range("RandomZoom", "height_factor", height_factor,
                                         -1.0, 1.0, low_open=True)
        self.width_range = None if width_factor is None else factor_range(
            "RandomZoom", "width_factor", width_factor, -1.0, 1.0, low_open=True)

    def transforms(self, images):
        h, w = images.shape[1], images.shape[2]
        zy = self.uniform(images, 1.0 + self.height_range[0], 1.0 + self.height_range[1])
        zx = zy if self.width_range is None else \
            self.uniform(images, 1.0 + self.width_range[0], 1.0 + self.width_range[1])
        zero = ops.zeros_like(zy)
        return [zx, zero, (w - 1) / 2.0 * (1.0 - zx), zero, zy, (h - 1) / 2.0 * (1.0 - zy),
                zero, zero]

    def get_config(self):
        return {**super().get_config(), "height_factor": self.height_factor,
                "width_factor": self.width_factor}


class RandomTranslation(_RandomAffine):
    """Shifts each image by a random fraction of its height and width while training.

    Args:
        height_factor: a float f in [-1, 1] (shift drawn from [-f, f] * height) or a pair;
            positive shifts move the content down.
        width_factor: the same for the width; positive shifts move the content right.
        fill_mode, interpolation, seed, fill_value: as in ``RandomRotation``.
    """

    def __init__(self, height_factor, width_factor, fill_mode="reflect",
                 interpolation="bilinear", seed=None, fill_value=0.0, data_format=None,
                 **kwargs):
        super().__init__(fill_mode, interpolation, seed, fill_value, data_format, **kwargs)
        self.height_factor, self.width_factor = height_factor, width_factor
        self.height_range = factor_range("RandomTranslation", "height_factor", height_factor)
        self.width_range = factor_range("RandomTranslation", "width_factor", width_factor)

    def transforms(self, images):
        h, w = images.shape[1], images.shape[2]
        dy = self.uniform(images, self.height_range[0], self.height_range[1]) * h
        dx = self.uniform(images, self.width_range[0], self.width_range[1]) * w
        one, zero = ops.ones_like(dx), ops.zeros_like(dx)
        return [one, zero, -dx, zero, one, -dy, zero, zero]

    def get_config(self):
        return {**super().get_config(), "height_factor": self.height_factor,
                "width_factor": self.width_factor}
