"""``RandomContrast``: scales each image's deviation from its per-channel mean."""
from kfront import ops
from kfront.layers.preprocessing.image._augment import AugmentationLayer, per_image
from kfront.layers.preprocessing.image._base import factor_range


class RandomContrast(AugmentationLayer):
    """``(x - mean) * c + mean``, ``c`` drawn per image from [1 - lower, 1 + upper], then
    clipped to ``value_range``. The mean is over height and width, per channel.

    Args:
        factor: a float f in [0, 1] (c in [1 - f, 1 + f]) or a pair (lower, upper).
        value_range: the (min, max) the outputs are clipped to.
        seed: an int for reproducible draws.
    """

    boxes_unchanged = True  # a color change: boxes and masks pass through dict inputs

    def __init__(self, factor, value_range=(0, 255), seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        if isinstance(factor, (list, tuple)):
            factor_range("RandomContrast", "factor", factor, 0.0, 1.0)
            lower, upper = float(factor[0]), float(factor[1])
        else:
            if isinstance(factor, (int, float)) and not isinstance(factor, bool) and factor < 0:
                raise ValueError("RandomContrast: `factor` must be in [0, 1]. Received: "
                                 f"factor={factor!r}")
            lower = upper = factor_range("RandomContrast", "factor", factor, -1.0, 1.0)[1]
        if not (isinstance(value_range, (list, tuple)) and len(value_range) == 2
                and value_range[0] < value_range[1]):
            raise ValueError("RandomContrast: `value_range` must be (min, max) with "
                             f"min < max. Received: value_range={value_range!r}")
        self.factor = factor
        self.lower, self.upper = lower, upper
        self.value_range = tuple(value_range)

    def get_random_transformation(self, images, training=True, seed=None):
        return {"contrast_factor": self.draw(images, 1.0 - self.lower, 1.0 + self.upper,
                                             seed=seed)}

    def transform_images(self, images, transformation, training=True):
        c = per_image(ops.cast(transformation["contrast_factor"], ops.dtype(images)))
        mean = ops.mean(images, axis=(1, 2), keepdims=True)
        out = (images - mean) * c + mean
        return ops.clip(out, self.value_range[0], self.value_range[1])

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "value_range": self.value_range}
