"""Linear algebra (keras.ops.linalg) on tensorflow."""

__all__ = []
