"""MixUp and CutMix on ``{"images", "labels"}`` dicts: the labels are mixed with the same
weights and permutation as the images, checked against the installed Keras with a fixed
transformation and, for seeded calls, against the transformation the layer drew."""
import numpy as np
import pytest

from kfront import layers, ops
from aug_layers import ON_JAX, jax_slow
from aug_reference import IMAGES
from keras_reference import keras_numbers

LABELS = np.eye(3, dtype="float32")[[2, 0]]
MASKS = np.zeros((2, 16, 16, 1), "bool")
MASKS[:, 3:11, 5:9] = True
FIXED = {
    "mixup": {"mix_weight": np.array([0.3, 0.8], "float32"),
              "permutation_order": np.array([1, 0], "int64")},
    "cutmix": {"mix_weight": np.array([0.75, 0.5], "float32").reshape(2, 1, 1, 1),
               "permutation_order": np.array([1, 0], "int32"),
               "batch_masks": np.repeat(MASKS, 3, axis=-1)},
}

_SCRIPT = r'''
L = keras.layers
x, y = inp["images"], inp["labels"]
def t(name):
    return {k[len(name) + 1:]: v for k, v in inp.items() if k.startswith(name + ".")}
for key, layer in (("mixup", L.MixUp()), ("cutmix", L.CutMix())):
    out[key + "_images"] = layer.transform_images(x, t(key))
    out[key + "_labels"] = layer.transform_labels(y, t(key))
for key, layer in (("mixup", L.MixUp(seed=3)), ("cutmix", L.CutMix(seed=3))):
    res = layer({"images": x, "labels": y})
    out[key + "_dict_shapes"] = np.array([res["images"].shape, res["labels"].shape + (0, 0)])
    out[key + "_dict_inference"] = layer({"images": x, "labels": y}, training=False)["labels"]
'''


@pytest.fixture(scope="module")
def ref():
    arrays = {"images": IMAGES, "labels": LABELS}
    for name, values in FIXED.items():
        arrays.update({f"{name}.{k}": v for k, v in values.items()})
    return keras_numbers(_SCRIPT, **arrays)


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


@pytest.mark.parametrize("key,make", [
    ("mixup", layers.MixUp),
    pytest.param("cutmix", layers.CutMix, marks=[pytest.mark.slow] if ON_JAX else [])])
def test_fixed_transformation_matches_keras(ref, key, make):
    layer = make()
    transformation = {k: ops.convert_to_tensor(v) for k, v in FIXED[key].items()}
    np.testing.assert_allclose(_np(layer.transform_images(ops.convert_to_tensor(IMAGES),
                                                          transformation)),
                               ref[f"{key}_images"], rtol=1e-5, atol=1e-3)
    np.testing.assert_allclose(_np(layer.transform_labels(LABELS, transformation)),
                               ref[f"{key}_labels"], rtol=1e-6, atol=1e-6)
    # Inference leaves labels alone, as in Keras.
    out = make(seed=3)({"images": IMAGES, "labels": LABELS}, training=False)
    np.testing.assert_array_equal(_np(out["labels"]), ref[f"{key}_dict_inference"])
    np.testing.assert_array_equal(_np(out["images"]), IMAGES)


def _recording(layer):
    drawn = []
    draw = layer.get_random_transformation

    def record(*args, **kwargs):
        drawn.append(draw(*args, **kwargs))
        return drawn[-1]
    layer.get_random_transformation = record
    return drawn


@jax_slow
@pytest.mark.parametrize("make", [layers.MixUp, layers.CutMix])
def test_dict_call_mixes_labels_with_the_images_weights(ref, make):
    images = np.random.RandomState(0).uniform(0, 255, (4, 8, 8, 3)).astype("float32")
    labels = np.eye(4, dtype="float32")
    layer = make(seed=5)
    drawn = _recording(layer)
    out = layer({"images": images, "labels": labels, "extra": "kept"})
    t = {k: _np(v) for k, v in drawn[0].items()}
    weight, order = t["mix_weight"].reshape(-1, 1), t["permutation_order"]
    np.testing.assert_allclose(_np(out["labels"]),
                               weight * labels + (1 - weight) * labels[order], atol=1e-6)
    np.testing.assert_allclose(_np(out["images"]), _np(layer.transform_images(
        ops.convert_to_tensor(images), drawn[0])), atol=1e-4)
    assert out["extra"] == "kept"
    # Rows stay distributions; the images' mix shows in the labels.
    np.testing.assert_allclose(_np(out["labels"]).sum(axis=1), 1.0, atol=1e-5)
    # Keras's dict call keeps the shapes, as kfront's.
    key = "mixup" if make is layers.MixUp else "cutmix"
    np.testing.assert_array_equal(ref[f"{key}_dict_shapes"], [[2, 16, 16, 3], [2, 3, 0, 0]])


def test_integer_labels_are_mixed_as_floats_and_masks_follow_images():
    images = np.arange(2 * 4 * 4 * 1, dtype="float32").reshape(2, 4, 4, 1)
    transformation = {"mix_weight": ops.convert_to_tensor(np.array([0.25, 1.0], "float32")),
                      "permutation_order": ops.convert_to_tensor(np.array([1, 0], "int32"))}
    mixup = layers.MixUp()
    mixed = _np(mixup.transform_labels(np.array([[0, 1], [1, 0]], "int32"), transformation))
    np.testing.assert_allclose(mixed, [[0.75, 0.25], [1.0, 0.0]])
    masks = _np(mixup.transform_segmentation_masks(ops.convert_to_tensor(images),
                                                   transformation))
    np.testing.assert_allclose(masks[0], 0.25 * images[0] + 0.75 * images[1])


@jax_slow
def test_mixup_boxes_gain_the_blended_images_boxes():
    images = np.zeros((2, 8, 8, 3), "float32")
    boxes = np.array([[[0, 0, 2, 2]], [[4, 4, 8, 8]]], "float32")
    labels = np.array([[1], [2]], "int32")
    layer = layers.MixUp(seed=2, bounding_box_format="xyxy")
    drawn = _recording(layer)
    out = layer({"images": images, "bounding_boxes": {"boxes": boxes, "labels": labels}})
    order = _np(drawn[0]["permutation_order"])
    got = out["bounding_boxes"]
    np.testing.assert_array_equal(_np(got["boxes"]),
                                  np.concatenate([boxes, boxes[order]], axis=1))
    np.testing.assert_array_equal(_np(got["labels"]),
                                  np.concatenate([labels, labels[order]], axis=1))
    with pytest.raises(NotImplementedError, match="CutMix .* does not transform bounding"):
        layers.CutMix(seed=1, bounding_box_format="xyxy")(
            {"images": images, "bounding_boxes": {"boxes": boxes, "labels": labels}})
