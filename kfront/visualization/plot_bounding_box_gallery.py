"""``plot_bounding_box_gallery``: a gallery of images with true and predicted boxes."""
import functools

import numpy as np

from kfront.visualization._common import batched_images, data_format_of, pyplot
from kfront.visualization.draw_bounding_boxes import draw_bounding_boxes
from kfront.visualization.plot_image_gallery import plot_image_gallery


def plot_bounding_box_gallery(images, bounding_box_format, y_true=None, y_pred=None,
                              value_range=(0, 255), true_color=(0, 188, 212),
                              pred_color=(255, 235, 59), line_thickness=2, font_scale=1.0,
                              text_thickness=None, class_mapping=None,
                              ground_truth_mapping=None, prediction_mapping=None, legend=False,
                              legend_handles=None, rows=None, cols=None, data_format=None,
                              **kwargs):
    """Draws ``y_true`` and ``y_pred`` boxes (dicts as in ``draw_bounding_boxes``) on the
    images and plots them with ``plot_image_gallery`` (extra ``kwargs`` go there).

    Args:
        images: (batch, height, width, channels) images.
        bounding_box_format: the boxes' format.
        y_true, y_pred: {"boxes", "labels"[, "confidences"]} dicts, or None.
        value_range: the images' (min, max).
        true_color, pred_color: RGB colors of the two sets.
        line_thickness, font_scale, text_thickness: as in ``draw_bounding_boxes``.
        class_mapping: {label: name} for both sets, unless ``ground_truth_mapping`` or
            ``prediction_mapping`` is given.
        legend: add a "Ground Truth" / "Prediction" legend.
        legend_handles: matplotlib patches for the legend instead (not with ``legend``).
        rows, cols: the grid.
        data_format: "channels_last" or "channels_first" (the config's by default).
    """
    pyplot("plot_bounding_box_gallery")
    from matplotlib import patches
    if legend and legend_handles:
        raise ValueError("plot_bounding_box_gallery: pass `legend` or `legend_handles`, not "
                         "both.")
    pixels = batched_images("plot_bounding_box_gallery", images, data_format_of(data_format))
    draw = functools.partial(draw_bounding_boxes, bounding_box_format=bounding_box_format,
                             line_thickness=line_thickness, text_thickness=text_thickness,
                             font_scale=font_scale, data_format="channels_last")
    if y_true is not None or y_pred is not None:
        # Drawing makes uint8 in [0, 255]; the gallery then takes that range.
        low, high = value_range
        pixels = np.clip((pixels.astype("float32") - low) / (high - low) * 255.0, 0, 255)
        pixels = pixels.astype("uint8")
        value_range = (0, 255)
    if y_true is not None:
        pixels = draw(pixels, y_true, color=true_color,
                      class_mapping=ground_truth_mapping or class_mapping)
    if y_pred is not None:
        pixels = draw(pixels, y_pred, color=pred_color,
                      class_mapping=prediction_mapping or class_mapping)
    if legend:
        legend_handles = [
            patches.Patch(color=np.array(true_color) / 255.0, label="Ground Truth"),
            patches.Patch(color=np.array(pred_color) / 255.0, label="Prediction")]
    return plot_image_gallery(pixels, value_range=value_range, legend_handles=legend_handles,
                              rows=rows, cols=cols, data_format="channels_last", **kwargs)
