"""``RandomCrop``: a random (height, width) window while training, the center at inference."""
from kfront import ops, random
from kfront.layers.preprocessing.image import bounding_box_support
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
        bounding_box_format: the format of "bounding_boxes" in dict inputs (see
            ``bounding_box_support``).
    """

    def __init__(self, height, width, seed=None, data_format=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.height, self.width = size_arg("RandomCrop", height, width)

    def get_random_transformation(self, images, training):
        """The window's (top, left) while training on a large enough image; None means
        the resized center window."""
        in_h, in_w = images.shape[1], images.shape[2]
        if not (training and in_h >= self.height and in_w >= self.width):
            return None
        starts = random.randint((2,), 0, 2**30, seed=self.generator)
        return starts[0] % (in_h - self.height + 1), starts[1] % (in_w - self.width + 1)

    def transform_images(self, images, transformation, training, interpolation="bilinear"):
        if transformation is None:
            if tuple(images.shape[1:3]) == (self.height, self.width):
                return images
            return image_ops.resize(images, (self.height, self.width),
                                    interpolation=interpolation, crop_to_aspect_ratio=True,
                                    data_format="channels_last")
        top, left = transformation
        # Gathering a window at traced offsets keeps every output shape static.
        rows = top + ops.arange(self.height, dtype="int32")
        cols = left + ops.arange(self.width, dtype="int32")
        return ops.take(ops.take(images, rows, axis=1), cols, axis=2)

    def transform_segmentation_masks(self, masks, transformation, training):
        return self.transform_images(masks, transformation, training, "nearest")

    def transform_box_corners(self, boxes, transformation, image_size, training):
        out = (self.height, self.width)
        if transformation is None:
            if tuple(image_size) == out:
                return None
            top, left, h, w = bounding_box_support.resize_window(image_size, out, True)
            return bounding_box_support.window_boxes(boxes, top, left, (h, w), out)
        top, left = (ops.cast(v, boxes.dtype) for v in transformation)
        return bounding_box_support.window_boxes(boxes, top, left, out, out)

    def transform(self, images, training):
        return self.transform_images(
            images, self.get_random_transformation(images, training), training)

    def augment(self, images):
        return self.transform(images, True)
