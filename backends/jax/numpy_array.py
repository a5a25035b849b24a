"""Shape manipulation, indexing, creation, sorting, searching and set ops (keras.ops.numpy) on jax."""

__all__ = []
