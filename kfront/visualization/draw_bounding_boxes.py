"""``draw_bounding_boxes``: box outlines (and class names) drawn into images with NumPy."""
import numpy as np

from kfront import ops
from kfront.utils.bounding_boxes import convert_format
from kfront.visualization._common import batched_images, data_format_of, to_uint8


def _outline(image, x1, y1, x2, y2, color, thickness):
    """A rectangle outline; an edge covers the pixels within ``thickness // 2`` of it (at
    least the edge's own pixel), as OpenCV's thick lines do."""
    h, w = image.shape[:2]
    half = max(thickness, 1) // 2
    for top, bottom, left, right in ((y1 - half, y1 + half, x1 - half, x2 + half),
                                     (y2 - half, y2 + half, x1 - half, x2 + half),
                                     (y1 - half, y2 + half, x1 - half, x1 + half),
                                     (y1 - half, y2 + half, x2 - half, x2 + half)):
        top, left = max(top, 0), max(left, 0)
        bottom, right = min(bottom, h - 1), min(right, w - 1)
        if top <= bottom and left <= right:
            image[top:bottom + 1, left:right + 1] = color


def _text_location(x, y, font_scale, thickness):
    """Above the box when there is room, else just inside its top-left corner."""
    font_height = int(font_scale * 12)
    if y - 8 - 2 * font_height > 0:
        return x, y - 8
    return x + 3, y + 2 * font_height + thickness + 3


def _draw_texts(image, texts, color, font_scale, thickness):
    """Writes (x, y, text) items (y the baseline) into ``image`` with matplotlib's Agg."""
    from kfront.visualization._common import pyplot
    pyplot("draw_bounding_boxes(class_mapping=...)")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    h, w = image.shape[:2]
    fig = Figure(figsize=(w / 100.0, h / 100.0), dpi=100)
    fig.patch.set_alpha(0.0)  # only the glyphs are opaque
    canvas = FigureCanvasAgg(fig)
    for x, y, text in texts:
        # 16 points at 100 dpi is about the height of OpenCV's Hershey font at scale 1.
        fig.text(x / w, 1.0 - y / h, text, fontsize=16 * font_scale, color="black",
                 va="baseline", ha="left", fontweight="bold" if thickness > 1 else "normal")
    canvas.draw()
    alpha = np.asarray(canvas.buffer_rgba())[..., 3]
    image[alpha > 127] = color


def draw_bounding_boxes(images, bounding_boxes, bounding_box_format, class_mapping=None,
                        color=(128, 128, 128), line_thickness=2, text_thickness=1,
                        font_scale=1.0, data_format=None):
    """Draws box outlines, and class names where ``class_mapping`` names the label.

    Args:
        images: (batch, height, width, channels) images; floats up to 1 are taken as [0, 1].
        bounding_boxes: a dict with "boxes" (batch, N, 4), "labels" (batch, N) and
            optionally "confidences" (batch, N), shown after the class name. Boxes with
            the label -1 (padding) are skipped.
        bounding_box_format: the boxes' format (see ``utils.bounding_boxes``).
        class_mapping: {label: name}; names are drawn with matplotlib (the ``plot`` extra).
        color: the RGB color of the outlines and names.
        line_thickness: the outline width in pixels.
        text_thickness: the text weight (bold above 1); falls back to ``line_thickness``.
        font_scale: the text size relative to the default.
        data_format: "channels_last" or "channels_first" (the config's by default).

    Returns:
        A uint8 NumPy array of the images' shape.
    """
    data_format = data_format_of(data_format)
    pixels = batched_images("draw_bounding_boxes", images, data_format)
    if not isinstance(bounding_boxes, dict):
        raise TypeError("draw_bounding_boxes: `bounding_boxes` should be a dict. Received: "
                        f"bounding_boxes of type {type(bounding_boxes).__name__}")
    if "boxes" not in bounding_boxes or "labels" not in bounding_boxes:
        raise ValueError("draw_bounding_boxes: `bounding_boxes` should be a dict containing "
                         f"'boxes' and 'labels' keys. Received keys: {sorted(bounding_boxes)}")
    class_mapping = class_mapping or {}
    text_thickness = text_thickness or line_thickness
    height, width = pixels.shape[1], pixels.shape[2]
    boxes = ops.convert_to_numpy(convert_format(bounding_boxes["boxes"], bounding_box_format,
                                                "xyxy", height=height, width=width))
    labels = ops.convert_to_numpy(bounding_boxes["labels"])
    confidences = bounding_boxes.get("confidences")
    confidences = None if confidences is None else ops.convert_to_numpy(confidences)
    pixels = to_uint8(pixels).copy()
    paint = np.resize(np.asarray(color, "uint8"), pixels.shape[-1])
    for i, image in enumerate(pixels):
        texts = []
        for j, box in enumerate(boxes[i]):
            label = int(labels[i][j])
            if label == -1:
                continue
            x1, y1, x2, y2 = (int(v) for v in box.astype("int32"))
            _outline(image, x1, y1, x2, y2, paint, line_thickness)
            if label in class_mapping:
                text = str(class_mapping[label])
                if confidences is not None:
                    text = f"{text} | {float(confidences[i][j]):.2f}"
                texts.append((*_text_location(x1, y1, font_scale, text_thickness), text))
        if texts:
            _draw_texts(image, texts, paint, font_scale, text_thickness)
    return pixels.transpose(0, 3, 1, 2) if data_format == "channels_first" else pixels
