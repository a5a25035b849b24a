"""``kfront.visualization``: boxes and masks drawn into images (NumPy), and image galleries
plotted with matplotlib (the ``plot`` extra), as ``keras.visualization``."""
from kfront.visualization.draw_bounding_boxes import draw_bounding_boxes
from kfront.visualization.draw_segmentation_masks import draw_segmentation_masks
from kfront.visualization.plot_bounding_box_gallery import plot_bounding_box_gallery
from kfront.visualization.plot_image_gallery import plot_image_gallery
from kfront.visualization.plot_segmentation_mask_gallery import plot_segmentation_mask_gallery

__all__ = ["draw_bounding_boxes", "draw_segmentation_masks", "plot_bounding_box_gallery",
           "plot_image_gallery", "plot_segmentation_mask_gallery"]
