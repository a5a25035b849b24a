"""``plot_segmentation_mask_gallery``: each image next to its true and predicted masks."""
import numpy as np

from kfront import ops
from kfront.visualization._common import batched_images, data_format_of, pyplot
from kfront.visualization.draw_segmentation_masks import draw_segmentation_masks
from kfront.visualization.plot_image_gallery import plot_image_gallery


def plot_segmentation_mask_gallery(images, num_classes, value_range=(0, 255), y_true=None,
                                   y_pred=None, color_mapping=None, blend=True, alpha=0.8,
                                   ignore_index=-1, data_format=None, **kwargs):
    """One row per image: the image, then ``y_true`` and ``y_pred`` drawn over it with
    ``draw_segmentation_masks``; plotted by ``plot_image_gallery`` (``kwargs`` go there).

    Args:
        images: (batch, height, width, channels) images.
        num_classes: the number of mask classes.
        value_range: the images' (min, max).
        y_true, y_pred: (batch, height, width[, 1]) masks, or None.
        color_mapping, blend, alpha, ignore_index: as in ``draw_segmentation_masks``.
        data_format: "channels_last" or "channels_first" (the config's by default).
    """
    pyplot("plot_segmentation_mask_gallery")
    data_format = data_format_of(data_format)
    pixels = batched_images("plot_segmentation_mask_gallery", images, data_format)
    panels = [pixels]
    for masks in (y_true, y_pred):
        if masks is None:
            continue
        masks = ops.convert_to_numpy(masks).astype("int32")
        if data_format == "channels_first" and masks.ndim == 4:
            masks = masks.transpose(0, 2, 3, 1)
        drawn = draw_segmentation_masks(pixels, masks, num_classes=num_classes,
                                        color_mapping=color_mapping, alpha=alpha, blend=blend,
                                        ignore_index=ignore_index, data_format="channels_last")
        panels.append(drawn.astype(pixels.dtype))
    gallery = np.stack(panels, axis=1).reshape((-1,) + pixels.shape[1:])
    return plot_image_gallery(gallery, value_range=value_range, rows=pixels.shape[0],
                              cols=len(panels), data_format="channels_last", **kwargs)
