"""The rest of keras.ops.nn on torch."""

__all__ = []
