"""Seeded random ops on torch: each seed builds its own ``torch.Generator``.

The same seed gives the same numbers (on the same device); ``seed=None`` draws from
torch's global generator.
"""
import math

import torch

from kfront.backends.torch.core import DEVICE, Tensor, as_tensor, to_torch_dtype
from kfront.backends.torch.creation import _dtype_or_floatx, _shape

__all__ = ["random_uniform", "random_normal", "random_truncated_normal", "random_randint",
           "random_dropout"]

_MASK64 = (1 << 64) - 1
# Truncation at two standard deviations, as Keras does: the uniform range that the inverse
# normal CDF maps onto [-2, 2].
_LOW = 0.5 * (1.0 + math.erf(-2.0 / math.sqrt(2.0)))
_HIGH = 0.5 * (1.0 + math.erf(2.0 / math.sqrt(2.0)))


def _mix(z):
    """SplitMix64's finaliser: neighbouring seeds give unrelated generator states."""
    z = (z + 0x9E3779B97F4A7C15) & _MASK64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK64
    return z ^ (z >> 31)


def _generator(seed):
    """A torch.Generator for ``seed`` (a Python int or two integers), or None."""
    if seed is None:
        return None
    if isinstance(seed, int):
        key = seed & _MASK64
    else:
        # Reading a tensor seed syncs with the device; acceptable for eager torch.
        values = seed.tolist() if hasattr(seed, "tolist") else list(seed)
        if isinstance(values, (int, float)):
            key = int(values) & _MASK64
        else:
            key = 0
            for v in values:
                key = ((key << 32) ^ (int(v) & 0xFFFFFFFF)) & _MASK64
    gen = torch.Generator(device=DEVICE)
    gen.manual_seed(_mix(key))
    return gen


def _scaled(sample, a, b):
    """``sample * a + b`` without extra kernels for the defaults."""
    if not (isinstance(a, (int, float)) and a == 1):
        sample = sample * (as_tensor(a).to(sample.dtype) if isinstance(a, Tensor) else a)
    if not (isinstance(b, (int, float)) and b == 0):
        sample = sample + (as_tensor(b).to(sample.dtype) if isinstance(b, Tensor) else b)
    return sample


def random_uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    dt = _dtype_or_floatx(dtype)
    sample = torch.rand(_shape(shape), generator=_generator(seed), dtype=dt, device=DEVICE)
    if isinstance(minval, (int, float)) and isinstance(maxval, (int, float)):
        return _scaled(sample, maxval - minval, minval)
    minval, maxval = as_tensor(minval).to(dt), as_tensor(maxval).to(dt)
    return sample * (maxval - minval) + minval


def random_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    dt = _dtype_or_floatx(dtype)
    sample = torch.randn(_shape(shape), generator=_generator(seed), dtype=dt, device=DEVICE)
    return _scaled(sample, stddev, mean)


def random_truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Normal samples restricted to two standard deviations around ``mean``."""
    dt = _dtype_or_floatx(dtype)
    # Inverse-CDF sampling: exact truncation in one pass, computed in at least float32.
    work = torch.float64 if dt == torch.float64 else torch.float32
    u = torch.empty(_shape(shape), dtype=work, device=DEVICE)
    u.uniform_(_LOW, _HIGH, generator=_generator(seed))
    sample = torch.special.ndtri(u).clamp_(-2.0, 2.0)
    return _scaled(sample, stddev, mean).to(dt)


def random_randint(shape, minval, maxval, dtype="int32", seed=None):
    """Integers uniform in [minval, maxval)."""
    dt = to_torch_dtype(dtype)
    low, high = int(minval), int(maxval)
    return torch.randint(low, high, _shape(shape), generator=_generator(seed), dtype=dt,
                         device=DEVICE)


def random_dropout(x, rate, noise_shape=None, seed=None):
    """``x * keep_mask / (1 - rate)`` with ``keep_mask`` drawn with probability 1 - rate."""
    x = as_tensor(x)
    rate = float(rate)
    if rate <= 0.0:
        return x
    if rate >= 1.0:
        return torch.zeros_like(x)
    if noise_shape is None and seed is None:
        return torch.nn.functional.dropout(x, p=rate, training=True)
    if noise_shape is None:
        shape = x.shape
    else:
        shape = tuple(x.shape[i] if d is None else int(d) for i, d in enumerate(noise_shape))
    keep = 1.0 - rate
    mask = torch.empty(shape, dtype=x.dtype, device=x.device)
    mask.bernoulli_(keep, generator=_generator(seed))
    return x * mask.mul_(1.0 / keep)
