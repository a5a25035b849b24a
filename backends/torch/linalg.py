"""Linear algebra (keras.ops.linalg) on torch."""

__all__ = []
