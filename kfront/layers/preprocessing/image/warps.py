"""Geometric augmentations beyond rotate/zoom/translate: RandomShear, RandomPerspective and
RandomElasticTransform."""
import numbers

from kfront import ops, random
from kfront.layers.preprocessing.image._augment import (AugmentationLayer, keras_factor,
                                                         per_image, value_range_arg)
from kfront.layers.preprocessing.image.blur import blur
from kfront.ops import image as image_ops


def shear_factor_arg(name, factor):
    """Keras's shear factor: a number f in [0, 1] means (-f, f); a pair in [-1, 1] is used
    as given (sorted). Keras's own config stores the pair (-f, f), so it must load."""
    message = (f"RandomShear: the `{name}` argument should be a number (or a list of two "
               f"numbers) in the range [0, 1.0]. Received: {name}={factor!r}")
    if isinstance(factor, numbers.Real) and not isinstance(factor, bool):
        if not 0 <= factor <= 1:
            raise ValueError(message)
        return (-float(factor), float(factor))
    return keras_factor("RandomShear", name, factor, -1.0, 1.0)


class RandomShear(AugmentationLayer):
    """Shears each image by random amounts along x and y while training.

    The output pixel (x, y) reads the input at (x + s_x y, y + s_y x), about the top-left
    corner as in Keras; the sign of both shears flips at random per image.

    Args:
        x_factor, y_factor: a float f in [0, 1] (shear drawn from [-f, f]) or a pair.
        interpolation: "bilinear" (default) or "nearest".
        fill_mode: "reflect" (default), "wrap", "constant", "nearest" or "mirror".
        fill_value: the value outside the image with "constant".
        seed: an int for reproducible draws.
    """

    def __init__(self, x_factor=0.0, y_factor=0.0, interpolation="bilinear",
                 fill_mode="reflect", fill_value=0.0, data_format=None, seed=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.x_factor = shear_factor_arg("x_factor", x_factor)
        self.y_factor = shear_factor_arg("y_factor", y_factor)
        self.interpolation = image_ops.check_interpolation("RandomShear", interpolation)
        self.fill_mode = image_ops.check_fill_mode("RandomShear", fill_mode)
        self.fill_value = fill_value

    def get_random_transformation(self, images, training=True, seed=None):
        seed = self._seed(seed)
        sign = ops.where(self.draw(images, 0.0, 1.0, (1,), seed=seed) > 0.5, -1.0, 1.0)
        shear_y = self.draw(images, self.y_factor[0], self.y_factor[1], (1,), seed=seed)
        shear_x = self.draw(images, self.x_factor[0], self.x_factor[1], (1,), seed=seed)
        return {"shear_factor": ops.concatenate([shear_x, shear_y], axis=1) * sign}

    def transform_images(self, images, transformation, training=True):
        shear = ops.cast(transformation["shear_factor"], "float32")
        one, zero = ops.ones_like(shear[:, :1]), ops.zeros_like(shear[:, :1])
        matrix = ops.concatenate([one, shear[:, :1], zero, shear[:, 1:], one, zero, zero,
                                  zero], axis=1)
        return image_ops.affine_transform(images, matrix, self.interpolation, self.fill_mode,
                                          self.fill_value, "channels_last")

    def get_config(self):
        return {**super().get_config(), "x_factor": self.x_factor, "y_factor": self.y_factor,
                "interpolation": self.interpolation, "fill_mode": self.fill_mode,
                "fill_value": self.fill_value}


class RandomPerspective(AugmentationLayer):
    """Moves the four corners of each image at random and warps it to match, at random
    while training.

    Each image draws a warping chance from ``factor`` and is warped when a second draw
    falls below it. Corner coordinates move by a fraction drawn from
    [-scale / 2, scale / 2] of themselves; pixels from outside read ``fill_value``.

    Args:
        factor: a float in [0, 1] or a pair: the range of the warping chance.
        scale: a float in [0, 1], how far corners may move (default 1).
        interpolation: "bilinear" (default) or "nearest".
        fill_value: the value of pixels from outside the image.
        seed: an int for reproducible draws.
    """

    def __init__(self, factor=1.0, scale=1.0, interpolation="bilinear", fill_value=0.0,
                 seed=None, data_format=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.factor = keras_factor("RandomPerspective", "factor", factor, 0.0, 1.0)
        if isinstance(scale, bool) or not isinstance(scale, numbers.Real) \
                or not 0.0 <= scale <= 1.0:
            raise ValueError("RandomPerspective: the `scale` argument should be a number in "
                             f"the range [0,1]. Received: scale={scale!r}")
        self.scale = scale
        self.interpolation = image_ops.check_interpolation("RandomPerspective", interpolation)
        self.fill_value = fill_value

    def get_random_transformation(self, images, training=True, seed=None):
        seed = self._seed(seed)
        h, w = ops.shape(images)[1], ops.shape(images)[2]
        apply = self.coin(images, self.factor, seed=seed)
        moves = self.draw(images, -0.5 * self.scale, 0.5 * self.scale, (4, 2), seed=seed)
        corners = ops.convert_to_tensor([[0.0, 0.0], [w - 1.0, 0.0], [0.0, h - 1.0],
                                         [w - 1.0, h - 1.0]], dtype="float32")
        start = ops.zeros_like(moves) + corners
        return {"apply_perspective": apply, "start_points": start,
                "end_points": start + start * moves}

    def transform_images(self, images, transformation, training=True):
        warped = image_ops.perspective_transform(
            images, transformation["start_points"], transformation["end_points"],
            interpolation=self.interpolation, fill_value=self.fill_value,
            data_format="channels_last")
        return ops.where(per_image(transformation["apply_perspective"]), warped, images)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "scale": self.scale,
                "interpolation": self.interpolation, "fill_value": self.fill_value}


class RandomElasticTransform(AugmentationLayer):
    """Displaces pixels by a smooth random field at random while training.

    Each image draws a chance from ``factor`` and is transformed when a second draw falls
    below it. A distortion d drawn once per batch from ``scale`` sets the field's strength
    ``alpha = 0.1 d max(H, W)`` and smoothness ``sigma = 0.05 d min(H, W)``: Gaussian
    noise times sigma, blurred by a Gaussian of that sigma, times alpha. The result is
    clipped to ``value_range``.

    Args:
        factor: a float in [0, 1] or a pair: the range of the chance.
        scale: a float in [0, 1] or a pair: the range of the distortion d.
        interpolation: "bilinear" (default) or "nearest".
        fill_mode: "reflect" (default), "wrap", "constant", "nearest" or "mirror".
        fill_value: the value outside the image with "constant".
        value_range: the (low, high) range of the inputs.
        seed: an int for reproducible draws.
    """

    def __init__(self, factor=1.0, scale=1.0, interpolation="bilinear", fill_mode="reflect",
                 fill_value=0.0, value_range=(0, 255), seed=None, data_format=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        owner = "RandomElasticTransform"
        self.factor = keras_factor(owner, "factor", factor, 0.0, 1.0)
        self.scale = keras_factor(owner, "scale", scale, 0.0, 1.0)
        self.interpolation = image_ops.check_interpolation(owner, interpolation)
        self.fill_mode = image_ops.check_fill_mode(owner, fill_mode)
        self.fill_value = fill_value
        self.value_range = value_range_arg(owner, value_range)

    def get_random_transformation(self, images, training=True, seed=None):
        if self.scale[1] == 0 or self.factor[1] == 0:
            return None
        seed = self._seed(seed)
        return {"apply_transform": self.coin(images, self.factor, seed=seed),
                "distortion_factor": random.uniform((), self.scale[0], self.scale[1],
                                                    seed=seed),
                "noise": random.normal(tuple(ops.shape(images)[:3]) + (2,), seed=seed)}

    def transform_images(self, images, transformation, training=True):
        if transformation is None:
            return images
        h, w = ops.shape(images)[1], ops.shape(images)[2]
        d = ops.cast(transformation["distortion_factor"], "float32")
        alpha, sigma = 0.1 * d * max(h, w), 0.05 * d * min(h, w) + 1e-6
        # The kernel covers +-3 sigma of the largest distortion ``scale`` allows.
        size = 6 * int(0.05 * self.scale[1] * min(h, w)) | 1
        field = blur(transformation["noise"] * sigma, (size, size), ops.stack([sigma, sigma]))
        field = field * alpha
        rows = field[..., 1] + ops.reshape(ops.arange(h, dtype="float32"), (1, -1, 1))
        cols = field[..., 0] + ops.reshape(ops.arange(w, dtype="float32"), (1, 1, -1))
        warped = image_ops.sample(ops, images, rows, cols, self.interpolation, self.fill_mode,
                                  self.fill_value)
        out = ops.where(per_image(transformation["apply_transform"]), warped, images)
        return ops.clip(out, self.value_range[0], self.value_range[1])

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "scale": self.scale,
                "interpolation": self.interpolation, "fill_mode": self.fill_mode,
                "fill_value": self.fill_value, "value_range": self.value_range}
