"""FFTs, STFT, window functions and the other keras.ops.math extras on torch."""

__all__ = []
