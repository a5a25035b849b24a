"""Engine kernels behind keras.ops.image on tensorflow."""

__all__ = []
