"""Anchor box encoding: boxes as (center offset, log size ratio) deltas, and back."""
from kfront import config, ops
from kfront.utils.bounding_boxes.converters import convert_format

_CENTER_FORMATS = ("center_xywh", "center_yxhw")


def _checked(owner, variance, arg, fmt, image_shape):
    if variance is not None:
        variance = ops.convert_to_tensor(variance, "float32")
        if tuple(ops.shape(variance))[-1:] != (4,):
            raise ValueError(f"{owner}: `variance` must have length 4. Received: "
                             f"variance with shape {tuple(ops.shape(variance))}")
    if fmt not in _CENTER_FORMATS:
        raise ValueError(f"{owner}: `{arg}` must be 'center_xywh' or 'center_yxhw'. "
                         f"Received: {arg}={fmt!r}")
    size = (None, None) if image_shape is None else (image_shape[0], image_shape[1])
    return variance, size


def encode_box_to_deltas(anchors, boxes, anchor_format, box_format,
                         encoding_format="center_yxhw", variance=None, image_shape=None):
    """Deltas that move ``anchors`` onto ``boxes``: the center offset divided by the anchor
    size, and the log of the size ratio (divided by ``variance`` if given).

    Args:
        anchors: (N, 4) in ``anchor_format``.
        boxes: (N, 4) or (B, N, 4) in ``box_format``.
        encoding_format: "center_yxhw" (default) or "center_xywh", the deltas' layout.
        variance: 4 numbers the deltas are divided by.
        image_shape: (height, width, channels), for relative formats.
    """
    variance, (height, width) = _checked("encode_box_to_deltas", variance, "encoding_format",
                                         encoding_format, image_shape)
    a = convert_format(anchors, anchor_format, encoding_format, height, width)
    b = convert_format(boxes, box_format, encoding_format, height, width)
    a_size = ops.maximum(a[..., 2:], config.epsilon())
    b_size = ops.maximum(b[..., 2:], config.epsilon())
    deltas = ops.concatenate([(b[..., :2] - a[..., :2]) / a_size, ops.log(b_size / a_size)],
                             axis=-1)
    return deltas if variance is None else deltas / variance


def decode_deltas_to_boxes(anchors, boxes_delta, anchor_format, box_format,
                           encoded_format="center_yxhw", variance=None, image_shape=None):
    """The inverse of ``encode_box_to_deltas``: boxes in ``box_format`` from deltas.

    ``anchors`` and ``boxes_delta`` may be dicts keyed by feature level (decoded level by
    level into a dict).
    """
    variance, (height, width) = _checked("decode_deltas_to_boxes", variance, "encoded_format",
                                         encoded_format, image_shape)

    def decode(anchor, delta):
        a = convert_format(anchor, anchor_format, encoded_format, height, width)
        delta = ops.convert_to_tensor(delta)
        if variance is not None:
            delta = delta * variance
        box = ops.concatenate([delta[..., :2] * a[..., 2:] + a[..., :2],
                               ops.exp(delta[..., 2:]) * a[..., 2:]], axis=-1)
        return convert_format(box, encoded_format, box_format, height, width)

    if isinstance(anchors, dict) and isinstance(boxes_delta, dict):
        return {level: decode(anchor, boxes_delta[level]) for level, anchor in anchors.items()}
    return decode(anchors, boxes_delta)
