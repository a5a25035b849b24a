"""Normalization layers."""
from kfront.layers.normalization.batch_normalization import BatchNormalization
from kfront.layers.normalization.group_normalization import GroupNormalization
from kfront.layers.normalization.layer_normalization import LayerNormalization
from kfront.layers.normalization.rms_normalization import RMSNormalization
from kfront.layers.normalization.spectral_normalization import SpectralNormalization
from kfront.layers.normalization.unit_normalization import UnitNormalization

__all__ = ["BatchNormalization", "GroupNormalization", "LayerNormalization",
           "RMSNormalization", "SpectralNormalization", "UnitNormalization"]
