"""Parity specs for the image preprocessing layers.

Random layers with a degenerate factor range (lower == upper) draw the same value on every
engine, so their warps are compared exactly like deterministic layers.
"""
from layer_spec import spec

from kfront import layers

_TRAIN = {"training": True}
_INFER = {"training": False}

SPECS = [
    spec("rescaling", lambda: layers.Rescaling(0.5, offset=-1.0), [(2, 4, 4, 3)]),
    spec("rescaling_per_channel", lambda: layers.Rescaling([1.0, 2.0, 0.5]), [(2, 3, 3, 3)]),
    spec("resizing_bilinear_down", lambda: layers.Resizing(3, 5), [(2, 6, 7, 2)]),
    spec("resizing_bilinear_up", lambda: layers.Resizing(7, 4), [(2, 3, 3, 2)]),
    spec("resizing_nearest", lambda: layers.Resizing(5, 3, interpolation="nearest"),
         [(2, 4, 6, 2)]),
    spec("resizing_crop_to_aspect", lambda: layers.Resizing(3, 3, crop_to_aspect_ratio=True),
         [(2, 4, 6, 1)]),
    spec("resizing_pad_to_aspect_channels_first", lambda: layers.Resizing(
        4, 4, pad_to_aspect_ratio=True, data_format="channels_first"), [(2, 2, 3, 6)]),
    spec("center_crop", lambda: layers.CenterCrop(3, 2), [(2, 5, 5, 3)]),
    spec("center_crop_upscales", lambda: layers.CenterCrop(6, 6), [(2, 4, 5, 1)]),
    spec("random_flip_infer", lambda: layers.RandomFlip(), [(2, 4, 4, 3)], _INFER),
    spec("random_crop_infer", lambda: layers.RandomCrop(3, 3), [(2, 5, 4, 2)], _INFER),
    spec("random_rotation_fixed_angle", lambda: layers.RandomRotation((0.1, 0.1)),
         [(2, 5, 5, 2)], _TRAIN, rtol=1e-4, atol=1e-5,
         why="sin/cos of the angle and the bilinear weights round differently per engine"),
    spec("random_zoom_fixed_constant", lambda: layers.RandomZoom(
        (0.3, 0.3), (-0.2, -0.2), fill_mode="constant", fill_value=0.5), [(2, 5, 6, 1)],
         _TRAIN, rtol=1e-4, atol=1e-5,
         why="bilinear weights from float32 coordinates round differently per engine"),
    spec("random_translation_fixed_wrap", lambda: layers.RandomTranslation(
        (0.25, 0.25), (-0.5, -0.5), fill_mode="wrap", interpolation="nearest"),
         [(2, 4, 4, 2)], _TRAIN),
    spec("random_contrast_infer", lambda: layers.RandomContrast(0.5), [(2, 3, 3, 3)], _INFER),
]
