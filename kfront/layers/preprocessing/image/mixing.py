"""Augmentations that mix the images of a batch: CutMix and MixUp.

Both take a batch or a dict ``{"images": ..., "labels": ...}`` (labels one-hot or soft,
shape (B, classes)); the labels are mixed with the same weights and permutation as the
images, as Keras 3 does, so ``{"images": x, "labels": y}`` batches train as written in
the Keras examples.
"""
from kfront import ops, random
from kfront.layers.preprocessing.image._augment import (AugmentationLayer, keras_factor,
                                                         per_image)
from kfront.layers.preprocessing.image._base import batch_size


def box_masks(images, x0, x1, y0, y1):
    """(B, H, W, 1) bools: pixel (row, col) lies in [y0, y1) x [x0, x1) of its image."""
    h, w = ops.shape(images)[1], ops.shape(images)[2]
    dtype = ops.dtype(images)
    rows = ops.reshape(ops.arange(h, dtype=dtype), (1, -1, 1, 1))
    cols = ops.reshape(ops.arange(w, dtype=dtype), (1, 1, -1, 1))
    x0, x1, y0, y1 = (per_image(ops.cast(v, dtype)) for v in (x0, x1, y0, y1))
    return (cols >= x0) & (cols < x1) & (rows >= y0) & (rows < y1)


def mix_labels(labels, transformation, training):
    """``w * y + (1 - w) * y[perm]`` with the images' per-example weights ``w``."""
    if not training or transformation is None:
        return labels
    labels = ops.convert_to_tensor(labels)
    weight = ops.convert_to_tensor(transformation["mix_weight"])
    if "float" not in ops.dtype(labels):
        # Integer class ids cannot hold a blend; mixing needs one-hot or soft labels.
        labels = ops.cast(labels, ops.dtype(weight))
    weight = ops.cast(ops.reshape(weight, (-1, 1)), ops.dtype(labels))
    shuffled = ops.take(labels, transformation["permutation_order"], axis=0)
    return weight * labels + (1.0 - weight) * shuffled


def random_span(layer, images, length, ratio, seed):
    """Per-image [start, end) spans of ``ratio * length`` placed uniformly in ``length``."""
    span = ratio * length
    start = layer.draw(images, 0.0, 1.0, seed=seed) * (length - span)
    return start, start + span


class CutMix(AugmentationLayer):
    """Pastes a random box from another image of the batch into each image while training.

    Each image draws a mixing weight l from Beta(a, a) (``a`` itself drawn from ``factor``
    once per batch) and gets a box of side ``sqrt(1 - l)`` times the image's, at a random
    place, copied from the same place of a shuffled image. A single (unbatched) image is
    returned unchanged.

    Args:
        factor: a float in [0, 1] or a pair: the range of the Beta concentration ``a``.
        seed: an int for reproducible draws.
        data_format: "channels_last" or "channels_first".
    """

    def __init__(self, factor=1.0, seed=None, data_format=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.factor = keras_factor("CutMix", "factor", factor, 0.0, 1.0)

    def call(self, inputs, training=True):
        images = inputs["images"] if isinstance(inputs, dict) and "images" in inputs else inputs
        self._unbatched = len(ops.shape(images)) == 3
        return super().call(inputs, training)

    def get_random_transformation(self, images, training=True, seed=None):
        if getattr(self, "_unbatched", False):
            return None
        seed = self._seed(seed)
        n = batch_size(images)
        h, w = ops.shape(images)[1], ops.shape(images)[2]
        alpha = random.uniform((), self.factor[0], self.factor[1], seed=seed) + 1e-6
        mix_weight = random.beta((n,), alpha, alpha, seed=seed)
        ratio = ops.sqrt(1.0 - mix_weight)
        x0, x1 = random_span(self, images, w, ratio, seed)
        y0, y1 = random_span(self, images, h, ratio, seed)
        return {"permutation_order": random.shuffle(ops.arange(n, dtype="int32"), seed=seed),
                "batch_masks": box_masks(images, x0, x1, y0, y1),
                "mix_weight": 1.0 - (x1 - x0) * (y1 - y0) / (w * h)}

    def transform_images(self, images, transformation, training=True):
        if not training or transformation is None:
            return images
        shuffled = ops.take(images, transformation["permutation_order"], axis=0)
        return ops.where(transformation["batch_masks"], shuffled, images)

    def transform_labels(self, labels, transformation, training=True):
        """Labels weighted by the share of each image left uncovered by the pasted box."""
        return mix_labels(labels, transformation, training)

    def transform_segmentation_masks(self, masks, transformation, training=True):
        """Masks get the same box pasted as their images."""
        return self.transform_images(masks, transformation, training)

    def transform_bounding_boxes(self, bounding_boxes, transformation, training=True):
        raise NotImplementedError(f'CutMix "{self.name}" does not transform bounding boxes '
                                  "(nor does Keras 3); pass 'images' and 'labels' only.")

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}


class MixUp(AugmentationLayer):
    """Blends each image with a shuffled image of the batch while training:
    ``l * x + (1 - l) * x[perm]``, ``l`` drawn per image from Beta(alpha, alpha).

    Args:
        alpha: the Beta concentration, a positive float (default 0.2).
        data_format: "channels_last" or "channels_first".
        seed: an int for reproducible draws.
    """

    def __init__(self, alpha=0.2, data_format=None, seed=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        if isinstance(alpha, bool) or not isinstance(alpha, (int, float)) or alpha <= 0:
            raise ValueError(f"MixUp: `alpha` must be a positive number. Received: "
                             f"alpha={alpha!r}")
        self.alpha = alpha

    def get_random_transformation(self, images, training=True, seed=None):
        seed = self._seed(seed)
        n = batch_size(images)
        return {"permutation_order": random.shuffle(ops.arange(n, dtype="int32"), seed=seed),
                "mix_weight": random.beta((n,), self.alpha, self.alpha, seed=seed)}

    def transform_images(self, images, transformation, training=True):
        if not training or transformation is None:
            return images
        weight = per_image(ops.cast(transformation["mix_weight"], ops.dtype(images)))
        shuffled = ops.take(images, transformation["permutation_order"], axis=0)
        return weight * images + (1.0 - weight) * shuffled

    def transform_labels(self, labels, transformation, training=True):
        """Labels blended with the images' weights and permutation."""
        return mix_labels(labels, transformation, training)

    def transform_segmentation_masks(self, masks, transformation, training=True):
        """Masks blended as their images. (Keras 3.15 gathers masks from the flattened
        array here, which only matches for a batch of one; kfront permutes whole masks.)"""
        return self.transform_images(masks, transformation, training)

    def transform_bounding_boxes(self, bounding_boxes, transformation, training=True):
        """Each image keeps its boxes and gains those of the image it is blended with:
        boxes (B, N, 4) become (B, 2N, 4) and labels (B, N) become (B, 2N). (Keras 3.15
        joins the labels along the batch axis, which leaves them out of step with the
        boxes; kfront joins both along the box axis.)"""
        if not training or transformation is None:
            return bounding_boxes
        order = transformation["permutation_order"]
        result = dict(bounding_boxes)
        for key in ("boxes", "labels"):
            if key in bounding_boxes:
                value = ops.convert_to_tensor(bounding_boxes[key])
                result[key] = ops.concatenate([value, ops.take(value, order, axis=0)], axis=1)
        return result

    def get_config(self):
        return {**super().get_config(), "alpha": self.alpha}
