"""``kfront.preprocessing``: the Keras 2 preprocessing paths tutorials still use.

``kfront.preprocessing.image`` (ImageDataGenerator, load_img, ...),
``kfront.preprocessing.sequence`` (pad_sequences, ...), ``kfront.preprocessing.text``
(Tokenizer, ...), plus the dataset builders Keras 3 also exposes here. Submodules are
imported on first use: most programs need none of them.
"""
import importlib

_SUBMODULES = ("image", "sequence", "text")
_NAMES = {
    "image_dataset_from_directory": "kfront.utils.image_dataset",
    "text_dataset_from_directory": "kfront.utils.text_dataset",
    "timeseries_dataset_from_array": "kfront.utils.timeseries_dataset",
}


def __getattr__(name):
    if name in _SUBMODULES:
        return importlib.import_module(f"kfront.preprocessing.{name}")
    module = _NAMES.get(name)
    if module is None:
        raise AttributeError(f"module 'kfront.preprocessing' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


def __dir__():
    return sorted(_SUBMODULES + tuple(_NAMES))
