"""Regularization layers (classes are also exported by kfront.layers)."""
from kfront.layers.regularization.activity_regularization import ActivityRegularization
from kfront.layers.regularization.alpha_dropout import AlphaDropout
from kfront.layers.regularization.gaussian import GaussianDropout, GaussianNoise
from kfront.layers.regularization.spatial_dropout import (
    SpatialDropout1D, SpatialDropout2D, SpatialDropout3D,
)

__all__ = ["ActivityRegularization", "AlphaDropout", "GaussianDropout", "GaussianNoise",
           "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D"]
