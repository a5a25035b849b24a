"""EfficientNetV2 (B0-B3, S, M, L) against Keras 3 (fused blocks, the in-model rescaling
and normalization): Keras's saved weights give Keras's predictions in kfront."""
import pytest
from applications_parity import check_parity

import kfront
from kfront.applications import efficientnet_v2

SHAPE = (32, 32, 3)


def test_efficientnet_v2_b0_matches_keras(tmp_path):
    check_parity(tmp_path,
                 lambda keras: keras.applications.EfficientNetV2B0(weights=None,
                                                                   input_shape=SHAPE),
                 lambda w: efficientnet_v2.EfficientNetV2B0(weights=w, input_shape=SHAPE),
                 32, legacy_h5=True)


@pytest.mark.slow
@pytest.mark.parametrize("ctor,kwargs", [
    ("EfficientNetV2B0", {"include_preprocessing": False}),
    ("EfficientNetV2B1", {}), ("EfficientNetV2B2", {}), ("EfficientNetV2B3", {}),
    ("EfficientNetV2S", {}), ("EfficientNetV2M", {}), ("EfficientNetV2L", {}),
])
def test_efficientnet_v2_variants_match_keras(tmp_path, ctor, kwargs):
    check_parity(tmp_path,
                 lambda keras: getattr(keras.applications, ctor)(
                     weights=None, input_shape=SHAPE, **kwargs),
                 lambda w: getattr(efficientnet_v2, ctor)(weights=w, input_shape=SHAPE,
                                                          **kwargs), 32)


def test_efficientnet_v2_structure_and_errors():
    model = efficientnet_v2.EfficientNetV2S(weights=None, include_top=False,
                                            input_shape=SHAPE, pooling="avg")
    assert model.name == "efficientnetv2-s"
    assert model.layers[-1].name == "avg_pool"
    assert model.output_shape == (None, 1280)
    with pytest.raises(ValueError, match="`weights` argument should be either"):
        efficientnet_v2.EfficientNetV2B0(weights="imagenet21k")


def test_efficientnet_v2_paths():
    assert kfront.applications.EfficientNetV2L is efficientnet_v2.EfficientNetV2L
