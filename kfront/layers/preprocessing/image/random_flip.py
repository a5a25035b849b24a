"""``RandomFlip``: mirrors each image left-right and/or top-bottom with probability 1/2."""
from kfront import ops
from kfront.layers.preprocessing.image._base import RandomImageLayer

HORIZONTAL, VERTICAL, HORIZONTAL_AND_VERTICAL = "horizontal", "vertical", \
    "horizontal_and_vertical"


class RandomFlip(RandomImageLayer):
    """Flips images at random while training.

    Args:
        mode: "horizontal" (left-right), "vertical" (top-bottom) or
            "horizontal_and_vertical" (each decided independently).
        seed: an int for reproducible flips.
        data_format: "channels_last" or "channels_first".
        bounding_box_format: the format of "bounding_boxes" in dict inputs (see
            ``bounding_box_support``).
    """

    def __init__(self, mode=HORIZONTAL_AND_VERTICAL, seed=None, data_format=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        if mode not in (HORIZONTAL, VERTICAL, HORIZONTAL_AND_VERTICAL):
            raise ValueError(f"RandomFlip: unknown mode {mode!r}; expected 'horizontal', "
                             "'vertical' or 'horizontal_and_vertical'.")
        self.mode = mode

    def get_random_transformation(self, images, training):
        """Per-image coins, (B, 1, 1, 1) booleans for each flipped axis (None: no flip)."""
        if not training:
            return None
        flips = {}
        for key, modes in (("horizontal", (HORIZONTAL, HORIZONTAL_AND_VERTICAL)),
                           ("vertical", (VERTICAL, HORIZONTAL_AND_VERTICAL))):
            if self.mode in modes:
                flips[key] = ops.reshape(self.uniform(images, 0.0, 1.0), (-1, 1, 1, 1)) < 0.5
        return flips

    def transform_images(self, images, transformation, training):
        for key, axis in (("horizontal", 2), ("vertical", 1)):
            if transformation and key in transformation:
                images = ops.where(transformation[key], ops.flip(images, axis=axis), images)
        return images

    def transform_box_corners(self, boxes, transformation, image_size, training):
        if not transformation:
            return None
        height, width = image_size
        x1, y1, x2, y2 = ops.split(boxes, 4, axis=-1)
        if "horizontal" in transformation:
            flip = ops.reshape(transformation["horizontal"], (-1, 1, 1))
            x1, x2 = ops.where(flip, width - x2, x1), ops.where(flip, width - x1, x2)
        if "vertical" in transformation:
            flip = ops.reshape(transformation["vertical"], (-1, 1, 1))
            y1, y2 = ops.where(flip, height - y2, y1), ops.where(flip, height - y1, y2)
        return ops.concatenate([x1, y1, x2, y2], axis=-1)

    def augment(self, images):
        return self.transform_images(images, self.get_random_transformation(images, True), True)

    def get_config(self):
        return {**super().get_config(), "mode": self.mode}
