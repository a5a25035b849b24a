"""``kfront.datasets``: the Keras datasets (downloaded on first use into ``~/.kfront``, or
``$KFRONT_HOME``) and ``digits``, which ships with the package for offline use.

``KFRONT_DATASETS_ORIGIN=<url prefix>`` downloads the files from a mirror instead of their
public origins; their published hashes are still checked. Offline, put the file where the
error message says (``~/.kfront/datasets/<name>``) and it is used from there.
"""
import importlib

from kfront.datasets import digits

_DOWNLOADED = ("mnist", "fashion_mnist", "cifar10", "cifar100", "imdb", "reuters",
               "boston_housing", "california_housing")

__all__ = ["digits", *_DOWNLOADED]


def __getattr__(name):
    if name in _DOWNLOADED:
        return importlib.import_module(f"kfront.datasets.{name}")
    raise AttributeError(f"module 'kfront.datasets' has no attribute {name!r}")


def __dir__():
    return sorted(("digits",) + _DOWNLOADED)
