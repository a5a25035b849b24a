"""``draw_segmentation_masks``: class masks painted over images, blended or not."""
import numpy as np

from kfront import ops
from kfront.backend.dtypes import is_int_dtype, standardize_dtype
from kfront.visualization._common import batched_images, data_format_of


def _palette(num_classes):
    """Keras's default colors: class i gets (i * (2**25 - 1, 2**15 - 1, 2**21 - 1)) % 255."""
    base = np.array([2**25 - 1, 2**15 - 1, 2**21 - 1])
    return [((i * base) % 255).tolist() for i in range(num_classes)]


def draw_segmentation_masks(images, segmentation_masks, num_classes=None, color_mapping=None,
                            alpha=0.8, blend=True, ignore_index=-1, data_format=None):
    """Paints each mask class in its color over the images.

    Args:
        images: (batch, height, width, channels) images.
        segmentation_masks: integer masks, (batch, height, width, 1) or
            (batch, height, width).
        num_classes: the classes painted are 0 .. num_classes - 1 (as in Keras, a value of
            ``num_classes`` or more is not painted). Defaults to the masks' maximum.
        color_mapping: {class: (r, g, b)} for every class below ``num_classes``; defaults
            to Keras's palette (class 0 is black).
        alpha: the masks' opacity when blending, in [0, 1].
        blend: mix ``alpha`` of the color with the image (uint8 result, pixels equal to
            ``ignore_index`` untouched); False paints the colors as they are (float32).
        ignore_index: the mask value left unpainted when blending.
        data_format: "channels_last" or "channels_first" (the config's by default).

    Returns:
        A NumPy array of channels-last images.
    """
    data_format = data_format_of(data_format)
    pixels = batched_images("draw_segmentation_masks", images, data_format).astype("float32")
    masks = ops.convert_to_numpy(segmentation_masks)
    if not is_int_dtype(standardize_dtype(masks.dtype)):
        raise TypeError("draw_segmentation_masks: `segmentation_masks` must be in integer "
                        f"dtype. Received: segmentation_masks.dtype={masks.dtype}")
    if masks.ndim == 4:
        masks = masks.transpose(0, 2, 3, 1) if data_format == "channels_first" else masks
        masks = masks[..., 0]
    if masks.shape != pixels.shape[:3]:
        raise ValueError("draw_segmentation_masks: `segmentation_masks` must be (batch, "
                         f"height, width[, 1]) matching images {pixels.shape}. Received: "
                         f"{masks.shape}")
    if not 0.0 <= alpha <= 1.0:
        raise ValueError(f"draw_segmentation_masks: `alpha` must be in [0, 1]. Received: "
                         f"alpha={alpha!r}")
    if num_classes is None:
        num_classes = int(masks.max())
    if color_mapping is None:
        colors = _palette(num_classes)
    else:
        missing = [i for i in range(num_classes) if i not in color_mapping]
        if missing:
            raise ValueError("draw_segmentation_masks: `color_mapping` needs a color for "
                             f"every class below num_classes={num_classes}; missing {missing}")
        colors = [color_mapping[i] for i in range(num_classes)]
    painted = pixels.copy()
    for index, color in enumerate(colors):
        painted[masks == index] = np.resize(np.asarray(color, "float32"), pixels.shape[-1])
    if not blend:
        return painted
    mixed = pixels * (1 - alpha) + painted * alpha
    mixed = np.where((masks != ignore_index)[..., None], mixed, pixels)
    return mixed.astype("uint8")  # truncates, as the engines' casts do
