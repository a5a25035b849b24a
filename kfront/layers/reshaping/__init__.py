"""Reshaping layers (classes are also exported by kfront.layers)."""
from kfront.layers.reshaping.cropping import Cropping1D, Cropping2D, Cropping3D
from kfront.layers.reshaping.permute import Permute
from kfront.layers.reshaping.repeat_vector import RepeatVector
from kfront.layers.reshaping.up_sampling import UpSampling1D, UpSampling2D, UpSampling3D
from kfront.layers.reshaping.zero_padding import ZeroPadding1D, ZeroPadding2D, ZeroPadding3D

__all__ = ["Cropping1D", "Cropping2D", "Cropping3D", "Permute", "RepeatVector", "UpSampling1D",
           "UpSampling2D", "UpSampling3D", "ZeroPadding1D", "ZeroPadding2D", "ZeroPadding3D"]
