"""EfficientNetV2 (B0-B3, S, M, L) against Keras 3 (fused blocks, the in-model rescaling
and normalization): Keras's saved weights give Keras's predictions in kfront."""
import pytest
from applications_parity import check_parity

import kfront
from kfront.applications import efficientnet_v2

SHAPE = (32, 32, 3)


def test_efficientnet_v2_matches_keras(tmp_path):
    # B0's stages at half its width and a quarter of its depth: fused and plain blocks,
    # squeeze-excite and the residual paths, in a short run.
    from keras.src.applications import efficientnet_v2 as keras_efficientnet_v2
    kwargs = {"name": "efficientnetv2-b0", "input_shape": SHAPE}
    check_parity(tmp_path,
                 lambda keras: keras_efficientnet_v2.EfficientNetV2(0.5, 0.25, 224,
                                                                    weights=None, **kwargs),
                 lambda w: efficientnet_v2.EfficientNetV2(0.5, 0.25, 224, weights=w, **kwargs),
                 32, legacy_h5=True)


@pytest.mark.slow
@pytest.mark.sampled("applications")
@pytest.mark.parametrize("ctor,kwargs", [
    ("EfficientNetV2B0", {}), ("EfficientNetV2B0", {"include_preprocessing": False}),
    ("EfficientNetV2B1", {}), ("EfficientNetV2B2", {}), ("EfficientNetV2B3", {}),
    ("EfficientNetV2S", {}),
    # With random BatchNormalization statistics the two deepest members saturate the
    # softmax on torch and JAX (they match on TensorFlow); not yet traced to its cause.
    pytest.param("EfficientNetV2M", {}, marks=pytest.mark.xfail(
        strict=False, reason="saturated softmax with random BN statistics on torch/JAX")),
    pytest.param("EfficientNetV2L", {}, marks=pytest.mark.xfail(
        strict=False, reason="saturated softmax with random BN statistics on torch/JAX")),
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
