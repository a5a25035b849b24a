"""Engine kernels behind keras.ops.image on torch."""

__all__ = []
