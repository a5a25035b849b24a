"""Tone augmentations that remap pixel values: Solarization, RandomPosterization,
AutoContrast, Equalization and RandomSharpness."""
import numpy as np

from kfront import ops
from kfront.layers.preprocessing.image._augment import (AugmentationLayer, keras_factor,
                                                         per_image, rescale, value_range_arg)

_U8 = (0, 255)


class Solarization(AugmentationLayer):
    """Inverts the pixels at or above a random threshold, after adding a random offset,
    while training (PIL's ``ImageOps.solarize`` with a shift).

    In the 0-255 scale each image gets ``y = clip(x + a, 0, 255)``, then
    ``255 - y`` where ``y >= t``. ``a`` and ``t`` are drawn per image.

    Args:
        addition_factor: a float f in [0, 1] (``a`` drawn from [0, 255 f]) or a pair.
        threshold_factor: a float f in [0, 1] (``t`` drawn from [0, 255 f]) or a pair; the
            default 0 inverts every pixel.
        value_range: the (low, high) range of the inputs.
        seed: an int for reproducible draws.
    """

    boxes_unchanged = True  # no geometry moves: boxes and masks pass through

    def __init__(self, addition_factor=0.0, threshold_factor=0.0, value_range=(0, 255),
                 seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        self.addition_factor = keras_factor("Solarization", "addition_factor",
                                            addition_factor, 0.0, 1.0)
        self.threshold_factor = keras_factor("Solarization", "threshold_factor",
                                             threshold_factor, 0.0, 1.0)
        self.value_range = value_range_arg("Solarization", value_range)

    def get_random_transformation(self, images, training=True, seed=None):
        a, t = self.addition_factor, self.threshold_factor
        return {"additions": self.draw(images, a[0] * 255, a[1] * 255, seed=seed),
                "thresholds": self.draw(images, t[0] * 255, t[1] * 255, seed=seed)}

    def transform_images(self, images, transformation, training=True):
        dtype = ops.dtype(images)
        x = rescale(images, self.value_range, _U8)
        y = ops.clip(x + per_image(ops.cast(transformation["additions"], dtype)), 0, 255)
        y = ops.where(y < per_image(ops.cast(transformation["thresholds"], dtype)), y, 255 - y)
        return rescale(y, _U8, self.value_range)

    def get_config(self):
        return {**super().get_config(), "addition_factor": self.addition_factor,
                "threshold_factor": self.threshold_factor, "value_range": self.value_range}


class RandomPosterization(AugmentationLayer):
    """Keeps only the top ``bits`` bits of each 8-bit value while training.

    Args:
        factor: the bits kept, an int in [1, 8]: an int b (``bits`` drawn from [1, b]) or a
            pair (lower, upper), both ends included. ``(b, b)`` always keeps b bits.
        value_range: the (low, high) range of the inputs (mapped to 0-255 and back).
        seed: an int for reproducible draws.
    """

    boxes_unchanged = True  # no geometry moves: boxes and masks pass through

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.factor = keras_factor("RandomPosterization", "factor", factor, 1, 8)
        if any(v != int(v) for v in self.factor):
            raise ValueError("RandomPosterization: `factor` must hold whole numbers of bits "
                             f"in [1, 8]. Received: factor={factor!r}")
        self.factor = tuple(int(v) for v in self.factor)
        self.value_range = value_range_arg("RandomPosterization", value_range)

    def get_random_transformation(self, images, training=True, seed=None):
        from kfront import random
        from kfront.layers.preprocessing.image._base import batch_size
        bits = random.randint((batch_size(images),), self.factor[0], self.factor[1] + 1,
                              seed=self._seed(seed))
        return {"shift_factor": 8 - bits}

    def transform_images(self, images, transformation, training=True):
        x = ops.floor(ops.clip(rescale(images, self.value_range, _U8), 0, 255))
        step = per_image(ops.power(2.0, ops.cast(transformation["shift_factor"],
                                                 ops.dtype(images))))
        return rescale(ops.floor(x / step) * step, _U8, self.value_range)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "value_range": self.value_range}


class AutoContrast(AugmentationLayer):
    """Stretches each channel of each image to the full ``value_range`` (its minimum to
    the low end, its maximum to the high end). Applied in training and inference, as in
    Keras; a constant channel is left unchanged.

    Args:
        value_range: the (low, high) range of the inputs.
    """

    boxes_unchanged = True  # no geometry moves: boxes and masks pass through

    APPLIES_AT_INFERENCE = True

    def __init__(self, value_range=(0, 255), **kwargs):
        super().__init__(**kwargs)
        self.value_range = value_range_arg("AutoContrast", value_range)

    def transform_images(self, images, transformation=None, training=True):
        x = rescale(images, self.value_range, _U8)
        low = ops.min(x, axis=(1, 2), keepdims=True)
        high = ops.max(x, axis=(1, 2), keepdims=True)
        spread = high - low
        scale = 255.0 / ops.where(spread > 0, spread, 1.0)
        out = rescale(ops.clip((x - low) * scale, 0, 255), _U8, self.value_range)
        return ops.where(spread > 0, out, images)

    def get_config(self):
        config = {**super().get_config(), "value_range": self.value_range}
        config.pop("seed", None)
        return config


class Equalization(AugmentationLayer):
    """Histogram-equalizes each channel of each image while training (identity at
    inference, as in Keras).

    Values are mapped to 0-255, binned into ``bins`` bins, and sent through the
    normalized cumulative histogram (rounded to whole levels). A channel whose pixels all
    fall in one bin is left unchanged. Each image gets its own histogram (Keras 3.15
    pools the histogram over a batch; a single image gives the same numbers).

    Args:
        value_range: the (low, high) range of the inputs.
        bins: the number of histogram bins (default 256).
    """

    boxes_unchanged = True  # no geometry moves: boxes and masks pass through

    def __init__(self, value_range=(0, 255), bins=256, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        if isinstance(bins, bool) or not isinstance(bins, int) or bins < 2:
            raise ValueError(f"Equalization: `bins` must be an int >= 2. Received: bins={bins!r}")
        self.bins = bins
        self.value_range = value_range_arg("Equalization", value_range)

    def transform_images(self, images, transformation=None, training=True):
        x = rescale(images, self.value_range, _U8)
        _, h, w, c = ops.shape(x)
        index = ops.cast(ops.clip(ops.cast(x * ((self.bins - 1) / 255.0), "int32"), 0,
                                  self.bins - 1), "int32")
        rows = ops.reshape(ops.transpose(index, (0, 3, 1, 2)), (-1, h * w))
        hist = ops.cast(ops.bincount(rows, minlength=self.bins), "float32")
        cdf = ops.cumsum(hist, axis=-1)
        cdf_min = ops.min(ops.where(cdf > 0, cdf, np.float32(h * w + 1)), axis=-1,
                          keepdims=True)
        denominator = cdf[:, -1:] - cdf_min
        denominator = ops.where(denominator == 0, 1.0, denominator)
        lut = ops.clip(ops.round((cdf - cdf_min) * 255.0 / denominator), 0, 255)
        pixel_bins = ops.cast(ops.clip(x / 255.0 * (self.bins - 1), 0, self.bins - 1), "int32")
        pixel_bins = ops.reshape(ops.transpose(pixel_bins, (0, 3, 1, 2)), (-1, h * w))
        out = ops.take_along_axis(lut, pixel_bins, axis=1)
        used = ops.sum(ops.cast(hist > 0, "int32"), axis=-1, keepdims=True)
        x_rows = ops.reshape(ops.transpose(x, (0, 3, 1, 2)), (-1, h * w))
        out = ops.where(used <= 1, x_rows, ops.cast(out, ops.dtype(x)))
        out = ops.transpose(ops.reshape(out, (-1, c, h, w)), (0, 2, 3, 1))
        return rescale(out, _U8, self.value_range)

    def get_config(self):
        config = {**super().get_config(), "bins": self.bins, "value_range": self.value_range}
        config.pop("seed", None)
        return config


class RandomSharpness(AugmentationLayer):
    """Blends each image with a smoothed copy while training (PIL's sharpness enhance).

    A draw f gives ``x + (1 - 2 f) * (smooth(x) - x)``: 0 is fully smoothed, 0.5 the
    identity, 1 sharpened. The smoothing kernel is PIL's 3x3 [[1, 1, 1], [1, 5, 1],
    [1, 1, 1]] / 13 with zero padding; the result is clipped to ``value_range``.

    Args:
        factor: a float f in [0, 1] (drawn from [0, f]) or a pair.
        value_range: the (low, high) range of the inputs.
        seed: an int for reproducible draws.
    """

    boxes_unchanged = True  # no geometry moves: boxes and masks pass through

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.factor = keras_factor("RandomSharpness", "factor", factor, 0.0, 1.0)
        self.value_range = value_range_arg("RandomSharpness", value_range)

    def get_random_transformation(self, images, training=True, seed=None):
        return {"factor": self.draw(images, self.factor[0], self.factor[1], seed=seed)}

    def transform_images(self, images, transformation, training=True):
        channels = ops.shape(images)[-1]
        kernel = np.full((3, 3), 1.0 / 13.0, "float32")
        kernel[1, 1] = 5.0 / 13.0
        kernel = np.tile(kernel[:, :, None, None], (1, 1, channels, 1))
        smooth = ops.depthwise_conv(images, ops.cast(kernel, ops.dtype(images)), strides=1,
                                    padding="same", data_format="channels_last")
        s = per_image(ops.cast(transformation["factor"], ops.dtype(images)) * 2.0)
        out = images + (1.0 - s) * (smooth - images)
        return ops.clip(out, self.value_range[0], self.value_range[1])

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "value_range": self.value_range}
