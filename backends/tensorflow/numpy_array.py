"""Shape manipulation, indexing, creation, sorting, searching and set ops (keras.ops.numpy) on tensorflow."""

__all__ = []
