"""Engine kernels behind keras.ops.image on jax."""

__all__ = []
