"""What the Keras 3 augmentation layers share: the draw/apply split and argument checks.

Each layer splits its work in two, as Keras's ``BaseImagePreprocessingLayer`` does:
``get_random_transformation(images, training, seed)`` draws the random parameters (a dict
of tensors, or None) and ``transform_images(images, transformation, training)`` applies
them. Both see a float, channels-last batch (B, H, W, C); the layer's ``call`` converts
from the caller's layout. Keeping the draw apart lets bounding-box and mask transforms
reuse the same parameters, and lets tests apply a fixed transformation.
"""
import numbers

from kfront import ops, random
from kfront.layers.preprocessing.image._base import RandomImageLayer, batch_size


def _is_number(value):
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def keras_factor(owner, name, factor, low, high, symmetric=True):
    """``factor`` as a sorted (lower, upper) pair inside [low, high].

    A number f gives (max(-f, low), f) with ``symmetric`` (Keras's base rule; with a lower
    bound of 0 that is (0, f)), else (low, f). A pair is sorted; both ends must lie inside.
    """
    message = (f"{owner}: the `{name}` argument should be a number (or a list of two numbers) "
               f"in the range [{low}, {high}]. Received: {name}={factor!r}")
    if _is_number(factor):
        if not low <= factor <= high:
            raise ValueError(message)
        f = abs(float(factor))
        return (max(-f, low), f) if symmetric else (low, f)
    if isinstance(factor, (list, tuple)) and len(factor) == 2 and all(map(_is_number, factor)):
        lower, upper = sorted(float(v) for v in factor)
        if lower < low or upper > high:
            raise ValueError(message)
        return lower, upper
    raise ValueError(message)


def value_range_arg(owner, value_range):
    """``value_range`` as a (low, high) tuple of numbers with low < high."""
    if not (isinstance(value_range, (list, tuple)) and len(value_range) == 2
            and all(map(_is_number, value_range))):
        raise ValueError(f"{owner}: the `value_range` argument should be a list of two "
                         f"numbers (low, high). Received: value_range={value_range!r}")
    if not value_range[0] < value_range[1]:
        raise ValueError(f"{owner}: `value_range` must be (low, high) with low < high. "
                         f"Received: value_range={value_range!r}")
    return tuple(value_range)


def rescale(images, source, target):
    """Maps values linearly from the ``source`` (low, high) range to ``target``."""
    if tuple(source) == tuple(target):
        return images
    scale = (target[1] - target[0]) / (source[1] - source[0])
    return (images - source[0]) * scale + target[0]


def per_image(values):
    """(B,) or (B, 1) parameters shaped (B, 1, 1, 1) to broadcast over a batch."""
    return ops.reshape(values, (-1, 1, 1, 1))


class AugmentationLayer(RandomImageLayer):
    """A Keras 3 augmentation layer: ``get_random_transformation`` then ``transform_images``.

    Subclasses override both (a deterministic layer only ``transform_images``). Layers that
    Keras applies at inference too set ``APPLIES_AT_INFERENCE``.
    """

    APPLIES_AT_INFERENCE = False

    def transform(self, images, training):
        if not training and not self.APPLIES_AT_INFERENCE:
            return images
        transformation = self.get_random_transformation(images, training=training)
        return self.transform_images(images, transformation, training=training)

    def get_random_transformation(self, images, training=True, seed=None):
        """The random parameters for one call on ``images`` (B, H, W, C); None if none."""
        return None

    def transform_images(self, images, transformation, training=True):
        """Applies ``transformation`` to a float channels-last batch."""
        raise NotImplementedError

    def _seed(self, seed):
        return self.generator if seed is None else seed

    def draw(self, images, minval, maxval, shape=(), seed=None):
        """Per-image uniform draws of shape (B,) + shape."""
        return random.uniform((batch_size(images),) + tuple(shape), minval=minval,
                              maxval=maxval, seed=self._seed(seed))

    def coin(self, images, probability_range, seed=None):
        """A (B,) bool: each image's chance is itself drawn from ``probability_range``, as
        Keras's ``factor`` for the "apply or not" layers."""
        chance = self.draw(images, probability_range[0], probability_range[1], seed=seed)
        return self.draw(images, 0.0, 1.0, seed=seed) < chance
