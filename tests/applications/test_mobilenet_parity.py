"""MobileNet (v1) and MobileNetV2 against Keras 3: weights saved by Keras load into kfront's
constructors and give Keras's predictions; MobileNet's argument errors name the argument."""
import numpy as np
import pytest
from applications_parity import check_parity

import kfront
from kfront.applications import mobilenet, mobilenet_v2

SHAPE = (32, 32, 3)


def _check(tmp_path, ctor, kwargs, legacy_h5=False):
    module = {"MobileNet": mobilenet, "MobileNetV2": mobilenet_v2}[ctor]
    check_parity(tmp_path,
                 lambda keras: getattr(keras.applications, ctor)(weights=None,
                                                                 input_shape=SHAPE, **kwargs),
                 lambda w: getattr(module, ctor)(weights=w, input_shape=SHAPE, **kwargs),
                 32, legacy_h5=legacy_h5)


@pytest.mark.parametrize("ctor,kwargs", [("MobileNet", {"alpha": 0.25}),
                                         ("MobileNetV2", {"alpha": 0.35})])
def test_mobilenets_match_keras(tmp_path, ctor, kwargs):
    _check(tmp_path, ctor, kwargs, legacy_h5=True)


@pytest.mark.slow
@pytest.mark.sampled("applications")
@pytest.mark.parametrize("ctor,kwargs", [
    ("MobileNet", {}), ("MobileNet", {"alpha": 0.5, "depth_multiplier": 2, "classes": 10}),
    ("MobileNetV2", {"alpha": 1.0}), ("MobileNetV2", {"alpha": 1.4})])
def test_mobilenet_widths_match_keras(tmp_path, ctor, kwargs):
    _check(tmp_path, ctor, kwargs)


def test_mobilenet_layer_names_and_default_name():
    model = mobilenet.MobileNet(weights=None, input_shape=SHAPE, alpha=0.25, classes=7)
    assert model.name == "mobilenet_0.25_32"
    names = [layer.name for layer in model.layers]
    assert names[1:4] == ["conv1", "conv1_bn", "conv1_relu"]
    assert names[-4:] == ["dropout", "conv_preds", "reshape_2", "predictions"]
    assert model.output_shape == (None, 7)
    features = mobilenet.MobileNet(weights=None, include_top=False, pooling="max",
                                   input_shape=SHAPE, alpha=0.25)
    assert features.output_shape == (None, 256)


def test_mobilenet_argument_errors(tmp_path):
    with pytest.raises(ValueError, match="`weights` argument should be either"):
        mobilenet.MobileNet(weights=str(tmp_path / "missing.h5"))
    with pytest.raises(ValueError, match="`classes` should be 1000"):
        mobilenet.MobileNet(weights="imagenet", classes=10)
    with pytest.raises(ValueError, match="depth multiplier must be 1"):
        mobilenet.MobileNet(weights="imagenet", depth_multiplier=2)
    with pytest.raises(ValueError, match="alpha can be one of"):
        mobilenet.MobileNet(weights="imagenet", alpha=0.3)
    with pytest.raises(ValueError, match="`pooling` argument should be one of"):
        mobilenet.MobileNet(weights=None, include_top=False, pooling="mean")


def test_mobilenet_preprocess_input_matches_keras():
    keras = pytest.importorskip("keras")
    x = np.random.RandomState(0).uniform(0, 255, (2, 4, 4, 3)).astype("float32")
    expected = keras.applications.mobilenet.preprocess_input(x.copy())
    np.testing.assert_allclose(mobilenet.preprocess_input(x.copy()), expected, atol=1e-6)


def test_keras2_import_paths():
    assert kfront.applications.MobileNet is mobilenet.MobileNet
    assert kfront.applications.mobilenet.preprocess_input is mobilenet.preprocess_input
