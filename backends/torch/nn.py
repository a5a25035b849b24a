"""Neural-network ops on torch (keras.ops semantics), on torch.nn.functional kernels."""
import torch
import torch.nn.functional as F

from kfront import config
from kfront.backends.torch.core import as_tensor, floatx_dtype, to_torch_dtype
from kfront.backends.torch.numpy import add, einsum
from kfront.backends.torch.projection import projection

__all__ = [
    "relu", "relu6", "sigmoid", "softplus", "softsign", "silu", "swish", "gelu", "elu",
    "selu", "leaky_relu", "hard_sigmoid", "hard_silu", "log_sigmoid", "exponential",
    "softmax", "log_softmax", "one_hot",
    "binary_crossentropy", "categorical_crossentropy", "sparse_categorical_crossentropy",
    "einsum_dense",
]


def _f(x):
    """``x`` as a floating tensor: activations of integers are computed in floatx."""
    x = as_tensor(x)
    return x if x.is_floating_point() else x.to(floatx_dtype())


def relu(x):
    # Integer inputs stay integer, as with jax.nn.relu. (torch.relu: F.relu is a Python
    # wrapper around it, and this runs on every Dense call.)
    return torch.relu(as_tensor(x))


def relu6(x):
    return F.relu6(_f(x))


def sigmoid(x):
    return torch.sigmoid(_f(x))


def softplus(x):
    return F.softplus(_f(x))


def softsign(x):
    return F.softsign(_f(x))


def silu(x):
    return F.silu(_f(x))


swish = silu


def gelu(x, approximate=True):
    return F.gelu(_f(x), approximate="tanh" if approximate else "none")


def elu(x, alpha=1.0):
    return F.elu(_f(x), alpha=alpha)


def selu(x):
    return F.selu(_f(x))


def leaky_relu(x, negative_slope=0.2):
    return F.leaky_relu(_f(x), negative_slope=negative_slope)


def hard_sigmoid(x):
    return F.hardsigmoid(_f(x))


def hard_silu(x):
    return F.hardswish(_f(x))


def log_sigmoid(x):
    return F.logsigmoid(_f(x))


def exponential(x):
    return torch.exp(_f(x))


def softmax(x, axis=-1):
    x = _f(x)
    if isinstance(axis, int):
        return F.softmax(x, dim=axis)
    return torch.exp(log_softmax(x, axis))


def log_softmax(x, axis=-1):
    x = _f(x)
    if isinstance(axis, int):
        return F.log_softmax(x, dim=axis)
    # Several axes (or None: all of them) are normalised together.
    dims = tuple(range(x.ndim)) if axis is None else tuple(axis)
    return x - torch.logsumexp(x, dim=dims, keepdim=True)


def one_hot(x, num_classes, axis=-1, dtype=None, sparse=False):
    """One-hot rows of length ``num_classes``; out-of-range values give all-zero rows."""
    if sparse:
        raise ValueError("The torch backend has no sparse tensors: use sparse=False.")
    x = as_tensor(x)
    classes = torch.arange(num_classes, device=x.device, dtype=x.dtype)
    out = (x.unsqueeze(-1) == classes).to(floatx_dtype() if dtype is None
                                          else to_torch_dtype(dtype))
    if axis != -1 and axis != out.ndim - 1:
        out = torch.movedim(out, -1, axis)
    return out


def _target_like(target, output):
    target = as_tensor(target)
    return target if target.dtype == output.dtype else target.to(output.dtype)


def binary_crossentropy(target, output, from_logits=False):
    """Elementwise binary crossentropy (no reduction)."""
    output = _f(output)
    target = _target_like(target, output)
    if target.shape != output.shape:
        target, output = torch.broadcast_tensors(target, output)
    if from_logits:
        return F.binary_cross_entropy_with_logits(output, target, reduction="none")
    eps = config.epsilon()
    output = torch.clamp(output, eps, 1.0 - eps)
    return F.binary_cross_entropy(output, target, reduction="none")


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """Crossentropy against one-hot (or soft) targets, reduced over ``axis``."""
    output = _f(output)
    target = _target_like(target, output)
    if target.shape != output.shape:
        raise ValueError(
            "`target` and `output` must have the same shape; got "
            f"{tuple(target.shape)} and {tuple(output.shape)}.")
    if from_logits:
        log_prob = F.log_softmax(output, dim=axis)
    else:
        eps = config.epsilon()
        output = output / torch.sum(output, dim=axis, keepdim=True)
        log_prob = torch.log(torch.clamp(output, eps, 1.0 - eps))
    return -torch.sum(target * log_prob, dim=axis)


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """Crossentropy against integer class targets (a trailing size-1 axis is dropped)."""
    output = _f(output)
    target = as_tensor(target)
    if target.ndim == output.ndim and target.shape[-1] == 1:
        target = target.squeeze(-1)
    if target.dtype != torch.int64:
        target = target.to(torch.int64)
    axis = axis % output.ndim
    if from_logits:
        # The fused kernel wants classes on axis 1.
        logits = output if axis == 1 or output.ndim == 1 else torch.movedim(output, axis, 1)
        return F.cross_entropy(logits, target, reduction="none")
    eps = config.epsilon()
    output = output / torch.sum(output, dim=axis, keepdim=True)
    log_prob = torch.log(torch.clamp(output, eps, 1.0 - eps))
    picked = torch.gather(log_prob, axis, target.unsqueeze(axis))
    return -picked.squeeze(axis)


def einsum_dense(equation, inputs, kernel, bias=None):
    """``einsum(equation, inputs, kernel) + bias``, the product of ``Dense`` and
    ``EinsumDense``: one ``addmm`` when the equation is a projection and the bias lies
    along the kernel's output axes, else einsum then add."""
    inputs, kernel = as_tensor(inputs), as_tensor(kernel)
    bias = None if bias is None else as_tensor(bias)
    out = projection(equation, inputs, kernel, bias)
    if out is not None:
        return out
    out = einsum(equation, inputs, kernel)
    return out if bias is None else add(out, bias)
