"""FFTs, STFT, window functions and the other keras.ops.math extras on jax."""

__all__ = []
