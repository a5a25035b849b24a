"""Pairwise IoU and Complete IoU of boxes, written from kfront ops."""
import math

from kfront import config, ops
from kfront.utils.bounding_boxes.converters import convert_format


def _image_size(owner, bounding_box_format, image_shape):
    if "rel" in str(bounding_box_format) and image_shape is None:
        raise ValueError(f"{owner}: relative bounding box formats (e.g. 'rel_yxyx') need the "
                         f"`image_shape` argument. Received: image_shape={image_shape!r}")
    if image_shape is None:
        return None, None
    return image_shape[0], image_shape[1]


def _check_rank(arg, boxes):
    rank = len(ops.shape(boxes))
    if rank not in (2, 3):
        raise ValueError(f"compute_iou: `{arg}` must be (N, 4) or (batch, N, 4). Received: "
                         f"{arg}.shape={tuple(ops.shape(boxes))}")


def compute_iou(boxes1, boxes2, bounding_box_format, use_masking=False, mask_val=-1,
                image_shape=None):
    """The IoU of every box in ``boxes1`` with every box in ``boxes2``.

    Args:
        boxes1: (M, 4) or (B, M, 4).
        boxes2: (N, 4) or (B, N, 4).
        bounding_box_format: the boxes' format (see ``convert_format``).
        use_masking: give ``mask_val`` to pairs where either box has all coordinates < 0
            (padding boxes).
        mask_val: the value of masked pairs.
        image_shape: (height, width, channels), required for relative formats.

    Returns:
        (M, N), or (B, M, N) when either input is batched.
    """
    _check_rank("boxes1", boxes1)
    _check_rank("boxes2", boxes2)
    height, width = _image_size("compute_iou", bounding_box_format, image_shape)
    b1 = convert_format(boxes1, bounding_box_format, "xyxy", height, width)
    b2 = convert_format(boxes2, bounding_box_format, "xyxy", height, width)
    x11, y11, x12, y12 = ops.split(b1, 4, axis=-1)  # (..., M, 1)
    t2 = ops.swapaxes(b2, -1, -2)  # (..., 4, N)
    x21, y21, x22, y22 = (t2[..., i:i + 1, :] for i in range(4))  # (..., 1, N)
    inter = (ops.maximum(ops.minimum(x12, x22) - ops.maximum(x11, x21), 0.0)
             * ops.maximum(ops.minimum(y12, y22) - ops.maximum(y11, y21), 0.0))
    area1 = (x12 - x11) * (y12 - y11)
    area2 = (x22 - x21) * (y22 - y21)
    iou = inter / (area1 + area2 - inter + config.epsilon())
    if not use_masking:
        return iou
    pad1 = ops.max(b1, axis=-1, keepdims=True) < 0.0
    pad2 = ops.expand_dims(ops.max(b2, axis=-1), -2) < 0.0
    return ops.where(ops.logical_or(pad1, pad2), ops.cast(mask_val, iou.dtype), iou)


def compute_ciou(boxes1, boxes2, bounding_box_format, image_shape=None):
    """The Complete IoU of matching boxes (``boxes1[i]`` with ``boxes2[i]``): IoU minus the
    squared center distance over the enclosing box's squared diagonal, minus an aspect
    ratio term.

    Args:
        boxes1, boxes2: (..., 4) boxes of broadcastable shapes.
        bounding_box_format: the boxes' format (see ``convert_format``).
        image_shape: (height, width, channels), required for relative formats.

    Returns:
        (...) CIoU values.
    """
    height, width = _image_size("compute_ciou", bounding_box_format, image_shape)
    eps = config.epsilon()
    b1 = convert_format(boxes1, bounding_box_format, "xyxy", height, width)
    b2 = convert_format(boxes2, bounding_box_format, "xyxy", height, width)
    x11, y11, x12, y12 = (b1[..., i] for i in range(4))
    x21, y21, x22, y22 = (b2[..., i] for i in range(4))
    w1, h1 = x12 - x11, y12 - y11 + eps
    w2, h2 = x22 - x21, y22 - y21 + eps
    inter = (ops.maximum(ops.minimum(x12, x22) - ops.maximum(x11, x21), 0.0)
             * ops.maximum(ops.minimum(y12, y22) - ops.maximum(y11, y21), 0.0))
    union = w1 * h1 + w2 * h2 - inter + eps
    iou = inter / (union + eps)
    enclosing_w = ops.maximum(x12, x22) - ops.minimum(x11, x21)
    enclosing_h = ops.maximum(y12, y22) - ops.minimum(y11, y21)
    diagonal2 = enclosing_w ** 2 + enclosing_h ** 2 + eps
    centers2 = ((x11 + x12) / 2 - (x21 + x22) / 2) ** 2 + ((y11 + y12) / 2 - (y21 + y22) / 2) ** 2
    v = (4 / math.pi ** 2) * (ops.arctan(w2 / h2) - ops.arctan(w1 / h1)) ** 2
    alpha = v / (v - iou + (1 + eps))
    return iou - (centers2 / diagonal2 + v * alpha)
