"""Image preprocessing layers: rescaling, resizing, cropping and random augmentation."""
from kfront.layers.preprocessing.image.random_affine import (RandomRotation, RandomTranslation,
                                                             RandomZoom)
from kfront.layers.preprocessing.image.random_contrast import RandomContrast
from kfront.layers.preprocessing.image.random_crop import RandomCrop
from kfront.layers.preprocessing.image.random_flip import RandomFlip
from kfront.layers.preprocessing.image.rescaling import Rescaling
from kfront.layers.preprocessing.image.resizing import CenterCrop, Resizing

__all__ = ["CenterCrop", "RandomContrast", "RandomCrop", "RandomFlip", "RandomRotation",
           "RandomTranslation", "RandomZoom", "Rescaling", "Resizing"]
