"""Box formats: each maps to and from corners (x1, y1, x2, y2) in pixels."""
from kfront import ops

SUPPORTED_FORMATS = ("xyxy", "yxyx", "xywh", "center_xywh", "center_yxhw", "rel_xyxy",
                     "rel_yxyx", "rel_xywh", "rel_center_xywh")


def check_format(owner, arg, value):
    """``value`` lower-cased, or a ValueError naming the supported formats."""
    if not isinstance(value, str) or value.lower() not in SUPPORTED_FORMATS:
        raise ValueError(f"{owner}: invalid `{arg}` format {value!r}. Supported formats: "
                         f"{', '.join(SUPPORTED_FORMATS)}.")
    return value.lower()


def _split(boxes):
    return ops.split(boxes, 4, axis=-1)


def _join(*parts):
    return ops.concatenate(list(parts), axis=-1)


def to_corners(boxes, fmt):
    """Boxes in absolute ``fmt`` (no ``rel_`` prefix) as (x1, y1, x2, y2)."""
    a, b, c, d = _split(boxes)
    if fmt == "xyxy":
        return boxes
    if fmt == "yxyx":
        return _join(b, a, d, c)
    if fmt == "xywh":
        return _join(a, b, a + c, b + d)
    if fmt == "center_xywh":
        return _join(a - c / 2.0, b - d / 2.0, a + c / 2.0, b + d / 2.0)
    # center_yxhw: (cy, cx, h, w)
    return _join(b - d / 2.0, a - c / 2.0, b + d / 2.0, a + c / 2.0)


def from_corners(boxes, fmt):
    """(x1, y1, x2, y2) boxes in absolute ``fmt`` (no ``rel_`` prefix)."""
    x1, y1, x2, y2 = _split(boxes)
    if fmt == "xyxy":
        return boxes
    if fmt == "yxyx":
        return _join(y1, x1, y2, x2)
    w, h = x2 - x1, y2 - y1
    if fmt == "xywh":
        return _join(x1, y1, w, h)
    cx, cy = x1 + w / 2.0, y1 + h / 2.0
    if fmt == "center_xywh":
        return _join(cx, cy, w, h)
    return _join(cy, cx, h, w)


def scale_xy(boxes, sx, sy):
    """Multiplies the x coordinates of corner boxes by ``sx`` and the y ones by ``sy``."""
    x1, y1, x2, y2 = _split(boxes)
    return _join(x1 * sx, y1 * sy, x2 * sx, y2 * sy)
