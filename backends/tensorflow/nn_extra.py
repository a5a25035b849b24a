"""The rest of keras.ops.nn on tensorflow."""

__all__ = []
