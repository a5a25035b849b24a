"""``MaxNumBoundingBoxes``: pads or truncates the boxes of each image to a fixed count."""
from kfront import ops
from kfront.layers.layer import Layer
from kfront.utils.bounding_boxes.formats import check_format


def _fixed_count(x, count, fill_value, axis):
    """``x`` cut or padded with ``fill_value`` to ``count`` entries along ``axis``."""
    have = ops.shape(x)[axis]
    if have >= count:
        return ops.take(x, ops.arange(count, dtype="int32"), axis=axis)
    widths = [(0, 0)] * len(ops.shape(x))
    widths[axis] = (0, count - have)
    return ops.pad(x, widths, constant_values=ops.cast(fill_value, x.dtype))


class MaxNumBoundingBoxes(Layer):
    """Gives every image exactly ``max_number`` boxes: extra boxes are dropped, missing
    ones are filled with ``fill_value`` (boxes and labels), so boxes batch densely.

    Called on ``{"images": ..., "bounding_boxes": {"boxes": (B, N, 4) or (N, 4),
    "labels": (B, N) or (N,)}}``; images and other entries pass through unchanged.

    Args:
        max_number: the number of boxes per image.
        fill_value: the value of the added boxes and labels. Defaults to -1.
        bounding_box_format: accepted as in Keras; the boxes are not read, so any format
            works.

    Example:
        >>> layer = MaxNumBoundingBoxes(max_number=10)
        >>> out = layer({"images": images, "bounding_boxes": {"boxes": b, "labels": l}})
    """

    def __init__(self, max_number, fill_value=-1, bounding_box_format=None, data_format=None,
                 **kwargs):
        super().__init__(**kwargs)
        if isinstance(max_number, bool) or not isinstance(max_number, int) or max_number < 1:
            raise ValueError("MaxNumBoundingBoxes: `max_number` must be a positive int. "
                             f"Received: max_number={max_number!r}")
        self.max_number = int(max_number)
        self.fill_value = int(fill_value)
        self.bounding_box_format = bounding_box_format and check_format(
            "MaxNumBoundingBoxes", "bounding_box_format", bounding_box_format)
        self.data_format = data_format
        self.built = True

    def call(self, data, training=True):
        if not isinstance(data, dict) or "bounding_boxes" not in data:
            return data
        bounding_boxes = data["bounding_boxes"]
        if not isinstance(bounding_boxes, dict) or not {"boxes", "labels"} <= set(bounding_boxes):
            raise ValueError("MaxNumBoundingBoxes: 'bounding_boxes' must be a dict with 'boxes' "
                             f"and 'labels'. Received: {bounding_boxes!r:.200}")
        extra = sorted(set(bounding_boxes) - {"boxes", "labels"})
        if extra:
            raise KeyError(f"There are unsupported keys in `bounding_boxes`: {extra}. Only "
                           "`boxes` and `labels` are supported.")
        boxes = ops.convert_to_tensor(bounding_boxes["boxes"])
        labels = ops.convert_to_tensor(bounding_boxes["labels"])
        axis = len(ops.shape(boxes)) - 2
        if axis not in (0, 1) or ops.shape(boxes)[-1] != 4:
            raise ValueError("MaxNumBoundingBoxes: bounding_boxes['boxes'] must be (N, 4) or "
                             f"(batch, N, 4). Received: {tuple(ops.shape(boxes))}")
        result = dict(data)
        result["bounding_boxes"] = {
            "boxes": _fixed_count(boxes, self.max_number, self.fill_value, axis),
            "labels": _fixed_count(labels, self.max_number, self.fill_value, axis)}
        return result

    def compute_output_shape(self, input_shape):
        if isinstance(input_shape, dict) and "bounding_boxes" in input_shape:
            out = dict(input_shape)
            shapes = input_shape["bounding_boxes"]
            boxes, labels = list(shapes["boxes"]), list(shapes["labels"])
            boxes[-2] = labels[len(boxes) - 2] = self.max_number
            out["bounding_boxes"] = {"boxes": tuple(boxes), "labels": tuple(labels)}
            return out
        return input_shape

    def get_config(self):
        config = {**super().get_config(), "max_number": self.max_number,
                  "fill_value": self.fill_value, "data_format": self.data_format}
        if self.bounding_box_format is not None:
            config["bounding_box_format"] = self.bounding_box_format
        return config
