"""NumPy references for the box utilities: formats through corners (x1, y1, x2, y2)."""
import math

import numpy as np

EPS = 1e-7


def to_corners(b, fmt, h=None, w=None):
    b = np.asarray(b, "float64")
    rel = fmt.startswith("rel_")
    fmt = fmt.replace("rel_", "")
    a, c, d, e = (b[..., i] for i in range(4))
    out = {
        "xyxy": (a, c, d, e), "yxyx": (c, a, e, d), "xywh": (a, c, a + d, c + e),
        "center_xywh": (a - d / 2, c - e / 2, a + d / 2, c + e / 2),
        "center_yxhw": (c - e / 2, a - d / 2, c + e / 2, a + d / 2),
    }[fmt]
    out = np.stack(out, -1)
    return out * np.array([w, h, w, h], "float64") if rel else out


def from_corners(b, fmt, h=None, w=None):
    if fmt.startswith("rel_"):
        b = b / np.array([w, h, w, h], "float64")
        fmt = fmt[4:]
    x1, y1, x2, y2 = (b[..., i] for i in range(4))
    cx, cy, bw, bh = (x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1
    return np.stack({"xyxy": (x1, y1, x2, y2), "yxyx": (y1, x1, y2, x2),
                     "xywh": (x1, y1, bw, bh), "center_xywh": (cx, cy, bw, bh),
                     "center_yxhw": (cy, cx, bh, bw)}[fmt], -1)


def iou(b1, b2):
    b1, b2 = b1[..., :, None, :], b2[..., None, :, :]
    iw = np.maximum(np.minimum(b1[..., 2], b2[..., 2]) - np.maximum(b1[..., 0], b2[..., 0]), 0)
    ih = np.maximum(np.minimum(b1[..., 3], b2[..., 3]) - np.maximum(b1[..., 1], b2[..., 1]), 0)
    inter = iw * ih
    area = lambda b: (b[..., 2] - b[..., 0]) * (b[..., 3] - b[..., 1])  # noqa: E731
    return inter / (area(b1) + area(b2) - inter + EPS)


def affine(boxes, angle_deg, tx, ty, scale, h, w):
    """Corners turned by -angle about the center (pixel centers), scaled, enclosing box."""
    t = -math.radians(angle_deg)
    cx, cy = 0.5 * (w - 1), 0.5 * (h - 1)
    pts = np.stack([boxes[..., [0, 1]], boxes[..., [2, 1]], boxes[..., [2, 3]],
                    boxes[..., [0, 3]]], -2) - [cx - tx * (w - 1), cy - ty * (h - 1)]
    rot = scale * np.array([[math.cos(t), -math.sin(t)], [math.sin(t), math.cos(t)]])
    out = pts @ rot.T + [cx, cy]
    return np.concatenate([out.min(-2), out.max(-2)], -1)
