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


# BatchNormalization scales drawn from [0.5, 1.5] let the activations of the two deepest
# members grow block by block to about 1e5 (each residual add keeps what the last one
# left), where the squeeze-excite gates and the last logits turn float32 rounding into a
# different top class: torch, JAX and TensorFlow each run their own kernels. Layer by layer,
# fed Keras's own inputs, every kfront layer then matches Keras to within float32 rounding
# of its inputs' size; scales from [0.5, 1.0] keep the activations near 1 and the softmax
# within 1e-7 of Keras's.
MILD = (0.5, 1.0)


@pytest.mark.slow
@pytest.mark.sampled("applications")
@pytest.mark.parametrize("ctor,kwargs,gamma", [
    ("EfficientNetV2B0", {}, None), ("EfficientNetV2B0", {"include_preprocessing": False}, None),
    ("EfficientNetV2B1", {}, None), ("EfficientNetV2B2", {}, None),
    ("EfficientNetV2B3", {}, None), ("EfficientNetV2S", {}, None),
    ("EfficientNetV2M", {}, MILD), ("EfficientNetV2L", {}, MILD),
])
def test_efficientnet_v2_variants_match_keras(tmp_path, ctor, kwargs, gamma):
    check_parity(tmp_path,
                 lambda keras: getattr(keras.applications, ctor)(
                     weights=None, input_shape=SHAPE, **kwargs),
                 lambda w: getattr(efficientnet_v2, ctor)(weights=w, input_shape=SHAPE,
                                                          **kwargs), 32,
                 **({"gamma": gamma} if gamma else {}))


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
