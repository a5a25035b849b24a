"""MobileNetV2 against Keras 3: weights saved by Keras load into kfront's constructor and
give Keras's predictions."""
import numpy as np
import pytest
from applications_parity import check_parity

import kfront
from kfront.applications import mobilenet_v2

SHAPE = (32, 32, 3)


def test_mobilenet_v2_matches_keras(tmp_path):
    check_parity(tmp_path,
                 lambda keras: keras.applications.MobileNetV2(weights=None, input_shape=SHAPE,
                                                              alpha=0.35),
                 lambda w: mobilenet_v2.MobileNetV2(weights=w, input_shape=SHAPE, alpha=0.35),
                 32, legacy_h5=True)


@pytest.mark.slow
@pytest.mark.sampled("applications")
@pytest.mark.parametrize("alpha", [1.0, 1.4])
def test_mobilenet_v2_widths_match_keras(tmp_path, alpha):
    check_parity(tmp_path,
                 lambda keras: keras.applications.MobileNetV2(weights=None, input_shape=SHAPE,
                                                              alpha=alpha),
                 lambda w: mobilenet_v2.MobileNetV2(weights=w, input_shape=SHAPE, alpha=alpha),
                 32)


def test_mobilenet_v2_structure_and_errors():
    model = mobilenet_v2.MobileNetV2(weights=None, input_shape=(96, 96, 3), alpha=0.35,
                                     classes=5)
    assert model.name == "mobilenetv2_0.35_96"
    assert model.get_layer("block_16_project_BN") is not None
    assert model.output_shape == (None, 5)
    with pytest.raises(ValueError, match="alpha must be one of"):
        mobilenet_v2.MobileNetV2(weights="imagenet", alpha=0.2)
    with pytest.raises(ValueError, match="Input size must be at least 32x32"):
        mobilenet_v2.MobileNetV2(weights=None, input_shape=(16, 16, 3))


def test_mobilenet_v2_preprocess_input_and_paths():
    keras = pytest.importorskip("keras")
    x = np.random.RandomState(0).uniform(0, 255, (1, 3, 3, 3)).astype("float32")
    np.testing.assert_allclose(mobilenet_v2.preprocess_input(x.copy()),
                               keras.applications.mobilenet_v2.preprocess_input(x.copy()),
                               atol=1e-6)
    assert kfront.applications.MobileNetV2 is mobilenet_v2.MobileNetV2
