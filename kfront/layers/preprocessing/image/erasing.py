"""``RandomErasing``: blanks a random box of each image (Zhong et al., 2017)."""
from kfront import ops, random
from kfront.layers.preprocessing.image._augment import (AugmentationLayer, keras_factor,
                                                         per_image, value_range_arg)
from kfront.layers.preprocessing.image.mixing import box_masks, random_span


def fill_value_arg(fill_value):
    if fill_value is None or (isinstance(fill_value, (int, float))
                              and not isinstance(fill_value, bool)):
        return fill_value
    if isinstance(fill_value, (list, tuple)) and len(fill_value) == 3:
        return list(fill_value)
    raise ValueError("RandomErasing: the `fill_value` argument should be a number (or a list "
                     f"of three numbers), or None. Received: fill_value={fill_value!r}")


class RandomErasing(AugmentationLayer):
    """Replaces a random box of each image by ``fill_value`` at random while training.

    Each image draws an erasing chance from ``factor`` and erases when a second draw falls
    below it. The box covers fractions ``sqrt(s_w)`` of the width and ``sqrt(s_h)`` of the
    height, ``s_w`` and ``s_h`` drawn from ``scale``.

    Args:
        factor: a float in [0, 1] or a pair: the range of the erasing chance.
        scale: a float or a pair in [0, 1]: the range of ``s_w`` and ``s_h``
            (default (0.02, 0.33)).
        fill_value: a number, three numbers (one per channel), or None (default) for
            Gaussian noise scaled by ``value_range[1]``; clipped to ``value_range``.
        value_range: the (low, high) range of the inputs.
        seed: an int for reproducible draws.
    """

    def __init__(self, factor=1.0, scale=(0.02, 0.33), fill_value=None, value_range=(0, 255),
                 seed=None, data_format=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.factor = keras_factor("RandomErasing", "factor", factor, 0.0, 1.0)
        self.scale = keras_factor("RandomErasing", "scale", scale, 0.0, 1.0)
        self.fill_value = fill_value_arg(fill_value)
        self.value_range = value_range_arg("RandomErasing", value_range)

    def get_random_transformation(self, images, training=True, seed=None):
        seed = self._seed(seed)
        h, w = ops.shape(images)[1], ops.shape(images)[2]
        sides = ops.sqrt(self.draw(images, self.scale[0], self.scale[1], (2,), seed=seed))
        x0, x1 = random_span(self, images, w, sides[:, 0], seed)
        y0, y1 = random_span(self, images, h, sides[:, 1], seed)
        masks = box_masks(images, x0, x1, y0, y1)
        apply = self.coin(images, self.factor, seed=seed)
        if self.fill_value is None:
            fill = random.normal(tuple(ops.shape(images)), seed=seed) * self.value_range[1]
        else:
            fill = ops.zeros_like(images) + ops.cast(self.fill_value, ops.dtype(images))
        fill = ops.clip(fill, self.value_range[0], self.value_range[1])
        return {"apply_erasing": apply, "batch_masks": masks, "fill_value": fill}

    def transform_images(self, images, transformation, training=True):
        erased = ops.where(transformation["batch_masks"],
                           ops.cast(transformation["fill_value"], ops.dtype(images)), images)
        return ops.where(per_image(transformation["apply_erasing"]), erased, images)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "scale": self.scale,
                "fill_value": self.fill_value, "value_range": self.value_range}
