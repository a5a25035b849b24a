"""Normalization kernels on torch (contract.NORMALIZATION_OPS)."""
import torch
import torch.nn.functional as F

from kfront.backends.torch.core import as_tensor, floatx_dtype
from kfront.backends.torch.kept import kept

__all__ = ["moments", "batch_normalization", "layer_norm"]


def _float(x):
    x = as_tensor(x)
    return x if x.is_floating_point() else x.to(floatx_dtype())


def _axes(axes, ndim):
    axes = (axes,) if isinstance(axes, int) else tuple(axes)
    return tuple(a % ndim for a in axes)


def moments(x, axes, keepdims=False, synchronized=False):
    """(mean, variance) over ``axes``; the variance is the population one (divides by N)."""
    x = _float(x)
    dims = _axes(axes, x.ndim)
    # Half-precision inputs accumulate in float32, as Keras does.
    compute = x.float() if x.dtype in (torch.float16, torch.bfloat16) else x
    variance, mean = torch.var_mean(compute, dim=dims, correction=0, keepdim=keepdims)
    return mean.to(x.dtype), variance.to(x.dtype)


def _along(v, axis, ndim, dtype):
    v = as_tensor(v).to(dtype)
    if v.ndim == 1 and axis != ndim - 1:
        shape = [1] * ndim
        shape[axis] = v.shape[0]
        v = v.reshape(shape)
    return v


def _scale_and_shift(x, mean, variance, axis, offset, scale, epsilon):
    """Per-channel ``(inv, res)`` with ``y = x * inv + res``, laid along ``axis``."""
    inv = torch.rsqrt(_along(variance, axis, x.ndim, x.dtype) + epsilon)
    if scale is not None:
        inv = inv * _along(scale, axis, x.ndim, x.dtype)
    res = -_along(mean, axis, x.ndim, x.dtype) * inv
    if offset is not None:
        res = res + _along(offset, axis, x.ndim, x.dtype)
    return inv, res


def batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3):
    """``(x - mean) / sqrt(variance + epsilon) * scale + offset``, the 1-D statistics laid
    along ``axis``."""
    x = _float(x)
    axis = axis % x.ndim
    stats = [as_tensor(t) for t in (mean, variance, offset, scale) if t is not None]
    # Inference on a layer's moving statistics: the per-channel scale and shift are kept
    # until a variable changes (backends/torch/kept.py), not rederived in five small ops.
    inv, res = kept(stats, ("batch_normalization", axis, x.ndim, x.dtype, epsilon,
                            offset is not None, scale is not None),
                    lambda *_: _scale_and_shift(x, mean, variance, axis, offset, scale,
                                                epsilon))
    # One pass over x (addcmul) instead of a multiply and an add over the whole activation.
    return torch.addcmul(res, x, inv)


def layer_norm(x, gamma=None, beta=None, axes=-1, epsilon=1e-3):
    """``(x - mean) / sqrt(variance + epsilon) * gamma + beta`` with the statistics taken
    over ``axes``, which must be the trailing axes of ``x``; ``gamma`` and ``beta`` (either
    may be None) have the shape of those axes. One fused ``F.layer_norm`` instead of the
    moments, rsqrt and affine ops, forward and backward."""
    x = _float(x)
    dims = sorted(_axes(axes, x.ndim))
    if dims != list(range(x.ndim - len(dims), x.ndim)):
        raise ValueError(f"layer_norm: the normalized axes must be the trailing axes of the "
                         f"input; received axes={axes!r} for an input of rank {x.ndim}.")
    shape = tuple(x.shape[x.ndim - len(dims):])
    weight = None if gamma is None else as_tensor(gamma).to(x.dtype).reshape(shape)
    bias = None if beta is None else as_tensor(beta).to(x.dtype).reshape(shape)
    return F.layer_norm(x, shape, weight, bias, float(epsilon))
