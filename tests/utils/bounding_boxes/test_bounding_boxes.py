"""kfront.utils.bounding_boxes against NumPy and the installed keras (3.15)."""
import itertools

import numpy as np
import pytest

import box_reference as ref
import kfront as keras
from kfront.utils import bounding_boxes as bb
from keras_reference import keras_numbers

FORMATS = ["xyxy", "yxyx", "xywh", "center_xywh", "center_yxhw", "rel_xyxy", "rel_yxyx",
           "rel_xywh", "rel_center_xywh"]
H, W = 40.0, 60.0
RNG = np.random.default_rng(0)
_XY = RNG.uniform(0, 30, (2, 5, 2))
CORNERS = np.concatenate([_XY, _XY + RNG.uniform(1, 25, (2, 5, 2))], -1).astype("float32")
OTHER = np.concatenate([_XY[:, ::-1] + 3, _XY[:, ::-1] + 20], -1).astype("float32")
ANCHORS = np.array([[0, 0, 10, 10], [5, 5, 30, 20], [10, 0, 40, 35], [2, 8, 9, 30],
                    [20, 20, 50, 38]], "float32")

KERAS_SCRIPT = """
from keras.utils import bounding_boxes as bb
fmts = %r
for s in fmts:
    for t in fmts:
        out[f"conv_{s}_{t}"] = bb.convert_format(inp[f"in_{s}"], s, t, height=40, width=60)
out["iou"] = bb.compute_iou(inp["a"], inp["b"], "xyxy")
out["iou_mixed"] = bb.compute_iou(inp["a"][0], inp["b"], "xyxy")
masked = inp["a"].copy(); masked[:, 0] = -1
out["iou_masked"] = bb.compute_iou(masked, inp["b"], "xyxy", use_masking=True, mask_val=-2)
out["ciou"] = bb.compute_ciou(inp["a"], inp["b"], "xyxy")
out["ciou_yxyx"] = bb.compute_ciou(inp["a"][..., [1, 0, 3, 2]], inp["b"][..., [1, 0, 3, 2]],
                                   "yxyx")
clipped = bb.clip_to_image_size({"boxes": inp["a"] * 2 - 10, "labels": inp["labels"]},
                                height=40, width=60)
out["clip_boxes"], out["clip_labels"] = clipped["boxes"], clipped["labels"]
out["crop"] = bb.crop(inp["a"], 5, 8, 20, 25)
out["pad"] = bb.pad(inp["a"], 5, 8)
n = inp["a"].shape[0]
out["affine"] = bb.affine_transform(inp["a"], np.array([30.0, -75.0], "float32"),
    np.array([0.1, 0.0], "float32"), np.array([0.0, -0.2], "float32"),
    np.array([1.0, 0.8], "float32"), np.zeros(n, "float32"), np.zeros(n, "float32"), 40, 60)
out["affine_shear"] = bb.affine_transform(inp["a"], np.array([10.0, 0.0], "float32"),
    np.zeros(n, "float32"), np.zeros(n, "float32"), np.ones(n, "float32"),
    np.array([15.0, -5.0], "float32"), np.array([0.0, 20.0], "float32"), 40, 60,
    center_x=0.3, center_y=0.6)
out["deltas"] = bb.encode_box_to_deltas(inp["anchors"], inp["a"], "xyxy", "xyxy")
out["deltas_var"] = bb.encode_box_to_deltas(inp["anchors"], inp["in_rel_xyxy"], "xyxy",
    "rel_xyxy",
    encoding_format="center_xywh", variance=[0.1, 0.1, 0.2, 0.2], image_shape=(40, 60, 3))
out["decoded"] = bb.decode_deltas_to_boxes(inp["anchors"], out["deltas_var"], "xyxy",
    "rel_xyxy", encoded_format="center_xywh", variance=[0.1, 0.1, 0.2, 0.2],
    image_shape=(40, 60, 3))
""" % (FORMATS,)


def _np(x):
    return keras.ops.convert_to_numpy(x)


@pytest.fixture(scope="module")
def keras_out():
    inputs = {f"in_{f}": ref.from_corners(CORNERS.astype("float64"), f, H, W).astype("float32")
              for f in FORMATS}
    return keras_numbers(KERAS_SCRIPT, a=CORNERS, b=OTHER, anchors=ANCHORS,
                         labels=np.arange(10, dtype="int32").reshape(2, 5), **inputs)


@pytest.mark.parametrize("source,target", list(itertools.product(FORMATS, FORMATS)))
def test_convert_format_matches_numpy_and_keras(source, target, keras_out):
    boxes = ref.from_corners(CORNERS.astype("float64"), source, H, W).astype("float32")
    want = ref.from_corners(ref.to_corners(boxes, source, H, W), target, H, W)
    got = _np(bb.convert_format(boxes, source, target, height=H, width=W))
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-4)
    np.testing.assert_allclose(got, keras_out[f"conv_{source}_{target}"], rtol=1e-5, atol=1e-5)


def test_convert_format_unbatched_dict_and_case():
    first = CORNERS[0]
    boxes = {"boxes": first, "labels": np.arange(5)}
    got = bb.convert_format(boxes, "XYXY", "center_yxhw")
    assert set(got) == {"boxes", "labels"} and got["labels"] is boxes["labels"]
    assert boxes["boxes"] is first  # the input dict is left as it was
    np.testing.assert_allclose(_np(got["boxes"]),
                               ref.from_corners(CORNERS[0].astype("float64"), "center_yxhw"),
                               rtol=1e-6)
    assert keras.ops.convert_to_numpy(
        bb.convert_format(CORNERS[0], "xyxy", "xywh", dtype="float16")).dtype == np.float16


def test_convert_format_errors():
    with pytest.raises(ValueError, match=r"invalid `source` format 'xyz'.*center_yxhw"):
        bb.convert_format(CORNERS, "xyz", "xyxy")
    with pytest.raises(ValueError, match=r"invalid `target` format 'corners'.*rel_xywh"):
        bb.convert_format(CORNERS, "xyxy", "corners")
    with pytest.raises(ValueError, match=r"`height` and `width` are required.*height=None"):
        bb.convert_format(CORNERS, "xyxy", "rel_xyxy", width=3)
    with pytest.raises(ValueError, match=r"last dimension of 4.*\(2, 5, 3\)"):
        bb.convert_format(CORNERS[..., :3], "xyxy", "xywh")


def test_compute_iou(keras_out):
    np.testing.assert_allclose(_np(bb.compute_iou(CORNERS, OTHER, "xyxy")),
                               ref.iou(CORNERS.astype("float64"), OTHER), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(_np(bb.compute_iou(CORNERS, OTHER, "xyxy")), keras_out["iou"],
                               rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(_np(bb.compute_iou(CORNERS[0], OTHER, "xyxy")),
                               keras_out["iou_mixed"], rtol=1e-5, atol=1e-6)
    unbatched = _np(bb.compute_iou(CORNERS[0], OTHER[0], "xyxy"))
    assert unbatched.shape == (5, 5)
    np.testing.assert_allclose(unbatched, keras_out["iou"][0], rtol=1e-5, atol=1e-6)
    masked = CORNERS.copy()
    masked[:, 0] = -1
    np.testing.assert_allclose(
        _np(bb.compute_iou(masked, OTHER, "xyxy", use_masking=True, mask_val=-2)),
        keras_out["iou_masked"], rtol=1e-5, atol=1e-6)
    rel = ref.from_corners(CORNERS.astype("float64"), "rel_yxyx", H, W)
    rel_other = ref.from_corners(OTHER.astype("float64"), "rel_yxyx", H, W)
    np.testing.assert_allclose(
        _np(bb.compute_iou(rel, rel_other, "rel_yxyx", image_shape=(40, 60, 3))),
        keras_out["iou"], rtol=1e-4, atol=1e-5)


def test_compute_iou_errors():
    with pytest.raises(ValueError, match=r"`boxes1` must be \(N, 4\).*\(4,\)"):
        bb.compute_iou(CORNERS[0, 0], OTHER, "xyxy")
    with pytest.raises(ValueError, match="need the `image_shape` argument"):
        bb.compute_iou(CORNERS, OTHER, "rel_xyxy")
    with pytest.raises(ValueError, match="need the `image_shape`"):
        bb.compute_ciou(CORNERS, OTHER, "rel_xyxy")


def test_compute_ciou(keras_out):
    np.testing.assert_allclose(_np(bb.compute_ciou(CORNERS, OTHER, "xyxy")), keras_out["ciou"],
                               rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(
        _np(bb.compute_ciou(CORNERS[..., [1, 0, 3, 2]], OTHER[..., [1, 0, 3, 2]], "yxyx")),
        keras_out["ciou_yxyx"], rtol=1e-5, atol=1e-6)
    same = _np(bb.compute_ciou(CORNERS[0], CORNERS[0], "xyxy"))
    np.testing.assert_allclose(same, np.ones(5), atol=1e-5)  # identical boxes: CIoU 1


def test_clip_to_image_size(keras_out):
    boxes, labels = CORNERS * 2 - 10, np.arange(10, dtype="int32").reshape(2, 5)
    got = bb.clip_to_image_size({"boxes": boxes, "labels": labels}, height=40, width=60)
    want = np.clip(boxes, 0, [60, 40, 60, 40])
    np.testing.assert_allclose(_np(got["boxes"]), want)
    np.testing.assert_allclose(_np(got["boxes"]), keras_out["clip_boxes"])
    np.testing.assert_array_equal(_np(got["labels"]), keras_out["clip_labels"])
    rel = bb.clip_to_image_size({"boxes": np.array([[-0.5, 0.2, 0.4, 1.5], [1.2, 0, 1.5, 1]])},
                                bounding_box_format="rel_xyxy")
    np.testing.assert_allclose(_np(rel["boxes"]), [[0, 0.2, 0.4, 1], [1, 0, 1, 1]])
    outside = bb.clip_to_image_size({"boxes": np.array([[70.0, 5, 80, 9]]),
                                     "labels": np.array([3])}, height=40, width=60)
    np.testing.assert_array_equal(_np(outside["labels"]), [-1])


def test_clip_to_image_size_errors():
    with pytest.raises(ValueError, match="`height` and `width` must be set"):
        bb.clip_to_image_size({"boxes": CORNERS}, width=3)
    with pytest.raises(NotImplementedError, match="bounding_box_format='xywh'"):
        bb.clip_to_image_size({"boxes": CORNERS}, 4, 4, bounding_box_format="xywh")
    with pytest.raises(TypeError, match="must be a dict with a 'boxes' entry"):
        bb.clip_to_image_size(CORNERS, 4, 4)


def test_crop_and_pad(keras_out):
    got = _np(bb.crop(CORNERS, 5, 8, 20, 25))
    np.testing.assert_allclose(got, np.clip(CORNERS - [8, 5, 8, 5], 0, [25, 20, 25, 20]))
    np.testing.assert_allclose(got, keras_out["crop"])
    np.testing.assert_allclose(_np(bb.crop(CORNERS[0], 5, 8, None, None)),
                               np.maximum(CORNERS[0] - [8, 5, 8, 5], 0))
    np.testing.assert_allclose(_np(bb.pad(CORNERS, 5, 8)), CORNERS + [8, 5, 8, 5])
    np.testing.assert_allclose(_np(bb.pad(CORNERS, 5, 8)), keras_out["pad"])
    with pytest.raises(NotImplementedError, match="crop supports.*'yxyx'"):
        bb.crop(CORNERS, 0, 0, 4, 4, bounding_box_format="yxyx")
    with pytest.raises(NotImplementedError, match="pad supports"):
        bb.pad(CORNERS, 0, 0, bounding_box_format="xywh")


def test_affine_transform(keras_out):
    n = 2
    got = _np(bb.affine_transform(CORNERS, np.array([30.0, -75.0]), np.array([0.1, 0.0]),
                                  np.array([0.0, -0.2]), np.array([1.0, 0.8]), np.zeros(n),
                                  np.zeros(n), 40, 60))
    np.testing.assert_allclose(got, keras_out["affine"], rtol=1e-4, atol=1e-3)
    for i, (angle, tx, ty, s) in enumerate([(30, 0.1, 0, 1), (-75, 0, -0.2, 0.8)]):
        np.testing.assert_allclose(got[i], ref.affine(CORNERS[i].astype("float64"), angle, tx,
                                                      ty, s, 40, 60), rtol=1e-4, atol=1e-3)
    shear = _np(bb.affine_transform(CORNERS, np.array([10.0, 0.0]), np.zeros(n), np.zeros(n),
                                    np.ones(n), np.array([15.0, -5.0]), np.array([0.0, 20.0]),
                                    40, 60, center_x=0.3, center_y=0.6))
    np.testing.assert_allclose(shear, keras_out["affine_shear"], rtol=1e-4, atol=1e-3)
    single = _np(bb.affine_transform(CORNERS[0], 30.0, 0.1, 0.0, 1.0, 0.0, 0.0, 40, 60))
    np.testing.assert_allclose(single, keras_out["affine"][0], rtol=1e-4, atol=1e-3)
    with pytest.raises(NotImplementedError, match="affine_transform supports"):
        bb.affine_transform(CORNERS, 0, 0, 0, 1, 0, 0, 4, 4, bounding_box_format="rel_xyxy")


def test_encode_decode_deltas(keras_out):
    deltas = _np(bb.encode_box_to_deltas(ANCHORS, CORNERS, "xyxy", "xyxy"))
    a = ref.from_corners(ANCHORS.astype("float64"), "center_yxhw")
    b = ref.from_corners(CORNERS.astype("float64"), "center_yxhw")
    want = np.concatenate([(b[..., :2] - a[..., :2]) / a[..., 2:], np.log(b[..., 2:] / a[..., 2:])],
                          -1)
    np.testing.assert_allclose(deltas, want, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(deltas, keras_out["deltas"], rtol=1e-5, atol=1e-5)
    rel = ref.from_corners(CORNERS.astype("float64"), "rel_xyxy", H, W).astype("float32")
    var = [0.1, 0.1, 0.2, 0.2]
    enc = bb.encode_box_to_deltas(ANCHORS, rel, "xyxy", "rel_xyxy",
                                  encoding_format="center_xywh", variance=var,
                                  image_shape=(40, 60, 3))
    np.testing.assert_allclose(_np(enc), keras_out["deltas_var"], rtol=1e-5, atol=1e-5)
    dec = bb.decode_deltas_to_boxes(ANCHORS, enc, "xyxy", "rel_xyxy",
                                    encoded_format="center_xywh", variance=var,
                                    image_shape=(40, 60, 3))
    np.testing.assert_allclose(_np(dec), rel, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(_np(dec), keras_out["decoded"], rtol=1e-5, atol=1e-5)
    levels = bb.decode_deltas_to_boxes({"p3": ANCHORS, "p4": ANCHORS[:2]},
                                       {"p3": deltas[0], "p4": deltas[0, :2]}, "xyxy", "xyxy")
    np.testing.assert_allclose(_np(levels["p4"]), CORNERS[0, :2], rtol=1e-4, atol=1e-4)


def test_delta_errors():
    with pytest.raises(ValueError, match=r"`variance` must have length 4.*\(3,\)"):
        bb.encode_box_to_deltas(ANCHORS, CORNERS, "xyxy", "xyxy", variance=[1, 1, 1])
    with pytest.raises(ValueError, match="`encoding_format` must be 'center_xywh' or"):
        bb.encode_box_to_deltas(ANCHORS, CORNERS, "xyxy", "xyxy", encoding_format="xyxy")
    with pytest.raises(ValueError, match="`encoded_format` must be.*'yxyx'"):
        bb.decode_deltas_to_boxes(ANCHORS, CORNERS, "xyxy", "xyxy", encoded_format="yxyx")


def test_namespace():
    assert keras.utils.bounding_boxes.convert_format is bb.convert_format
