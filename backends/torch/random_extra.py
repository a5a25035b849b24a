"""Seeded beta, binomial, categorical, gamma and shuffle draws (keras.random) on torch."""
import torch

from kfront.backend.contract import RANDOM_EXTRA_OPS
from kfront.backends.torch.core import DEVICE, as_tensor, to_torch_dtype
from kfront.backends.torch.creation import _dtype_or_floatx, _shape
from kfront.backends.torch.random import _generator

__all__ = list(RANDOM_EXTRA_OPS)  # the contract's family, in its order


def _param(value, dtype, shape):
    """A distribution parameter as a tensor broadcast to the output shape."""
    return torch.broadcast_to(torch.as_tensor(as_tensor(value), dtype=dtype, device=DEVICE),
                              shape)


def _work_dtype(dt):
    # Samplers need at least float32 (torch has no half-precision gamma kernel on CPU).
    return torch.float64 if dt == torch.float64 else torch.float32


def random_gamma(shape, alpha, dtype=None, seed=None):
    """Gamma(alpha, 1) samples."""
    dt = _dtype_or_floatx(dtype)
    shape = _shape(shape)
    alpha = _param(alpha, _work_dtype(dt), shape)
    return torch._standard_gamma(alpha, generator=_generator(seed)).to(dt)


def random_beta(shape, alpha, beta, dtype=None, seed=None):
    """Beta(alpha, beta) samples, as X / (X + Y) of two gamma draws."""
    dt = _dtype_or_floatx(dtype)
    shape = _shape(shape)
    work = _work_dtype(dt)
    gen = _generator(seed)
    x = torch._standard_gamma(_param(alpha, work, shape), generator=gen)
    y = torch._standard_gamma(_param(beta, work, shape), generator=gen)
    return (x / (x + y)).to(dt)


def random_binomial(shape, counts, probabilities, dtype=None, seed=None):
    """Binomial(counts, probabilities) samples (counts of successes, as floats)."""
    dt = _dtype_or_floatx(dtype)
    shape = _shape(shape)
    work = _work_dtype(dt)
    out = torch.binomial(_param(counts, work, shape).contiguous(),
                         _param(probabilities, work, shape).contiguous(),
                         generator=_generator(seed))
    return out.to(dt)


def random_categorical(logits, num_samples, dtype="int32", seed=None):
    """``num_samples`` class indices per row of 2-D ``logits``, drawn with replacement."""
    logits = as_tensor(logits)
    probs = torch.softmax(logits.to(_work_dtype(logits.dtype)), dim=-1)
    out = torch.multinomial(probs, int(num_samples), replacement=True,
                            generator=_generator(seed))
    return out.to(to_torch_dtype(dtype))


def random_shuffle(x, axis=0, seed=None):
    """``x`` with its entries along ``axis`` in a random order."""
    x = as_tensor(x)
    perm = torch.randperm(x.shape[axis], generator=_generator(seed), device=x.device)
    return torch.index_select(x, axis, perm)
