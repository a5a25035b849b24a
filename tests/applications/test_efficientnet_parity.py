"""EfficientNetB0-B7 against Keras 3 (the in-model Normalization with its saved statistics,
squeeze-excite, drop-connect): Keras's saved weights give Keras's predictions in kfront."""
import pytest
from applications_parity import check_parity

import kfront
from kfront.applications import efficientnet

SHAPE = (32, 32, 3)


def test_efficientnet_matches_keras(tmp_path):
    # B0's blocks at a quarter of its width and depth: every block kind, a short run.
    from keras.src.applications import efficientnet as keras_efficientnet
    check_parity(tmp_path,
                 lambda keras: keras_efficientnet.EfficientNet(
                     0.25, 0.25, 224, weights=None, input_shape=SHAPE),
                 lambda w: efficientnet.EfficientNet(0.25, 0.25, 224, weights=w,
                                                     input_shape=SHAPE),
                 32, legacy_h5=True)


@pytest.mark.slow
@pytest.mark.sampled("applications")
@pytest.mark.parametrize("ctor", [f"EfficientNetB{i}" for i in range(8)])
def test_efficientnet_variants_match_keras(tmp_path, ctor):
    check_parity(tmp_path,
                 lambda keras: getattr(keras.applications, ctor)(weights=None,
                                                                 input_shape=SHAPE),
                 lambda w: getattr(efficientnet, ctor)(weights=w, input_shape=SHAPE), 32)


def test_efficientnet_structure_and_errors():
    model = efficientnet.EfficientNetB0(weights=None, input_shape=SHAPE, classes=4)
    assert model.name == "efficientnetb0"
    assert [layer.name for layer in model.layers][-3:] == ["avg_pool", "top_dropout",
                                                           "predictions"]
    assert model.get_layer("block7a_project_bn").output.shape == (None, 1, 1, 320)
    assert model.output_shape == (None, 4)
    with pytest.raises(ValueError, match="`classes` should be 1000"):
        efficientnet.EfficientNetB3(weights="imagenet", classes=4)
    with pytest.raises(ValueError, match="repeats in `EfficientNet` must be > 0"):
        efficientnet.EfficientNet(1.0, 1.0, 224, weights=None, input_shape=SHAPE,
                                  blocks_args=[dict(efficientnet.DEFAULT_BLOCKS_ARGS[0],
                                                    repeats=0)])


def test_efficientnet_paths():
    assert kfront.applications.EfficientNetB7 is efficientnet.EfficientNetB7
    assert efficientnet.EfficientNetB5.__name__ == "EfficientNetB5"
