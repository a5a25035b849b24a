"""scikit-learn wrappers for kfront models (``keras.wrappers``).

The wrappers import scikit-learn, so they load on first use: ``import kfront`` stays free of
scikit-learn, and a missing scikit-learn is reported only when a wrapper is built.
"""
import importlib

_LAZY = {
    "SKLearnClassifier": "kfront.wrappers.sklearn_wrapper",
    "SKLearnRegressor": "kfront.wrappers.sklearn_wrapper",
    "SKLearnTransformer": "kfront.wrappers.sklearn_wrapper",
}

__all__ = sorted(_LAZY)


def __getattr__(name):
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    if name == "scikit_learn":
        return importlib.import_module("kfront.wrappers.scikit_learn")
    raise AttributeError(f"module 'kfront.wrappers' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
