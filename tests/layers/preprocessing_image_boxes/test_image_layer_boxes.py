"""Boxes and masks move with the images in the geometric image layers, as in Keras 3.

The same deterministic transformation (fixed factors, or an explicit transformation) runs
on kfront and on the installed keras, and the boxes are compared.
"""
import numpy as np
import pytest

import kfront as keras
from keras_reference import keras_numbers

H, W = 12, 16
RNG = np.random.default_rng(3)
IMAGES = RNG.uniform(0, 255, (2, H, W, 3)).astype("float32")
MASKS = RNG.integers(0, 4, (2, H, W, 1)).astype("float32")
BOXES = np.array([[[1, 2, 6, 9], [3, 0, 15, 5], [0, 0, 16, 12]],
                  [[8, 4, 14, 11], [2, 3, 5, 6], [10, 1, 13, 3]]], "float32")
LABELS = np.array([[1, 2, 3], [4, 5, 6]], "int32")

# name: (kfront/keras layer expression, bounding_box_format)
CASES = {
    "resize": ("Resizing(6, 8, bounding_box_format='xyxy')", "xyxy"),
    # Keras floors the crop offset in output pixels ((new_width - width) // 2) where the
    # image is cropped at whole input pixels; the two agree when the offset is whole, as here.
    "resize_crop": ("Resizing(6, 6, crop_to_aspect_ratio=True, bounding_box_format='xyxy')",
                    "xyxy"),
    "resize_pad": ("Resizing(16, 16, pad_to_aspect_ratio=True, bounding_box_format='xyxy')",
                   "xyxy"),
    "center_crop": ("CenterCrop(8, 10, bounding_box_format='xyxy')", "xyxy"),
    "center_crop_up": ("CenterCrop(24, 24, bounding_box_format='xyxy')", "xyxy"),
    "translation": ("RandomTranslation((0.25, 0.25), (-0.125, -0.125), "
                    "bounding_box_format='xyxy')", "xyxy"),
    "rotation": ("RandomRotation((0.25, 0.25), bounding_box_format='xyxy')", "xyxy"),
    "rotation_small": ("RandomRotation((0.05, 0.05), bounding_box_format='xyxy')", "xyxy"),
    "zoom_in": ("RandomZoom((-0.5, -0.5), bounding_box_format='xyxy')", "xyxy"),
    "zoom_out": ("RandomZoom((0.5, 0.5), (0.25, 0.25), bounding_box_format='xyxy')", "xyxy"),
}

KERAS_SCRIPT = """
from keras.utils import bounding_boxes as bb
cases = %r
for name, (expr, fmt) in cases.items():
    layer = eval("keras.layers." + expr)
    boxes = bb.convert_format(inp["boxes"], "xyxy", fmt, height=%d, width=%d)
    res = layer({"images": inp["images"], "segmentation_masks": inp["masks"],
                 "bounding_boxes": {"boxes": boxes, "labels": inp["labels"]}}, training=True)
    out[name + "_boxes"] = res["bounding_boxes"]["boxes"]
    out[name + "_labels"] = res["bounding_boxes"]["labels"]
    out[name + "_masks"] = res["segmentation_masks"]
for mode in ("horizontal", "vertical"):
    layer = keras.layers.RandomFlip(mode, bounding_box_format="xyxy")
    t = {"flips": np.array([True, False]).reshape(2, 1, 1, 1), "input_shape": inp["images"].shape}
    res = layer.transform_bounding_boxes({"boxes": inp["boxes"], "labels": inp["labels"]}, t)
    out["flip_" + mode] = res["boxes"]
layer = keras.layers.RandomCrop(8, 10, bounding_box_format="xyxy")
res = layer.transform_bounding_boxes({"boxes": inp["inside"], "labels": inp["labels"]}, (2, 2))
out["crop"] = res["boxes"]
for count, fill in ((5, -7), (2, -1)):
    layer = keras.layers.MaxNumBoundingBoxes(max_number=count, fill_value=fill,
                                             bounding_box_format="xyxy")
    res = layer({"images": inp["images"],
                 "bounding_boxes": {"boxes": inp["boxes"], "labels": inp["labels"]}})
    out[f"max{count}_boxes"] = res["bounding_boxes"]["boxes"]
    out[f"max{count}_labels"] = res["bounding_boxes"]["labels"]
""" % (CASES, H, W)

INSIDE = np.array([[[2, 2, 6, 9], [3, 4, 11, 5], [2, 2, 12, 10]],
                   [[8, 4, 12, 9], [2, 3, 5, 6], [10, 2, 11, 3]]], "float32")


def _np(x):
    return keras.ops.convert_to_numpy(x)


@pytest.fixture(scope="module")
def keras_out():
    return keras_numbers(KERAS_SCRIPT, images=IMAGES, masks=MASKS, boxes=BOXES, labels=LABELS,
                         inside=INSIDE)


def _call(layer, images=IMAGES, boxes=BOXES, labels=LABELS, masks=MASKS):
    data = {"images": images, "bounding_boxes": {"boxes": boxes, "labels": labels}}
    if masks is not None:
        data["segmentation_masks"] = masks
    return layer(data, training=True)


# A fast sample runs everywhere; the rest are marked slow (JAX compiles each new op shape).
FAST_CASES = ("resize", "resize_crop", "center_crop", "translation", "rotation", "zoom_in")


def _cases(names, fast):
    return [pytest.param(n, marks=() if n in fast else pytest.mark.slow) for n in names]


@pytest.mark.parametrize("name", _cases(sorted(CASES), FAST_CASES))
def test_boxes_match_keras(name, keras_out):
    layer = eval("keras.layers." + CASES[name][0])
    out = _call(layer)
    np.testing.assert_allclose(_np(out["bounding_boxes"]["boxes"]), keras_out[name + "_boxes"],
                               rtol=1e-4, atol=2e-3)
    np.testing.assert_array_equal(_np(out["bounding_boxes"]["labels"]),
                                  keras_out[name + "_labels"])
    assert _np(out["images"]).shape[:3] == keras_out[name + "_masks"].shape[:3]


@pytest.mark.parametrize("name", _cases(["rotation", "zoom_in", "translation", "resize",
                                          "center_crop"], ("rotation", "resize")))
def test_masks_match_keras(name, keras_out):
    out = _call(eval("keras.layers." + CASES[name][0]))
    np.testing.assert_array_equal(_np(out["segmentation_masks"]), keras_out[name + "_masks"])


@pytest.mark.parametrize("fmt", ["center_xywh", "rel_yxyx"])
def test_formats_round_trip_through_a_layer(fmt):
    from kfront.utils.bounding_boxes import convert_format
    layer = keras.layers.Resizing(6, 8, bounding_box_format=fmt)
    reference = keras.layers.Resizing(6, 8, bounding_box_format="xyxy")
    got = _call(layer, boxes=_np(convert_format(BOXES, "xyxy", fmt, H, W)))
    want = _np(_call(reference)["bounding_boxes"]["boxes"])
    np.testing.assert_allclose(_np(convert_format(got["bounding_boxes"]["boxes"], fmt, "xyxy",
                                                  6, 8)), want, rtol=1e-5, atol=1e-5)


def test_flip_boxes_match_keras(keras_out):
    for mode in ("horizontal", "vertical"):
        layer = keras.layers.RandomFlip(mode, bounding_box_format="xyxy")
        flips = keras.ops.convert_to_tensor(np.array([True, False]).reshape(2, 1, 1, 1))
        got = layer.transform_box_corners(keras.ops.convert_to_tensor(BOXES), {mode: flips},
                                          (H, W), True)
        np.testing.assert_allclose(_np(got), keras_out["flip_" + mode])


def test_crop_boxes_match_keras(keras_out):
    layer = keras.layers.RandomCrop(8, 10, bounding_box_format="xyxy")
    got = layer.transform_box_corners(keras.ops.convert_to_tensor(INSIDE), (2, 2), (H, W), True)
    np.testing.assert_allclose(_np(got), keras_out["crop"])


def _box_of_pixels(image, threshold=0.5):
    """The (x1, y1, x2, y2) extent of the pixels above ``threshold`` (edges, not centers)."""
    ys, xs = np.nonzero(image[..., 0] > threshold)
    return np.array([xs.min(), ys.min(), xs.max() + 1, ys.max() + 1], "float32")


PIXEL_CASES = [
    "RandomFlip('horizontal_and_vertical', seed=5)", "RandomCrop(8, 10, seed=2)",
    "RandomCrop(6, 6)", "Resizing(24, 32, interpolation='nearest')", "CenterCrop(8, 10)",
    "Resizing(6, 6, crop_to_aspect_ratio=True, interpolation='nearest')",
    "Resizing(32, 32, pad_to_aspect_ratio=True, interpolation='nearest')",
    "RandomTranslation((-0.25, 0.25), (-0.25, 0.25), fill_mode='constant', seed=3)",
    "RandomZoom((-0.5, -0.5), fill_mode='constant', interpolation='nearest')",
    "RandomRotation((0.25, 0.25), fill_mode='constant', interpolation='nearest')"]


@pytest.mark.parametrize("expr", _cases(PIXEL_CASES, PIXEL_CASES[:2] + PIXEL_CASES[-2:]))
def test_boxes_move_with_the_pixels(expr):
    """An image lit exactly inside its one box: after the layer, the box bounds the lit
    pixels (as a segmentation mask would). Within a pixel: Keras turns and zooms boxes about
    the center pixel's index ((size - 1) / 2), not the image's edge-based center."""
    images = np.zeros((4, H, W, 1), "float32")
    boxes = np.array([[[2, 1, 7, 5]], [[9, 3, 15, 11]], [[4, 4, 12, 8]], [[0, 0, 3, 12]]],
                     "float32")
    for image, (x1, y1, x2, y2) in zip(images, boxes[:, 0].astype(int)):
        image[y1:y2, x1:x2] = 1.0
    layer = eval("keras.layers." + expr[:-1] + ", bounding_box_format='xyxy')")
    out = layer({"images": images, "bounding_boxes": {"boxes": boxes,
                                                      "labels": np.ones((4, 1), "int32")}})
    got_images, got_boxes = _np(out["images"]), _np(out["bounding_boxes"]["boxes"])
    for image, box in zip(got_images, got_boxes[:, 0]):
        if (image > 0.5).any():
            np.testing.assert_allclose(box, _box_of_pixels(image), atol=1.0 + 1e-3)


@pytest.mark.slow
def test_unbatched_matches_batched():
    layer = keras.layers.RandomZoom((-0.5, -0.5), bounding_box_format="xyxy")
    batched = _call(layer)
    single = layer({"images": IMAGES[1], "bounding_boxes": {"boxes": BOXES[1],
                                                            "labels": LABELS[1]},
                    "segmentation_masks": MASKS[1]})
    np.testing.assert_allclose(_np(single["bounding_boxes"]["boxes"]),
                               _np(batched["bounding_boxes"]["boxes"])[1], atol=1e-5)
    np.testing.assert_array_equal(_np(single["bounding_boxes"]["labels"]),
                                  _np(batched["bounding_boxes"]["labels"])[1])
    assert _np(single["segmentation_masks"]).shape == (H, W, 1)


def test_unbatched_and_channels_first_cropping():
    layer = keras.layers.CenterCrop(8, 10, bounding_box_format="xyxy")
    single = layer({"images": IMAGES[1], "bounding_boxes": {"boxes": BOXES[1],
                                                            "labels": LABELS[1]}})
    batched = _call(layer, masks=None)
    np.testing.assert_allclose(_np(single["bounding_boxes"]["boxes"]),
                               _np(batched["bounding_boxes"]["boxes"])[1])
    assert _np(single["images"]).shape == (8, 10, 3)
    first = keras.layers.CenterCrop(8, 10, data_format="channels_first",
                                    bounding_box_format="xyxy")
    out = _call(first, images=IMAGES.transpose(0, 3, 1, 2), masks=None)
    want = _call(keras.layers.CenterCrop(8, 10, bounding_box_format="xyxy"), masks=None)
    assert _np(out["images"]).shape == (2, 3, 8, 10)
    np.testing.assert_allclose(_np(out["bounding_boxes"]["boxes"]),
                               _np(want["bounding_boxes"]["boxes"]))


def test_inference_leaves_boxes_and_other_entries():
    layer = keras.layers.RandomRotation(0.2, bounding_box_format="xyxy")
    data = {"images": IMAGES, "labels": np.array([0, 1]), "weights": np.array([0.5, 2.0]),
            "bounding_boxes": {"boxes": BOXES, "labels": LABELS}}
    out = layer(data, training=False)
    np.testing.assert_array_equal(_np(out["weights"]), [0.5, 2.0])
    np.testing.assert_array_equal(_np(out["bounding_boxes"]["boxes"]), BOXES)
    np.testing.assert_array_equal(_np(out["labels"]), [0, 1])
    np.testing.assert_allclose(_np(out["images"]), IMAGES)
    contrast = keras.layers.RandomContrast(0.5)
    out = contrast({"images": IMAGES, "bounding_boxes": {"boxes": BOXES, "labels": LABELS}})
    np.testing.assert_array_equal(_np(out["bounding_boxes"]["boxes"]), BOXES)


def test_dict_input_errors():
    with pytest.raises(ValueError, match="didn't specify a bounding box format.*RandomFlip"):
        _call(keras.layers.RandomFlip())
    with pytest.raises(ValueError, match=r"invalid `bounding_box_format` format 'xyz'"):
        keras.layers.RandomFlip(bounding_box_format="xyz")
    with pytest.raises(ValueError, match=r"needs an 'images' entry.*Received keys: \['boxes'\]"):
        keras.layers.Resizing(4, 4)({"boxes": BOXES})
    with pytest.raises(ValueError, match=r"must have shape \(batch, N, 4\).*\(3, 4\)"):
        _call(keras.layers.Resizing(4, 4, bounding_box_format="xyxy"), boxes=BOXES[0])
    layer = keras.layers.Resizing(4, 4, bounding_box_format="xyxy")
    with pytest.raises(ValueError, match="'bounding_boxes' must be a dict with 'boxes'"):
        layer({"images": IMAGES, "bounding_boxes": BOXES})


def test_max_num_bounding_boxes(keras_out):
    for count, fill, key in ((5, -7, "max5"), (2, -1, "max2")):
        layer = keras.layers.MaxNumBoundingBoxes(max_number=count, fill_value=fill)
        out = layer({"images": IMAGES, "bounding_boxes": {"boxes": BOXES, "labels": LABELS}})
        np.testing.assert_array_equal(_np(out["bounding_boxes"]["boxes"]),
                                      keras_out[key + "_boxes"])
        np.testing.assert_array_equal(_np(out["bounding_boxes"]["labels"]),
                                      keras_out[key + "_labels"])
        np.testing.assert_array_equal(_np(out["images"]), IMAGES)
    layer = keras.layers.MaxNumBoundingBoxes(4)
    single = layer({"images": IMAGES[0], "bounding_boxes": {"boxes": BOXES[0],
                                                            "labels": LABELS[0]}})
    np.testing.assert_array_equal(_np(single["bounding_boxes"]["labels"]), [1, 2, 3, -1])
    np.testing.assert_array_equal(_np(layer(IMAGES)), IMAGES)
    assert layer.compute_output_shape(
        {"images": (2, H, W, 3), "bounding_boxes": {"boxes": (2, 3, 4), "labels": (2, 3)}}
    )["bounding_boxes"] == {"boxes": (2, 4, 4), "labels": (2, 4)}
    config = layer.get_config()
    assert (config["max_number"], config["fill_value"]) == (4, -1)
    assert keras.layers.MaxNumBoundingBoxes.from_config(config).max_number == 4
    with pytest.raises(ValueError, match="`max_number` must be a positive int.*0"):
        keras.layers.MaxNumBoundingBoxes(0)
    with pytest.raises(KeyError, match=r"unsupported keys in `bounding_boxes`: \['scores'\]"):
        layer({"images": IMAGES, "bounding_boxes": {"boxes": BOXES, "labels": LABELS,
                                                    "scores": LABELS}})


def test_config_keeps_bounding_box_format():
    layer = keras.layers.RandomTranslation(0.1, 0.1, bounding_box_format="center_xywh")
    config = layer.get_config()
    assert config["bounding_box_format"] == "center_xywh"
    assert keras.layers.RandomTranslation.from_config(config).bounding_box_format == \
        "center_xywh"
    assert "bounding_box_format" not in keras.layers.RandomFlip().get_config()


def test_color_layers_pass_boxes_through():
    for layer in (keras.layers.RandomBrightness(0.3, seed=1), keras.layers.Solarization(
            addition_factor=0.5, threshold_factor=0.5, seed=1),
            keras.layers.RandomGaussianBlur(0.5, seed=1)):
        out = layer({"images": IMAGES, "bounding_boxes": {"boxes": BOXES, "labels": LABELS}},
                    training=True)
        np.testing.assert_array_equal(_np(out["bounding_boxes"]["boxes"]), BOXES)
        assert _np(out["images"]).shape == IMAGES.shape
