"""``kfront.utils.bounding_boxes``: box formats, clipping, cropping, padding, affine moves,
IoU and anchor deltas, as ``keras.utils.bounding_boxes``."""
from kfront.utils.bounding_boxes.converters import (affine_transform, clip_to_image_size,
                                                    convert_format, crop, pad)
from kfront.utils.bounding_boxes.deltas import decode_deltas_to_boxes, encode_box_to_deltas
from kfront.utils.bounding_boxes.iou import compute_ciou, compute_iou

__all__ = ["affine_transform", "clip_to_image_size", "compute_ciou", "compute_iou",
           "convert_format", "crop", "decode_deltas_to_boxes", "encode_box_to_deltas", "pad"]
