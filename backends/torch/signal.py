"""FFTs and complex views (keras.ops.math) on torch.

Complex values cross the contract as (real, imag) pairs of float tensors, as in Keras;
``view_as_complex`` / ``view_as_real`` convert to and from torch's complex tensors.
"""
import torch

from kfront.backend.contract import SIGNAL_OPS
from kfront.backend import linalg_args as _args
from kfront.backends.torch.core import as_tensor, floatx_dtype

__all__ = list(SIGNAL_OPS)  # the contract's family, in its order


def _real(x):
    x = as_tensor(x)
    if not x.is_floating_point():
        return x.to(floatx_dtype())
    return x.float() if x.dtype in (torch.float16, torch.bfloat16) else x


def _complex(op, x, rank=1):
    real, imag = _args.check_complex_pair(op, x, lambda t: as_tensor(t).shape,
                                          lambda t: str(as_tensor(t).dtype)[6:])
    real, imag = _real(real), _real(imag)
    _args.check_fft_rank(op, real.shape, rank)
    dtype = torch.promote_types(real.dtype, imag.dtype)
    return torch.complex(real.to(dtype), imag.to(dtype))


def _pair(z):
    return z.real.contiguous(), z.imag.contiguous()


def fft(x):
    """The FFT over the last axis of a (real, imag) pair."""
    return _pair(torch.fft.fft(_complex("fft", x)))


def fft2(x):
    """The 2-D FFT over the last two axes of a (real, imag) pair."""
    return _pair(torch.fft.fft2(_complex("fft2", x, 2)))


def ifft2(x):
    """The inverse 2-D FFT over the last two axes of a (real, imag) pair."""
    return _pair(torch.fft.ifft2(_complex("ifft2", x, 2)))


def rfft(x, fft_length=None):
    """The FFT of a real signal over its last axis: the ``fft_length // 2 + 1`` bins."""
    x = _real(x)
    _args.check_fft_rank("rfft", x.shape, 1)
    return _pair(torch.fft.rfft(x, n=fft_length, dim=-1))


def irfft(x, fft_length=None):
    """The real signal whose ``rfft`` is the (real, imag) pair ``x``."""
    return torch.fft.irfft(_complex("irfft", x), n=fft_length, dim=-1)


def view_as_complex(x):
    """A complex64 tensor from a float tensor whose last axis (of size 2) is (real, imag)."""
    x = as_tensor(x)
    _args.check_view_as_complex(x.shape)
    return torch.complex(x[..., 0].to(torch.float32), x[..., 1].to(torch.float32))


def view_as_real(x):
    """A float tensor of shape ``x.shape + (2,)`` from a complex tensor."""
    x = as_tensor(x)
    if not x.is_complex():
        x = torch.complex(_real(x).float(), torch.zeros_like(_real(x).float()))
    return torch.view_as_real(x).clone()

