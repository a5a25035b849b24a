"""MobileNetV3Small/Large against Keras 3 (hard-swish, squeeze-excite, the model's own
input rescaling): Keras's saved weights give Keras's predictions in kfront."""
import numpy as np
import pytest
from applications_parity import check_parity

import kfront
from kfront.applications import mobilenet_v3

SHAPE = (32, 32, 3)


def test_mobilenet_v3_small_matches_keras(tmp_path):
    check_parity(tmp_path,
                 lambda keras: keras.applications.MobileNetV3Small(
                     weights=None, input_shape=SHAPE, alpha=0.75),
                 lambda w: mobilenet_v3.MobileNetV3Small(weights=w, input_shape=SHAPE,
                                                         alpha=0.75),
                 32, legacy_h5=True)


@pytest.mark.slow
@pytest.mark.sampled("applications")
@pytest.mark.parametrize("ctor,kwargs", [
    ("MobileNetV3Small", {"minimalistic": True}),
    ("MobileNetV3Small", {"include_preprocessing": False}),
    ("MobileNetV3Large", {}),
    ("MobileNetV3Large", {"minimalistic": True, "alpha": 1.25}),
])
def test_mobilenet_v3_variants_match_keras(tmp_path, ctor, kwargs):
    check_parity(tmp_path,
                 lambda keras: getattr(keras.applications, ctor)(
                     weights=None, input_shape=SHAPE, **kwargs),
                 lambda w: getattr(mobilenet_v3, ctor)(weights=w, input_shape=SHAPE, **kwargs),
                 32)


def test_mobilenet_v3_structure_and_errors():
    model = mobilenet_v3.MobileNetV3Small(weights=None, input_shape=SHAPE, classes=3,
                                          include_top=False, pooling="avg")
    assert model.name == "MobileNetV3Small"
    assert model.layers[-1].name == "avg_pool"
    assert model.output_shape == (None, 576)
    with pytest.raises(ValueError, match="Input size must be at least 32x32"):
        mobilenet_v3.MobileNetV3Large(weights=None, input_shape=(31, 64, 3))
    with pytest.raises(ValueError, match="alpha can be one of"):
        mobilenet_v3.MobileNetV3Large(weights="imagenet", minimalistic=True, alpha=0.75)


def test_mobilenet_v3_preprocess_input_is_identity_and_paths():
    x = np.arange(6.0)
    assert mobilenet_v3.preprocess_input(x) is x
    assert kfront.applications.MobileNetV3Large is mobilenet_v3.MobileNetV3Large
