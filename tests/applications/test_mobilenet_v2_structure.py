"""MobileNetV2's structure, errors and preprocessing (its parity with Keras 3 is checked in
test_mobilenet_parity.py)."""
import numpy as np
import pytest

import kfront
from kfront.applications import mobilenet_v2


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
