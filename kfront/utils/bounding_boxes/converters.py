"""Box format conversion and the geometric box edits (clip, crop, pad, affine).

Written from kfront ops, so they run on every backend; boxes are (N, 4) or (B, N, 4), or a
dict ``{"boxes": ..., "labels": ...}`` where Keras takes one.
"""
import math

from kfront import ops
from kfront.utils.bounding_boxes.formats import (check_format, from_corners, scale_xy,
                                                 to_corners)


def _check_boxes(owner, boxes):
    shape = tuple(ops.shape(boxes))
    if not shape or shape[-1] != 4:
        raise ValueError(f"{owner}: `boxes` must be a tensor with the last dimension of 4. "
                         f"Received: boxes.shape={shape}")


def convert_format(boxes, source, target, height=None, width=None, dtype="float32"):
    """Converts bounding boxes between formats.

    Formats (case-insensitive): "xyxy" (left, top, right, bottom), "yxyx", "xywh" (left,
    top, width, height), "center_xywh", "center_yxhw", and the relative "rel_xyxy",
    "rel_yxyx", "rel_xywh", "rel_center_xywh" (coordinates divided by the image width and
    height).

    Args:
        boxes: (..., 4) boxes, or a dict whose "boxes" entry is converted (a new dict is
            returned; the other entries are kept).
        source, target: the formats.
        height, width: the image size, required when either format is relative.
        dtype: the dtype of the result.

    Example:
        >>> convert_format(np.array([[10, 20, 30, 40]]), "xyxy", "xywh")  # [[10, 20, 20, 20]]
    """
    if isinstance(boxes, dict):
        return {**boxes, "boxes": convert_format(boxes["boxes"], source, target, height,
                                                 width, dtype)}
    _check_boxes("convert_format", boxes)
    source = check_format("convert_format", "source", source)
    target = check_format("convert_format", "target", target)
    if (source.startswith("rel_") or target.startswith("rel_")) and (
            height is None or width is None):
        raise ValueError("convert_format: `height` and `width` are required to convert "
                         f"between relative and absolute formats. Received: source={source!r}"
                         f", target={target!r}, height={height!r}, width={width!r}.")
    boxes = ops.cast(boxes, dtype)
    if source == target:
        return boxes
    if source.startswith("rel_") and target.startswith("rel_"):
        # Both relative: the image size cancels out.
        source, target = source[4:], target[4:]
    width = None if width is None else ops.cast(width, dtype)
    height = None if height is None else ops.cast(height, dtype)
    corners = to_corners(boxes, source.replace("rel_", ""))
    if source.startswith("rel_"):
        corners = scale_xy(corners, width, height)
    if target.startswith("rel_"):
        corners = scale_xy(corners, 1.0 / width, 1.0 / height)
    return from_corners(corners, target.replace("rel_", ""))


def _xyxy_only(owner, bounding_box_format, allowed=("xyxy",)):
    if bounding_box_format not in allowed:
        raise NotImplementedError(
            f"{owner} supports bounding_box_format in {allowed}; received "
            f"bounding_box_format={bounding_box_format!r}. Convert the boxes first with "
            "convert_format.")


def _clip_corners(boxes, height, width):
    x1, y1, x2, y2 = ops.split(boxes, 4, axis=-1)
    return ops.concatenate([ops.clip(x1, 0, width), ops.clip(y1, 0, height),
                            ops.clip(x2, 0, width), ops.clip(y2, 0, height)], axis=-1)


def clip_to_image_size(bounding_boxes, height=None, width=None, bounding_box_format="xyxy"):
    """Clips boxes to the image; a box left with no area gets the label -1.

    Args:
        bounding_boxes: a dict with "boxes" (N, 4) or (B, N, 4) and optionally "labels"
            (N,) or (B, N).
        height, width: the image size (required for "xyxy").
        bounding_box_format: "xyxy" (pixels) or "rel_xyxy" (clipped to [0, 1]).

    Returns:
        A new dict with the clipped boxes and updated labels.
    """
    if not isinstance(bounding_boxes, dict) or "boxes" not in bounding_boxes:
        raise TypeError("clip_to_image_size: `bounding_boxes` must be a dict with a 'boxes' "
                        f"entry (and optionally 'labels'). Received: {type(bounding_boxes)}")
    _xyxy_only("clip_to_image_size", bounding_box_format, ("xyxy", "rel_xyxy"))
    if bounding_box_format == "xyxy" and (height is None or width is None):
        raise ValueError("clip_to_image_size: `height` and `width` must be set if "
                         f"bounding_box_format='xyxy'. Received: height={height!r}, "
                         f"width={width!r}")
    boxes = ops.convert_to_tensor(bounding_boxes["boxes"])
    if bounding_box_format == "rel_xyxy":
        height = width = 1.0
    else:
        height, width = ops.cast(height, boxes.dtype), ops.cast(width, boxes.dtype)
    boxes = _clip_corners(boxes, height, width)
    result = {**bounding_boxes, "boxes": boxes}
    if bounding_boxes.get("labels") is not None:
        x1, y1, x2, y2 = ops.split(boxes, 4, axis=-1)
        area = ops.squeeze((x2 - x1) * (y2 - y1), axis=-1)
        labels = ops.convert_to_tensor(bounding_boxes["labels"])
        result["labels"] = ops.where(area > 0, labels, ops.cast(-1, labels.dtype))
    return result


def crop(boxes, top, left, height, width, bounding_box_format="xyxy"):
    """Moves "xyxy" boxes into the window at (top, left) and clips them to its
    (height, width); a None size leaves that side unclipped.

    Example:
        >>> crop(np.array([[10, 20, 50, 60]]), top=10, left=20, height=40, width=30)
        # [[0, 10, 30, 40]]
    """
    _xyxy_only("crop", bounding_box_format)
    boxes = ops.convert_to_tensor(boxes)
    x1, y1, x2, y2 = ops.split(boxes, 4, axis=-1)
    x1, x2 = x1 - left, x2 - left
    y1, y2 = y1 - top, y2 - top
    hi_x = math.inf if width is None else width
    hi_y = math.inf if height is None else height
    return ops.concatenate([ops.clip(x1, 0, hi_x), ops.clip(y1, 0, hi_y),
                            ops.clip(x2, 0, hi_x), ops.clip(y2, 0, hi_y)], axis=-1)


def pad(boxes, top, left, height=None, width=None, bounding_box_format="xyxy"):
    """Moves "xyxy" boxes by the padding added above (``top``) and left (``left``) of the
    image. ``height`` and ``width`` are accepted for Keras compatibility and unused."""
    _xyxy_only("pad", bounding_box_format)
    x1, y1, x2, y2 = ops.split(ops.convert_to_tensor(boxes), 4, axis=-1)
    return ops.concatenate([x1 + left, y1 + top, x2 + left, y2 + top], axis=-1)


def _per_box(value, batched, dtype):
    """A scalar or per-image (B,) parameter shaped to broadcast against (B, N, 1) (or
    (N, 1) unbatched) coordinates."""
    value = ops.cast(ops.convert_to_tensor(value), dtype)
    if batched and len(ops.shape(value)) == 1:
        return ops.reshape(value, (-1, 1, 1))
    return ops.reshape(value, (1, 1)) if not batched else value


def affine_transform(boxes, angle, translate_x, translate_y, scale, shear_x, shear_y, height,
                     width, center_x=None, center_y=None, bounding_box_format="xyxy"):
    """Moves "xyxy" boxes with the affine warp Keras's geometric layers apply to images.

    Each box's four corners go through the warp; the result is their enclosing box. Angles
    and shears are in degrees; translations and the center are fractions of the image size
    (pixel centers, so the center is at ``center * (size - 1)``).

    Args:
        boxes: (N, 4) or (B, N, 4).
        angle, translate_x, translate_y, scale, shear_x, shear_y: numbers or (B,) tensors.
        height, width: the image size.
        center_x, center_y: the fixed point, default 0.5 (the image center).

    Returns:
        Boxes of the same shape, in float32.
    """
    _xyxy_only("affine_transform", bounding_box_format)
    _check_boxes("affine_transform", boxes)
    boxes = ops.cast(boxes, "float32")
    batched = len(ops.shape(boxes)) == 3

    def arg(v):
        return _per_box(v, batched, "float32")

    deg = math.pi / 180.0
    # The image warp maps output pixels to input pixels; boxes need the opposite map, the
    # rotation by -angle with the shears undone (as TF's inverse affine matrix).
    rot, sx, sy = -arg(angle) * deg, -arg(shear_x) * deg, -arg(shear_y) * deg
    s = arg(scale)
    a = ops.cos(rot - sy) / ops.cos(sy)
    b = a * ops.tan(sx) + ops.sin(rot)
    c = -ops.sin(rot - sy) / ops.cos(sy)
    d = ops.cos(rot) - c * ops.tan(sx)
    cx = (0.5 if center_x is None else arg(center_x)) * (float(width) - 1)
    cy = (0.5 if center_y is None else arg(center_y)) * (float(height) - 1)
    tx = arg(translate_x) * (float(width) - 1)
    ty = arg(translate_y) * (float(height) - 1)
    x1, y1, x2, y2 = ops.split(boxes, 4, axis=-1)
    xs = ops.concatenate([x1, x2, x2, x1], axis=-1) - cx + tx
    ys = ops.concatenate([y1, y1, y2, y2], axis=-1) - cy + ty
    out_x = s * (d * xs - b * ys) + cx
    out_y = s * (-c * xs + a * ys) + cy
    return ops.stack([ops.min(out_x, axis=-1), ops.min(out_y, axis=-1),
                      ops.max(out_x, axis=-1), ops.max(out_y, axis=-1)], axis=-1)
