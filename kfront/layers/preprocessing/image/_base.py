"""What the image preprocessing layers share: data format, batching, factor arguments."""
from kfront import ops, random
from kfront.layers.layer import Layer
from kfront.layers.preprocessing.image import bounding_box_support
from kfront.layers.preprocessing.image._tf_data import TFDataCallable
from kfront.layers.reshaping._args import data_format_arg
from kfront.random.seed_generator import SeedGenerator
from kfront.utils.bounding_boxes.formats import check_format


def factor_range(owner, arg, factor, low=-1.0, high=1.0, low_open=False):
    """``factor`` (a number f meaning (-f, f), or a (lower, upper) pair) as a sorted pair,
    each value checked to lie within [low, high] (or (low, high] with ``low_open``)."""
    if isinstance(factor, (int, float)) and not isinstance(factor, bool):
        pair = (-abs(float(factor)), abs(float(factor)))
    elif isinstance(factor, (list, tuple)) and len(factor) == 2 and all(
            isinstance(v, (int, float)) and not isinstance(v, bool) for v in factor):
        pair = tuple(sorted(float(v) for v in factor))
    else:
        raise ValueError(f"{owner}: `{arg}` must be a float or a tuple of 2 floats "
                         f"(lower, upper). Received: {arg}={factor!r}")
    for value in pair:
        if value > high or value < low or (low_open and value == low):
            bracket = "(" if low_open else "["
            raise ValueError(f"{owner}: `{arg}` values must lie in {bracket}{low}, {high}]. "
                             f"Received: {arg}={factor!r}")
    return pair


class ImageLayer(TFDataCallable, Layer):
    """An image layer: (B, H, W, C) batches or single (H, W, C) images, either data format.

    Subclasses implement ``transform(images, training)`` on a float, channels-last batch.
    A dict input (images with boxes and masks) goes through ``bounding_box_support``.
    In a ``tf.data`` map on torch or JAX the call runs on the host (see ``_tf_data``).
    """

    def __init__(self, data_format=None, bounding_box_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = data_format_arg(type(self).__name__, data_format)
        self.bounding_box_format = bounding_box_format and check_format(
            type(self).__name__, "bounding_box_format", bounding_box_format)
        self.built = True

    def _spatial_axes(self, rank):
        offset = rank - 3
        return (offset + 1, offset + 2) if self.data_format == "channels_first" \
            else (offset, offset + 1)

    def _check_rank(self, shape):
        if len(shape) not in (3, 4):
            raise ValueError(f'{type(self).__name__} "{self.name}": expected images of rank 4 '
                             f"(batch, height, width, channels) or rank 3 (one image); "
                             f"received an input of shape {tuple(shape)}.")

    def call(self, inputs, training=True):
        if isinstance(inputs, dict):
            return bounding_box_support.call_on_dict(self, inputs, training)
        shape = tuple(ops.shape(inputs))
        self._check_rank(shape)
        x = inputs
        if "float" not in ops.dtype(x):
            x = ops.cast(x, self.dtype)
        single = len(shape) == 3
        if single:
            x = ops.expand_dims(x, 0)
        if self.data_format == "channels_first":
            x = ops.transpose(x, (0, 2, 3, 1))
        x = self.transform(x, bool(training))
        if self.data_format == "channels_first":
            x = ops.transpose(x, (0, 3, 1, 2))
        return x[0] if single else x

    def transform(self, images, training):
        raise NotImplementedError

    def compute_output_shape(self, input_shape):
        self._check_rank(input_shape)
        return tuple(input_shape)

    def get_config(self):
        config = {**super().get_config(), "data_format": self.data_format}
        if self.bounding_box_format is not None:
            config["bounding_box_format"] = self.bounding_box_format
        return config


class RandomImageLayer(ImageLayer):
    """An augmentation: the identity at inference, seeded draws from a SeedGenerator in
    training (``training`` defaults to True when the layer is called directly, as in
    Keras 3; models pass False in ``predict`` and ``evaluate``)."""

    def __init__(self, seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.seed = seed
        self.generator = SeedGenerator(seed)

    def transform(self, images, training):
        return self.augment(images) if training else images

    def uniform(self, images, minval, maxval):
        """One value per image, shape (B, 1), drawn from [minval, maxval)."""
        return random.uniform((batch_size(images), 1), minval=minval, maxval=maxval,
                              seed=self.generator)

    def get_config(self):
        return {**super().get_config(), "seed": self.seed}


def batch_size(images):
    """The batch size: an int, or a scalar tensor where the engine traced it as unknown."""
    size = ops.shape(images)[0]
    if size is not None:
        return size
    rest = 1
    for d in ops.shape(images)[1:]:
        rest *= d
    return ops.cast(ops.size(images) // rest, "int32")
