"""kfront.visualization: drawn pixels against NumPy references and the installed keras,
galleries written as PNGs (matplotlib's Agg backend)."""
import sys

import numpy as np
import pytest

import kfront as keras
from keras_reference import keras_numbers

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

RNG = np.random.default_rng(7)
IMAGES = RNG.uniform(0, 255, (3, 20, 24, 3)).astype("float32")
MASKS = RNG.integers(-1, 4, (3, 20, 24, 1)).astype("int32")
BOXES = np.array([[[2, 3, 10, 12], [5, 5, 20, 18]], [[0, 0, 23, 19], [4, 4, 6, 6]],
                  [[1, 2, 8, 9], [10, 11, 22, 15]]], "float32")
LABELS = np.array([[0, 1], [1, -1], [2, 0]], "int32")


def _outline_reference(image, box, color, thickness):
    """The pixels within thickness // 2 of a box edge (edge pixels included)."""
    out = image.copy()
    h, w = image.shape[:2]
    x1, y1, x2, y2 = box
    half = thickness // 2
    ys, xs = np.mgrid[0:h, 0:w]
    near_x = (xs >= x1 - half) & (xs <= x2 + half)
    near_y = (ys >= y1 - half) & (ys <= y2 + half)
    on_h = ((np.abs(ys - y1) <= half) | (np.abs(ys - y2) <= half)) & near_x
    on_v = ((np.abs(xs - x1) <= half) | (np.abs(xs - x2) <= half)) & near_y
    out[on_h | on_v] = color
    return out


@pytest.mark.parametrize("thickness", [1, 2, 3])
def test_draw_bounding_boxes_matches_numpy(thickness):
    got = keras.visualization.draw_bounding_boxes(
        IMAGES, {"boxes": BOXES, "labels": LABELS}, "xyxy", color=(255, 0, 10),
        line_thickness=thickness)
    assert got.dtype == np.uint8 and got.shape == IMAGES.shape
    for i in range(3):
        want = IMAGES[i].astype("uint8")
        for box, label in zip(BOXES[i].astype(int), LABELS[i]):
            if label != -1:
                want = _outline_reference(want, box, (255, 0, 10), thickness)
        np.testing.assert_array_equal(got[i], want)
    # The padding box (label -1) is not drawn: its pixels are untouched.
    np.testing.assert_array_equal(got[1, 4:7, 4:7], IMAGES[1, 4:7, 4:7].astype("uint8"))


def test_draw_bounding_boxes_formats_scaling_and_layout():
    rel = keras.ops.convert_to_numpy(keras.utils.bounding_boxes.convert_format(
        BOXES, "xyxy", "rel_yxyx", height=20, width=24))
    xyxy = keras.visualization.draw_bounding_boxes(IMAGES / 255.0, {"boxes": BOXES,
                                                                    "labels": LABELS}, "xyxy")
    # Float images up to 1 are scaled by 255, as Keras does.
    unit = np.clip(IMAGES / 255.0, 0, 1) * 255
    assert np.abs(xyxy.astype(int) - unit.astype("uint8")).max() > 0
    changed = np.any(xyxy != unit.astype("uint8"), axis=-1)
    assert changed[0, 3, 2:11].all() and np.all(xyxy[0, 3, 5] == 128)
    from_rel = keras.visualization.draw_bounding_boxes(
        IMAGES / 255.0, {"boxes": rel + 1e-6, "labels": LABELS}, "rel_yxyx")
    np.testing.assert_array_equal(from_rel, xyxy)
    first = keras.visualization.draw_bounding_boxes(
        IMAGES.transpose(0, 3, 1, 2), {"boxes": BOXES, "labels": LABELS}, "xyxy",
        data_format="channels_first")
    np.testing.assert_array_equal(first.transpose(0, 2, 3, 1), keras.visualization
                                  .draw_bounding_boxes(IMAGES, {"boxes": BOXES,
                                                                "labels": LABELS}, "xyxy"))


def test_draw_bounding_boxes_class_names():
    plain = keras.visualization.draw_bounding_boxes(
        np.zeros((1, 60, 80, 3)), {"boxes": BOXES[:1] * 2 + 30, "labels": LABELS[:1]}, "xyxy",
        color=(0, 255, 0))
    named = keras.visualization.draw_bounding_boxes(
        np.zeros((1, 60, 80, 3)), {"boxes": BOXES[:1] * 2 + 30, "labels": LABELS[:1],
                                   "confidences": np.array([[0.9, 0.5]])}, "xyxy",
        class_mapping={0: "cat", 1: "dog"}, color=(0, 255, 0), font_scale=0.5)
    text = np.any(named != plain, axis=-1)[0]
    assert 20 < text.sum() < 0.15 * text.size  # the names were written, nothing else
    assert set(map(tuple, named[0][text])) == {(0, 255, 0)}
    # Both boxes (tops at y=36 and 40, left edges at x=34 and 40) have room above them:
    # the names start at their left edges, on baselines 8 pixels above their tops.
    rows, cols = np.nonzero(text)
    assert rows.max() <= 40 and cols.min() >= 34


def test_draw_bounding_boxes_errors():
    draw = keras.visualization.draw_bounding_boxes
    with pytest.raises(ValueError, match=r"batched 4D tensor.*\(20, 24, 3\)"):
        draw(IMAGES[0], {"boxes": BOXES, "labels": LABELS}, "xyxy")
    with pytest.raises(TypeError, match="should be a dict.*ndarray"):
        draw(IMAGES, BOXES, "xyxy")
    with pytest.raises(ValueError, match=r"containing 'boxes' and 'labels'.*\['boxes'\]"):
        draw(IMAGES, {"boxes": BOXES}, "xyxy")
    with pytest.raises(ValueError, match="invalid `source` format 'xyz'"):
        draw(IMAGES, {"boxes": BOXES, "labels": LABELS}, "xyz")


@pytest.fixture(scope="module")
def keras_masks():
    script = """
from keras import visualization as v
out["blend"] = v.draw_segmentation_masks(inp["images"], inp["masks"], num_classes=4)
out["default"] = v.draw_segmentation_masks(inp["images"], inp["masks"])
out["alpha"] = v.draw_segmentation_masks(inp["images"], inp["masks"], num_classes=3, alpha=0.3,
    ignore_index=0, color_mapping={0: (1, 2, 3), 1: (250, 0, 0), 2: (0, 0, 250)})
out["raw"] = v.draw_segmentation_masks(inp["images"], inp["masks"], num_classes=4, blend=False)
"""
    return keras_numbers(script, images=IMAGES, masks=MASKS)


def test_draw_segmentation_masks_matches_keras(keras_masks):
    draw = keras.visualization.draw_segmentation_masks
    np.testing.assert_array_equal(draw(IMAGES, MASKS, num_classes=4), keras_masks["blend"])
    np.testing.assert_array_equal(draw(IMAGES, MASKS), keras_masks["default"])
    got = draw(IMAGES, MASKS, num_classes=3, alpha=0.3, ignore_index=0,
               color_mapping={0: (1, 2, 3), 1: (250, 0, 0), 2: (0, 0, 250)})
    np.testing.assert_array_equal(got, keras_masks["alpha"])
    np.testing.assert_allclose(draw(IMAGES, MASKS, num_classes=4, blend=False),
                               keras_masks["raw"])
    np.testing.assert_array_equal(draw(IMAGES, MASKS[..., 0], num_classes=4),
                                  keras_masks["blend"])


def test_draw_segmentation_masks_numpy_reference():
    images = np.full((1, 2, 2, 3), 100.0, "float32")
    masks = np.array([[[0, 1], [2, -1]]], "int32")
    got = keras.visualization.draw_segmentation_masks(
        images, masks, num_classes=3, alpha=0.5,
        color_mapping={0: (0, 0, 0), 1: (200, 0, 0), 2: (0, 200, 0)})
    np.testing.assert_array_equal(got[0], [[[50, 50, 50], [150, 50, 50]],
                                           [[50, 150, 50], [100, 100, 100]]])


def test_draw_segmentation_masks_errors():
    draw = keras.visualization.draw_segmentation_masks
    with pytest.raises(TypeError, match="must be in integer dtype.*float32"):
        draw(IMAGES, MASKS.astype("float32"))
    with pytest.raises(ValueError, match=r"batched 4D tensor.*\(20, 24, 3\)"):
        draw(IMAGES[0], MASKS)
    with pytest.raises(ValueError, match="`alpha` must be in \\[0, 1\\]"):
        draw(IMAGES, MASKS, alpha=2)
    with pytest.raises(ValueError, match=r"`color_mapping` needs a color.*missing \[2, 3\]"):
        draw(IMAGES, MASKS, num_classes=4, color_mapping={0: (0, 0, 0), 1: (1, 1, 1)})
    with pytest.raises(ValueError, match=r"must be \(batch, height, width\[, 1\]\)"):
        draw(IMAGES, MASKS[:, :10])


def _png(path):
    image = matplotlib.image.imread(str(path))
    return image


def test_plot_image_gallery_writes_png(tmp_path):
    import matplotlib.image  # noqa: F401
    path = tmp_path / "gallery.png"
    keras.visualization.plot_image_gallery(IMAGES[:2], rows=1, cols=2, scale=2, dpi=50,
                                           path=str(path), transparent=False)
    png = _png(path)
    # 2 x 1 cells of 2 inches at 50 dpi, trimmed to the drawn area by bbox_inches="tight".
    assert 60 <= png.shape[0] <= 100 and 120 <= png.shape[1] <= 200
    assert png[..., :3].std() > 0.05  # not blank
    labelled = tmp_path / "labelled.png"
    keras.visualization.plot_image_gallery(IMAGES / 255.0, y_true=[0, 1, 0], y_pred=[1, 1, 0],
                                           label_map={0: "a", 1: "b"}, value_range=(0, 1),
                                           path=str(labelled))
    assert _png(labelled).shape[0] > 50


def test_plot_galleries_write_png(tmp_path):
    boxes = tmp_path / "boxes.png"
    keras.visualization.plot_bounding_box_gallery(
        IMAGES, "xyxy", y_true={"boxes": BOXES, "labels": LABELS},
        y_pred={"boxes": BOXES + 1, "labels": LABELS}, legend=True, path=str(boxes), dpi=40)
    png = _png(boxes)
    assert png.shape[0] > 50 and png[..., :3].std() > 0.05
    masks = tmp_path / "masks.png"
    keras.visualization.plot_segmentation_mask_gallery(
        IMAGES, num_classes=4, y_true=MASKS, y_pred=np.maximum(MASKS, 0), path=str(masks),
        dpi=40, scale=1)
    png = _png(masks)
    # 3 rows (images) x 3 columns (image, truth, prediction) of 1 inch at 40 dpi.
    assert 80 <= png.shape[0] <= 125 and 80 <= png.shape[1] <= 125
    assert png[..., :3].std() > 0.05


def test_plot_errors(tmp_path):
    with pytest.raises(ValueError, match="either `path`.*or show=True"):
        keras.visualization.plot_image_gallery(IMAGES, path=str(tmp_path / "x.png"), show=True)
    with pytest.raises(ValueError, match="`label_map` is required"):
        keras.visualization.plot_image_gallery(IMAGES, y_true=[0, 1, 2])
    with pytest.raises(ValueError, match="`legend` or `legend_handles`, not both"):
        keras.visualization.plot_bounding_box_gallery(IMAGES, "xyxy", legend=True,
                                                      legend_handles=[object()])
    with pytest.raises(ValueError, match=r"batched 4D tensor.*\(20, 24, 3\)"):
        keras.visualization.plot_segmentation_mask_gallery(IMAGES[0], num_classes=3)


@pytest.mark.parametrize("call", [
    lambda v: v.plot_image_gallery(IMAGES, path="unused.png"),
    lambda v: v.plot_bounding_box_gallery(IMAGES, "xyxy", path="unused.png"),
    lambda v: v.plot_segmentation_mask_gallery(IMAGES, 3, path="unused.png"),
    lambda v: v.draw_bounding_boxes(IMAGES, {"boxes": BOXES, "labels": LABELS}, "xyxy",
                                    class_mapping={0: "a"})])
def test_missing_matplotlib_names_the_extra(call, monkeypatch):
    for name in [m for m in sys.modules if m == "matplotlib" or m.startswith("matplotlib.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(ImportError, match=r'pip install "kfront\[plot\]"'):
        call(keras.visualization)
