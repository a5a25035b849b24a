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
    """

    def __init__(self, mode=HORIZONTAL_AND_VERTICAL, seed=None, data_format=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        if mode not in (HORIZONTAL, VERTICAL, HORIZONTAL_AND_VERTICAL):
            raise ValueError(f"RandomFlip: unknown mode {mode!r}; expected 'horizontal', "
                             "'vertical' or 'horizontal_and_vertical'.")
        self.mode = mode

    def _maybe_flip(self, images, axis):
        coin = ops.reshape(self.uniform(images, 0.0, 1.0), (-1, 1, 1, 1))
        return ops.where(coin < 0.5, ops.flip(images, axis=axis), images)

    def augment(self, images):
        if self.mode in (HORIZONTAL, HORIZONTAL_AND_VERTICAL):
            images = self._maybe_flip(images, 2)
        if self.mode in (VERTICAL, HORIZONTAL_AND_VERTICAL):
            images = self._maybe_flip(images, 1)
        return images

    def get_config(self):
        return {**super().get_config(), "mode": self.mode}
