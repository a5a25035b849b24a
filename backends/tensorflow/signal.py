"""FFTs, STFT, window functions and the other keras.ops.math extras on tensorflow."""

__all__ = []
