"""Preprocessing layers: image transforms (``image/``) and feature encodings (``feature/``)."""
from kfront.layers.preprocessing.feature import *  # noqa: F401,F403
from kfront.layers.preprocessing.image import *  # noqa: F401,F403
from kfront.layers.preprocessing import feature as _feature, image as _image

__all__ = list(_feature.__all__) + list(_image.__all__)
