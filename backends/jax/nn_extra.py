"""The rest of keras.ops.nn on jax."""

__all__ = []
