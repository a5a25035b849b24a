"""FFTs and complex views (keras.ops.math) on TensorFlow.

Complex values cross the contract as (real, imag) pairs of float tensors, as in Keras;
``view_as_complex`` / ``view_as_real`` convert to and from TF's complex tensors.
"""
import tensorflow as tf

from kfront.backend.contract import SIGNAL_OPS
from kfront.backend import linalg_args as _args
from kfront.backends.tensorflow.core import as_float, convert_to_tensor

__all__ = list(SIGNAL_OPS)  # the contract's family, in its order


def _real(x):
    x = as_float(x)
    return tf.cast(x, tf.float32) if x.dtype in (tf.float16, tf.bfloat16) else x


def _complex(op, x, rank=1):
    real, imag = _args.check_complex_pair(op, x, lambda t: convert_to_tensor(t).shape.as_list(),
                                          lambda t: convert_to_tensor(t).dtype.name)
    real, imag = _real(real), _real(imag)
    _args.check_fft_rank(op, real.shape.as_list(), rank)
    if real.dtype != imag.dtype:
        real, imag = tf.cast(real, tf.float64), tf.cast(imag, tf.float64)
    return tf.complex(real, imag)


def _pair(z):
    return tf.math.real(z), tf.math.imag(z)


def fft(x):
    """The FFT over the last axis of a (real, imag) pair."""
    return _pair(tf.signal.fft(_complex("fft", x)))


def fft2(x):
    """The 2-D FFT over the last two axes of a (real, imag) pair."""
    return _pair(tf.signal.fft2d(_complex("fft2", x, 2)))


def ifft2(x):
    """The inverse 2-D FFT over the last two axes of a (real, imag) pair."""
    return _pair(tf.signal.ifft2d(_complex("ifft2", x, 2)))


def rfft(x, fft_length=None):
    """The FFT of a real signal over its last axis: the ``fft_length // 2 + 1`` bins."""
    x = _real(x)
    _args.check_fft_rank("rfft", x.shape.as_list(), 1)
    n = tf.shape(x)[-1:] if fft_length is None else [fft_length]
    return _pair(tf.signal.rfft(x, fft_length=n))


def irfft(x, fft_length=None):
    """The real signal whose ``rfft`` is the (real, imag) pair ``x``."""
    z = _complex("irfft", x)
    n = 2 * (tf.shape(z)[-1:] - 1) if fft_length is None else [fft_length]
    return tf.signal.irfft(z, fft_length=n)


def view_as_complex(x):
    """A complex64 tensor from a float tensor whose last axis (of size 2) is (real, imag)."""
    x = convert_to_tensor(x)
    _args.check_view_as_complex(x.shape.as_list())
    x = tf.cast(x, tf.float32)
    return tf.complex(x[..., 0], x[..., 1])


def view_as_real(x):
    """A float tensor of shape ``x.shape + (2,)`` from a complex tensor."""
    x = convert_to_tensor(x)
    if not x.dtype.is_complex:
        x = as_float(x)
        return tf.stack([x, tf.zeros_like(x)], axis=-1)
    return tf.stack([tf.math.real(x), tf.math.imag(x)], axis=-1)
