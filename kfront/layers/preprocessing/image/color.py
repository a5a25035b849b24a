"""Color augmentations: brightness, saturation, hue, color degeneration, grayscale, invert
and the color jitter that chains four of them."""
from kfront import config, ops
from kfront.layers.preprocessing.image._augment import (AugmentationLayer, keras_factor,
                                                         per_image, rescale, value_range_arg)
from kfront.layers.preprocessing.image.random_contrast import RandomContrast
from kfront.ops import image as image_ops


class _ColorLayer(AugmentationLayer):
    """A color layer with a Keras ``factor`` in ``BOUNDS`` and a ``value_range``."""

    BOUNDS = (-1.0, 1.0)

    def __init__(self, factor, value_range=(0, 255), seed=None, data_format=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        owner = type(self).__name__
        self.factor = keras_factor(owner, "factor", factor, *self.BOUNDS)
        self.value_range = value_range_arg(owner, value_range)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor,
                "value_range": self.value_range}


class RandomBrightness(_ColorLayer):
    """Adds a random offset to every pixel while training, then clips to ``value_range``.

    Args:
        factor: a float f in [-1, 1] (offset drawn from [-f, f]) or a pair (lower, upper);
            the offset is that fraction of the ``value_range`` width, one per image.
        value_range: the (low, high) range of the inputs, e.g. (0, 255) or (0, 1).
        seed: an int for reproducible draws.

    >>> layer = kfront.layers.RandomBrightness(0.2, value_range=(0, 1))
    """

    boxes_unchanged = True  # no geometry moves: boxes and masks pass through

    def __init__(self, factor, value_range=(0, 255), seed=None, **kwargs):
        super().__init__(factor, value_range=value_range, seed=seed, **kwargs)

    def get_random_transformation(self, images, training=True, seed=None):
        width = self.value_range[1] - self.value_range[0]
        return {"rgb_delta": self.draw(images, self.factor[0], self.factor[1], seed=seed)
                * width}

    def transform_images(self, images, transformation, training=True):
        out = images + per_image(ops.cast(transformation["rgb_delta"], ops.dtype(images)))
        return ops.clip(out, self.value_range[0], self.value_range[1])


class RandomSaturation(_ColorLayer):
    """Scales each image's HSV saturation by a random amount while training.

    Args:
        factor: a float in [-1, 1] or a pair; a draw f scales saturation by f / (1 - f), so
            0.5 keeps the image, 0 (or less) makes it gray and values near 1 saturate it.
        value_range: the (low, high) range of the inputs.
        seed: an int for reproducible draws.

    The scaled saturation is clipped to [0, 1] (Keras clips it to ``value_range``, which
    lets RGB values leave the range when it is wider than 1).
    """

    boxes_unchanged = True  # no geometry moves: boxes and masks pass through

    def get_random_transformation(self, images, training=True, seed=None):
        f = self.draw(images, self.factor[0], self.factor[1], seed=seed)
        return {"factor": f / (1.0 - f + config.epsilon())}

    def transform_images(self, images, transformation, training=True):
        hsv = image_ops.rgb_to_hsv(images, data_format="channels_last")
        scale = ops.reshape(ops.cast(transformation["factor"], ops.dtype(images)), (-1, 1, 1))
        s = ops.clip(hsv[..., 1] * scale, 0.0, 1.0)
        hsv = ops.stack([hsv[..., 0], s, hsv[..., 2]], axis=-1)
        return image_ops.hsv_to_rgb(hsv, data_format="channels_last")


class RandomHue(_ColorLayer):
    """Shifts each image's hue by a random amount while training.

    Args:
        factor: a float f in [0, 1] (shift magnitude drawn from [0, f], direction random) or
            a pair; a magnitude of 1 shifts the hue by half a turn.
        value_range: the (low, high) range of the inputs.
        seed: an int for reproducible draws.
    """

    boxes_unchanged = True  # no geometry moves: boxes and masks pass through

    BOUNDS = (0.0, 1.0)

    def get_random_transformation(self, images, training=True, seed=None):
        sign = ops.where(self.draw(images, 0.0, 1.0, seed=seed) > 0.5, -1.0, 1.0)
        return {"factor": sign * self.draw(images, self.factor[0], self.factor[1], seed=seed)
                * 0.5}

    def transform_images(self, images, transformation, training=True):
        x = rescale(images, self.value_range, (0, 1))
        hsv = image_ops.rgb_to_hsv(x, data_format="channels_last")
        shift = ops.reshape(ops.cast(transformation["factor"], ops.dtype(x)), (-1, 1, 1))
        h = hsv[..., 0] + shift
        h = ops.where(h > 1.0, h - 1.0, ops.where(h < 0.0, h + 1.0, h))
        hsv = ops.stack([h, hsv[..., 1], hsv[..., 2]], axis=-1)
        x = ops.clip(image_ops.hsv_to_rgb(hsv, data_format="channels_last"), 0.0, 1.0)
        return rescale(x, (0, 1), self.value_range)


class RandomColorDegeneration(_ColorLayer):
    """Blends each image toward its grayscale version by a random amount while training.

    Args:
        factor: a float in [-1, 1] or a pair: the blend weight (0 keeps the image, 1 is
            gray, negative values push colors away from gray).
        value_range: the (low, high) range of the inputs (the result is clipped to it).
        seed: an int for reproducible draws.
    """

    boxes_unchanged = True  # no geometry moves: boxes and masks pass through

    def get_random_transformation(self, images, training=True, seed=None):
        return {"factor": self.draw(images, self.factor[0], self.factor[1], seed=seed)}

    def transform_images(self, images, transformation, training=True):
        gray = image_ops.rgb_to_grayscale(images, data_format="channels_last")
        f = per_image(ops.cast(transformation["factor"], ops.dtype(images)))
        return ops.clip(images + f * (gray - images), self.value_range[0], self.value_range[1])


class RandomInvert(_ColorLayer):
    """Replaces images by ``value_range[1] - x`` at random while training.

    Args:
        factor: a float p in [0, 1] or a pair: the range each image's inversion chance
            is drawn from (see below).
        value_range: the (low, high) range of the inputs.
        seed: an int for reproducible draws.

    As in Keras, each image draws a probability from ``factor``'s range and is inverted
    when a second uniform draw falls below it, so ``factor=1.0`` inverts half the images
    and ``factor=(1.0, 1.0)`` inverts every image.
    """

    boxes_unchanged = True  # no geometry moves: boxes and masks pass through

    BOUNDS = (0.0, 1.0)

    def __init__(self, factor=1.0, value_range=(0, 255), seed=None, data_format=None,
                 **kwargs):
        super().__init__(factor, value_range, seed, data_format, **kwargs)

    def get_random_transformation(self, images, training=True, seed=None):
        return {"apply_inversion": self.coin(images, self.factor, seed=seed)}

    def transform_images(self, images, transformation, training=True):
        apply = per_image(transformation["apply_inversion"])
        return ops.where(apply, self.value_range[1] - images, images)


class RandomGrayscale(AugmentationLayer):
    """Turns each image gray (kept at 3 channels) with probability ``factor`` while training.

    Args:
        factor: the probability, a float in [0, 1] (default 0.5).
        seed: an int for reproducible draws.
        data_format: "channels_last" or "channels_first".
    """

    boxes_unchanged = True  # no geometry moves: boxes and masks pass through

    def __init__(self, factor=0.5, data_format=None, seed=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        if isinstance(factor, bool) or not isinstance(factor, (int, float)) \
                or not 0 <= factor <= 1:
            raise ValueError("RandomGrayscale: `factor` should be between 0 and 1. "
                             f"Received: factor={factor!r}")
        self.factor = factor

    def get_random_transformation(self, images, training=True, seed=None):
        return {"should_apply": self.draw(images, 0.0, 1.0, seed=seed) < self.factor}

    def transform_images(self, images, transformation, training=True):
        gray = image_ops.rgb_to_grayscale(images, data_format="channels_last")
        return ops.where(per_image(transformation["should_apply"]), gray + 0.0 * images,
                         images)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}


class RandomColorJitter(AugmentationLayer):
    """Random brightness, contrast, saturation and hue, in that order, while training.

    Args:
        value_range: the (low, high) range of the inputs.
        brightness_factor, contrast_factor, saturation_factor, hue_factor: the ``factor``
            of ``RandomBrightness``, ``RandomContrast``, ``RandomSaturation`` and
            ``RandomHue``; None (default) skips that step.
        seed: an int for reproducible draws.
    """

    boxes_unchanged = True  # no geometry moves: boxes and masks pass through

    def __init__(self, value_range=(0, 255), brightness_factor=None, contrast_factor=None,
                 saturation_factor=None, hue_factor=None, seed=None, data_format=None,
                 **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.value_range = value_range_arg("RandomColorJitter", value_range)
        self.brightness_factor, self.contrast_factor = brightness_factor, contrast_factor
        self.saturation_factor, self.hue_factor = saturation_factor, hue_factor
        steps = (("brightness", RandomBrightness, brightness_factor),
                 ("contrast", RandomContrast, contrast_factor),
                 ("saturation", RandomSaturation, saturation_factor),
                 ("hue", RandomHue, hue_factor))
        self._steps = [(key, cls(factor, value_range=self.value_range, seed=seed))
                       for key, cls, factor in steps if factor is not None]

    def get_random_transformation(self, images, training=True, seed=None):
        return {key: layer.get_random_transformation(images, seed=self._seed(seed))
                for key, layer in self._steps}

    def transform_images(self, images, transformation, training=True):
        for key, layer in self._steps:
            images = layer.transform_images(images, transformation[key], training)
        return images

    def get_config(self):
        return {**super().get_config(), "value_range": self.value_range,
                "brightness_factor": self.brightness_factor,
                "contrast_factor": self.contrast_factor,
                "saturation_factor": self.saturation_factor, "hue_factor": self.hue_factor}
