"""``RandomCrop``: a random (height, width) window while training, the center at inference."""
from kfront import ops, random
from kfront.layers.preprocessing.image._base import RandomImageLayer
from kfront.layers.preprocessing.image.resizing import SizedOutput, size_arg
from kfront.ops import image as image_ops


class RandomCrop(SizedOutput, RandomImageLayer):
    """Crops one random window (the same offsets for the whole batch, as in Keras).

    At inference, and in training when the image is smaller than the window, the largest
    centered window of the target aspect ratio is resized to (height, width) instead (as
    Keras documents it; Keras 3.15 itself returns the input unchanged at inference).

    Args:
        height, width: the output size.
        seed: an int for reproducible windows.
        data_format: "channels_last" or "channels_first".
    """

    def __init__(self, height, width, seed=None, data_format=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.height, self.width = size_arg("RandomCrop", height, width)

    def transform(self, images, training):
        in_h, in_w = images.shape[1], images.shape[2]
        if training and in_h >= self.height and in_w >= self.width:
            return self.augment(images)
        if (in_h, in_w) == (self.height, self.width):
            return images
        return image_ops.resize(images, (self.height, self.width), crop_to_aspect_ratio=True,
                                data_format="channels_last")

    def augment(self, images):
        in_h, in_w = images.shape[1], images.shape[2]
        starts = random.randint((2,), 0, 2**30, seed=self.generator)
        top = starts[0] % (in_h - self.height + 1)
        left = starts[1] % (in_w - self.width + 1)
        # Gathering a window at traced offsets keeps every output shape static.
        rows = top + ops.arange(self.height, dtype="int32")
        cols = left + ops.arange(self.width, dtype="int32")
        return ops.take(ops.take(images, rows, axis=1), cols, axis=2)
