"""The constructors and module functions of the MobileNet, EfficientNet, ConvNeXt and NASNet
families take Keras 3's arguments, in Keras's order, with Keras's defaults."""
import inspect

import pytest

from kfront import applications

NAMES = {
    "mobilenet": ["MobileNet"], "mobilenet_v2": ["MobileNetV2"],
    "mobilenet_v3": ["MobileNetV3Small", "MobileNetV3Large"],
    "efficientnet": [f"EfficientNetB{i}" for i in range(8)],
    "efficientnet_v2": [f"EfficientNetV2{s}" for s in ("B0", "B1", "B2", "B3", "S", "M", "L")],
    "convnext": ["ConvNeXtTiny", "ConvNeXtSmall", "ConvNeXtBase", "ConvNeXtLarge",
                 "ConvNeXtXLarge"],
    "nasnet": ["NASNetMobile", "NASNetLarge"],
}
CASES = [(module, name) for module, names in NAMES.items()
         for name in names + ["preprocess_input", "decode_predictions"]]


def _params(fn):
    return [(p.name, p.default, p.kind) for p in inspect.signature(fn).parameters.values()]


@pytest.mark.parametrize("module,name", CASES, ids=[f"{m}.{n}" for m, n in CASES])
def test_signature_matches_keras(module, name):
    keras = pytest.importorskip("keras")
    from importlib import import_module
    reference = getattr(import_module(f"keras.src.applications.{module}"), name)
    ours = getattr(getattr(applications, module), name)
    assert _params(ours) == _params(reference)
    assert ours.__doc__
    if name[0].isupper():
        # The Keras 2 path and the top-level name are the same object.
        assert getattr(applications, name) is ours
        assert getattr(keras.applications, name) is not None
