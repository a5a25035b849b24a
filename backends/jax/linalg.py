"""Linear algebra (keras.ops.linalg) on jax."""

__all__ = []
