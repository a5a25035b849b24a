"""FFTs and complex views (keras.ops.math) on JAX.

Complex values cross the contract as (real, imag) pairs of float arrays, as in Keras;
``view_as_complex`` / ``view_as_real`` convert to and from JAX's complex arrays.
"""
import jax
import jax.numpy as jnp

from kfront.backend.contract import SIGNAL_OPS
from kfront.backend import linalg_args as _args
from kfront.backends.jax.core import convert_to_tensor, to_float

__all__ = list(SIGNAL_OPS)  # the contract's family, in its order


def _real(x):
    x = to_float(x)
    return x.astype(jnp.float32) if x.dtype in (jnp.float16, jnp.bfloat16) else x


def _complex(op, x, rank=1):
    real, imag = _args.check_complex_pair(op, x, lambda t: jnp.shape(convert_to_tensor(t)),
                                          lambda t: convert_to_tensor(t).dtype.name)
    real, imag = _real(real), _real(imag)
    _args.check_fft_rank(op, real.shape, rank)
    dtype = jnp.promote_types(real.dtype, imag.dtype)
    return jax.lax.complex(real.astype(dtype), imag.astype(dtype))


def _pair(z):
    return jnp.real(z), jnp.imag(z)


def fft(x):
    """The FFT over the last axis of a (real, imag) pair."""
    return _pair(jnp.fft.fft(_complex("fft", x)))


def fft2(x):
    """The 2-D FFT over the last two axes of a (real, imag) pair."""
    return _pair(jnp.fft.fft2(_complex("fft2", x, 2)))


def ifft2(x):
    """The inverse 2-D FFT over the last two axes of a (real, imag) pair."""
    return _pair(jnp.fft.ifft2(_complex("ifft2", x, 2)))


def rfft(x, fft_length=None):
    """The FFT of a real signal over its last axis: the ``fft_length // 2 + 1`` bins."""
    x = _real(x)
    _args.check_fft_rank("rfft", x.shape, 1)
    return _pair(jnp.fft.rfft(x, n=fft_length, axis=-1))


def irfft(x, fft_length=None):
    """The real signal whose ``rfft`` is the (real, imag) pair ``x``."""
    return jnp.fft.irfft(_complex("irfft", x), n=fft_length, axis=-1)


def view_as_complex(x):
    """A complex64 array from a float array whose last axis (of size 2) is (real, imag)."""
    x = convert_to_tensor(x)
    _args.check_view_as_complex(x.shape)
    x = x.astype(jnp.float32)
    return jax.lax.complex(x[..., 0], x[..., 1])


def view_as_real(x):
    """A float array of shape ``x.shape + (2,)`` from a complex array."""
    x = convert_to_tensor(x)
    return jnp.stack([jnp.real(x), jnp.imag(x)], axis=-1)
