"""Math ops on torch (keras.ops): logsumexp, erf, top_k, in_top_k, norm."""
import torch

from kfront.backends.torch.core import as_tensor, floatx_dtype

__all__ = ["logsumexp", "erf", "erfc", "erfinv", "rsqrt", "top_k", "in_top_k", "norm"]


def _f(x):
    x = as_tensor(x)
    return x if x.is_floating_point() or x.is_complex() else x.to(floatx_dtype())


def logsumexp(x, axis=None, keepdims=False):
    x = _f(x)
    if axis is None:
        dims = tuple(range(x.ndim))
    else:
        dims = (axis,) if isinstance(axis, int) else tuple(axis)
    if not dims:
        return x
    return torch.logsumexp(x, dim=dims, keepdim=keepdims)


def erf(x):
    return torch.erf(_f(x))


def erfc(x):
    return torch.erfc(_f(x))


def erfinv(x):
    return torch.erfinv(_f(x))


def rsqrt(x):
    return torch.rsqrt(_f(x))


def top_k(x, k, sorted=True):
    """The ``k`` largest entries along the last axis: (values, int32 indices)."""
    values, indices = torch.topk(as_tensor(x), k, dim=-1, largest=True, sorted=sorted)
    return values, indices.to(torch.int32)


def in_top_k(targets, predictions, k):
    """Per row, whether the target's score is among the ``k`` largest (ties count in)."""
    predictions = as_tensor(predictions)
    targets = as_tensor(targets).to(torch.int64)
    score = torch.gather(predictions, -1, targets.unsqueeze(-1))
    # Fewer than k scores strictly above the target's: it is in the top k. A NaN score is not.
    above = torch.sum(predictions > score, dim=-1)
    return (above < k) & ~torch.isnan(score.squeeze(-1))


def norm(x, ord=None, axis=None, keepdims=False):
    """``numpy.linalg.norm``: vector norms over one axis, matrix norms over two."""
    x = _f(x)
    if isinstance(axis, list):
        axis = tuple(axis)
    return torch.linalg.norm(x, ord=ord, dim=axis, keepdim=keepdims)
