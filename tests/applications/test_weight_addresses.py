"""``weights="imagenet"`` asks for the very files Keras asks for: the same file name, address,
hash and cache folder, for every constructor with and without its top, and the same class
index for ``decode_predictions``.

No file is downloaded: both libraries' fetch functions are replaced by one that records its
arguments and stops the constructor. Keras runs in a subprocess (``keras_numbers``, cached
across the three backend passes).
"""
import numpy as np
import pytest

import kfront
from kfront.applications import _weights

from keras_reference import keras_numbers

# Constructor -> the extra arguments of each variant whose file differs.
_VARIANTS = {
    "VGG": [("VGG16", {}), ("VGG19", {})],
    "ResNet": [(n, {}) for n in ("ResNet50", "ResNet101", "ResNet152", "ResNet50V2",
                                 "ResNet101V2", "ResNet152V2")],
    "Inception": [("InceptionV3", {}), ("InceptionResNetV2", {}), ("Xception", {})],
    "DenseNet": [(n, {}) for n in ("DenseNet121", "DenseNet169", "DenseNet201")],
    "MobileNet": [("MobileNet", {}), ("MobileNet", {"alpha": 0.5, "input_shape": (128, 128, 3)}),
                  ("MobileNetV2", {}),
                  ("MobileNetV2", {"alpha": 0.35, "input_shape": (96, 96, 3)}),
                  ("MobileNetV3Small", {}), ("MobileNetV3Large", {"minimalistic": True})],
    "EfficientNet": [(f"EfficientNetB{i}", {}) for i in range(8)],
    "EfficientNetV2": [(f"EfficientNetV2{s}", {})
                       for s in ("B0", "B1", "B2", "B3", "S", "M", "L")],
    "ConvNeXt": [(f"ConvNeXt{s}", {}) for s in ("Tiny", "Small", "Base", "Large", "XLarge")],
    "NASNet": [("NASNetMobile", {}), ("NASNetLarge", {})],
}
# A quick sample for every run; the whole table is slow (every constructor is built).
_FAST = [("VGG16", {}), ("MobileNetV2", {}), ("EfficientNetB0", {})]

_KERAS_SCRIPT = """
from keras.src.utils import file_utils
class Stop(Exception):
    pass
record = []
def get_file(fname=None, origin=None, file_hash=None, cache_subdir="datasets", **kw):
    record.append(repr((fname, origin, file_hash, cache_subdir)))
    raise Stop
file_utils.get_file = get_file
for name, kwargs in VARIANTS:
    for top in (True, False):
        try:
            getattr(keras.applications, name)(weights="imagenet", include_top=top, **kwargs)
        except Stop:
            pass
try:
    keras.applications.imagenet_utils.decode_predictions(np.ones((1, 1000)))
except Stop:
    pass
out["record"] = np.array(record)
"""


class _Stop(Exception):
    pass


def _kfront_requests(variants, monkeypatch):
    record = []

    def fetch(fname, path, file_hash, cache_subdir="models"):
        record.append(repr((fname, _weights.url(path), file_hash, cache_subdir)))
        raise _Stop

    monkeypatch.setattr(_weights, "fetch", fetch)
    monkeypatch.setattr(_weights, "BASE_URL", "https://storage.googleapis.com/")
    for name, kwargs in variants:
        for top in (True, False):
            with pytest.raises(_Stop):
                getattr(kfront.applications, name)(weights="imagenet", include_top=top,
                                                   **kwargs)
    with pytest.raises(_Stop):
        kfront.applications.imagenet_utils.decode_predictions(np.ones((1, 1000)))
    return record


def _keras_requests(variants):
    script = f"VARIANTS = {variants!r}\n" + _KERAS_SCRIPT
    return [str(r) for r in keras_numbers(script)["record"]]


def _check(variants, monkeypatch):
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Keras's "input shape is undefined" notes
        ours = _kfront_requests(variants, monkeypatch)
    theirs = _keras_requests(variants)
    assert len(theirs) == 2 * len(variants) + 1
    assert ours == theirs


def test_a_sample_of_constructors_asks_for_keras_files(monkeypatch):
    _check(_FAST, monkeypatch)


@pytest.mark.slow
@pytest.mark.sampled("application-addresses")
@pytest.mark.parametrize("family", sorted(_VARIANTS))
def test_every_constructor_asks_for_keras_files(family, monkeypatch):
    _check(_VARIANTS[family], monkeypatch)
