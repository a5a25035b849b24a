"""Conv and pooling kernels on torch (contract.CONV_OPS), on torch.nn.functional.

Kernels are laid out as Keras stores them: spatial dims first, then (in, out) channels
(``conv``), (in, multiplier) (``depthwise_conv``) or (out, in) (``conv_transpose``).
torch computes in channels_first; channels_last inputs are moved around the kernel.
"""
import math

import torch
import torch.nn.functional as F

from kfront.backend.conv_args import normalize_data_format as _data_format
from kfront.backend.conv_args import normalize_padding as _padding
from kfront.backend.conv_args import normalize_tuple as _tuple
from kfront.backends.torch.core import as_tensor, floatx_dtype
from kfront.backends.torch.kept import kept

__all__ = ["conv", "conv_bias", "depthwise_conv", "separable_conv", "conv_transpose", "max_pool",
           "average_pool"]

_CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}
_CONV_T = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}
_MAX = {1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d}
_AVG = {1: F.avg_pool1d, 2: F.avg_pool2d, 3: F.avg_pool3d}


# ---- input checks (argument checks live in kfront.backend.conv_args) ----

def _input(x, op, ranks=(3, 4, 5)):
    x = as_tensor(x)
    if not x.is_floating_point():
        x = x.to(floatx_dtype())
    if x.ndim not in ranks:
        raise ValueError(f"{op}: inputs must have rank {' or '.join(map(str, ranks))} "
                         f"(batch, spatial..., channels), received shape {tuple(x.shape)}.")
    return x


def _kernel(k, x, rank, op):
    k = as_tensor(k)
    if k.dtype != x.dtype:
        k = k.to(x.dtype)
    if k.ndim != rank:
        raise ValueError(f"{op}: the kernel must have rank {rank} for inputs of rank {rank}, "
                         f"received kernel shape {tuple(k.shape)}.")
    return k


_MEMORY_FORMATS = {4: torch.channels_last, 5: torch.channels_last_3d}


def _torch_weight(k, layout, make, fmt):
    """``make(k)``, the torch layout of kernel ``k``, as a contiguous tensor kept across
    calls that take no gradient for ``k`` (backends/torch/kept.py); ``layout`` names what
    ``make`` builds. For channels_last inputs the copy is channels_last in memory too, or
    oneDNN would convert it again on every call."""
    memory_format = _MEMORY_FORMATS.get(k.ndim, torch.contiguous_format) \
        if fmt == "channels_last" else torch.contiguous_format
    return kept((k,), (layout, memory_format),
                lambda k: make(k).contiguous(memory_format=memory_format))


def _conv_layout(k):
    """(spatial..., in, out) -> (out, in, spatial...); also (spatial..., out, in) -> (in, out,
    spatial...) for the transposed convolution, whose torch weight is (in, out, *k)."""
    n = k.ndim - 2
    return k.permute(n + 1, n, *range(n))


def _depthwise_layout(k):
    """(spatial..., in, multiplier) -> (in * multiplier, 1, spatial...): output channel
    c * multiplier + m comes from kernel[..., c, m], as in Keras."""
    n = k.ndim - 2
    return k.reshape(*k.shape[:n], -1).permute(n, *range(n)).unsqueeze(1)


def _same_pads(size, k, s, d):
    """(before, after) padding that gives ceil(size / s) outputs, as TensorFlow pads."""
    k_eff = (k - 1) * d + 1
    total = max((math.ceil(size / s) - 1) * s + k_eff - size, 0)
    return total // 2, total - total // 2


def _to_first(x, fmt):
    return x.movedim(-1, 1) if fmt == "channels_last" else x


def _from_first(y, fmt):
    return y.movedim(1, -1) if fmt == "channels_last" else y


def _padded(x, spatial_pads, value=0.0):
    """``x`` (channels_first) with asymmetric spatial padding; torch lists the last dim first."""
    flat = [p for pair in reversed(spatial_pads) for p in pair]
    return F.pad(x, flat, value=value) if any(flat) else x


def _conv_first(x, w, strides, padding, dilation, groups, bias=None):
    """Convolution of channels_first ``x`` with a torch-layout weight (out, in/groups, *k)."""
    n = x.ndim - 2
    pad = 0
    if padding == "same":
        pads = [_same_pads(x.shape[2 + i], w.shape[2 + i], strides[i], dilation[i])
                for i in range(n)]
        if all(a == b for a, b in pads):
            pad = tuple(a for a, _ in pads)
        else:
            x = _padded(x, pads)
    return _CONV[n](x, w, bias, strides, pad, dilation, groups)


# ---- convolutions ----

def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    """N-D convolution; the kernel is ``spatial + (in_channels / groups, out_channels)``."""
    return _conv("conv", inputs, kernel, None, strides, padding, data_format, dilation_rate)


def conv_bias(inputs, kernel, bias, strides=1, padding="valid", data_format=None,
              dilation_rate=1):
    """``conv(...) + bias`` in one kernel (contract.OPTIONAL; the ``Conv2D``/``Conv3D``
    layers use it): a separate add was a fifth of ResNet50's predict at batch 32."""
    return _conv("conv", inputs, kernel, bias, strides, padding, data_format, dilation_rate)


def _conv(op, inputs, kernel, bias, strides, padding, data_format, dilation_rate):
    x = _input(inputs, op)
    n = x.ndim - 2
    k = _kernel(kernel, x, x.ndim, op)
    fmt = _data_format(data_format, op)
    padding = _padding(padding, op)
    strides = _tuple(strides, n, "strides", op)
    dilation = _tuple(dilation_rate, n, "dilation_rate", op)
    x = _to_first(x, fmt)
    channels, k_in = x.shape[1], k.shape[-2]
    if channels % k_in:
        raise ValueError(f"{op}: the input has {channels} channels, which the kernel's "
                         f"{k_in} input channels do not divide (kernel shape {tuple(k.shape)}).")
    if bias is not None:
        bias = as_tensor(bias).to(x.dtype)
        if tuple(bias.shape) != (k.shape[-1],):
            raise ValueError(f"{op}: the bias must have shape ({k.shape[-1]},), one value per "
                             f"output channel; received shape {tuple(bias.shape)}.")
    w = _torch_weight(k, "conv", _conv_layout, fmt)
    y = _conv_first(x, w, strides, padding, dilation, channels // k_in, bias)
    return _from_first(y, fmt)


def _depthwise_first(x, k, strides, padding, dilation, op, fmt):
    n = x.ndim - 2
    channels = x.shape[1]
    if k.shape[-2] != channels:
        raise ValueError(f"{op}: the kernel's input channels ({k.shape[-2]}) must equal the "
                         f"input's channels ({channels}); kernel shape {tuple(k.shape)}.")
    w = _torch_weight(k, "depthwise", _depthwise_layout, fmt)
    return _conv_first(x, w, strides, padding, dilation, channels)


def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None,
                   dilation_rate=1):
    """Per-channel convolution; the kernel is ``spatial + (in_channels, multiplier)``."""
    op = "depthwise_conv"
    x = _input(inputs, op, ranks=(3, 4))
    n = x.ndim - 2
    k = _kernel(kernel, x, x.ndim, op)
    fmt = _data_format(data_format, op)
    y = _depthwise_first(_to_first(x, fmt), k, _tuple(strides, n, "strides", op),
                         _padding(padding, op), _tuple(dilation_rate, n, "dilation_rate", op),
                         op, fmt)
    return _from_first(y, fmt)


def separable_conv(inputs, depthwise_kernel, pointwise_kernel, strides=1, padding="valid",
                   data_format=None, dilation_rate=1):
    """A depthwise convolution followed by a 1x1 convolution mixing the channels."""
    op = "separable_conv"
    x = _input(inputs, op, ranks=(3, 4))
    n = x.ndim - 2
    dk = _kernel(depthwise_kernel, x, x.ndim, op)
    pk = _kernel(pointwise_kernel, x, x.ndim, op)
    fmt = _data_format(data_format, op)
    y = _depthwise_first(_to_first(x, fmt), dk, _tuple(strides, n, "strides", op),
                         _padding(padding, op), _tuple(dilation_rate, n, "dilation_rate", op),
                         op, fmt)
    if pk.shape[-2] != y.shape[1]:
        raise ValueError(f"{op}: the pointwise kernel expects {pk.shape[-2]} input channels, "
                         f"but the depthwise step gives {y.shape[1]}.")
    y = _CONV[n](y, _torch_weight(pk, "conv", _conv_layout, fmt))
    return _from_first(y, fmt)


def _transpose_pads(k, s, d, padding, output_padding):
    """(left, right) padding of the stride-dilated input, as Keras pads for JAX."""
    k_eff = (k - 1) * d + 1
    if padding == "valid":
        extra = max(k_eff, s) - k_eff if output_padding is None else output_padding
        return k_eff - 1, k_eff - 1 + extra
    pad_len = s + k_eff - 2 if output_padding is None else k_eff + k_eff % 2 - 2 + output_padding
    left = min(pad_len // 2 + pad_len % 2, k_eff - 1)
    return left, pad_len - left


def conv_transpose(inputs, kernel, strides=1, padding="valid", output_padding=None,
                   data_format=None, dilation_rate=1):
    """Transposed convolution; the kernel is ``spatial + (out_channels, in_channels)``."""
    op = "conv_transpose"
    x = _input(inputs, op)
    n = x.ndim - 2
    k = _kernel(kernel, x, x.ndim, op)
    fmt = _data_format(data_format, op)
    padding = _padding(padding, op)
    strides = _tuple(strides, n, "strides", op)
    dilation = _tuple(dilation_rate, n, "dilation_rate", op)
    out_pad = (None,) * n if output_padding is None else \
        _tuple(output_padding, n, "output_padding", op)
    x = _to_first(x, fmt)
    if x.shape[1] != k.shape[-1]:
        raise ValueError(f"{op}: the kernel's input channels ({k.shape[-1]}) must equal the "
                         f"input's channels ({x.shape[1]}); kernel shape {tuple(k.shape)}.")
    w = _torch_weight(k, "conv", _conv_layout, fmt)
    # The unpadded transposed convolution, then each spatial dim cut (or zero-extended)
    # to the window Keras' padding rule selects.
    y = _CONV_T[n](x, w, None, strides, 0, 0, 1, dilation)
    crops = []
    for i in range(n):
        size = x.shape[2 + i]
        k_eff = (k.shape[i] - 1) * dilation[i] + 1
        left, right = _transpose_pads(k.shape[i], strides[i], dilation[i], padding, out_pad[i])
        out = (size - 1) * strides[i] + 1 + left + right - k_eff + 1
        start = k_eff - 1 - left
        crops.append((-start, out - (y.shape[2 + i] - start)))
    return _from_first(_padded(y, crops), fmt)


# ---- pooling ----

def _pool_args(inputs, pool_size, strides, padding, data_format, op):
    x = _input(inputs, op)
    n = x.ndim - 2
    pool = _tuple(pool_size, n, "pool_size", op)
    strides = pool if strides is None else _tuple(strides, n, "strides", op)
    fmt = _data_format(data_format, op)
    x = _to_first(x, fmt)
    pads = None
    if _padding(padding, op) == "same":
        pads = [_same_pads(x.shape[2 + i], pool[i], strides[i], 1) for i in range(n)]
        if not any(a or b for a, b in pads):
            pads = None
    return x, n, pool, strides, fmt, pads


def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """Maximum over windows of ``pool_size``; ``strides`` default to ``pool_size``."""
    x, n, pool, strides, fmt, pads = _pool_args(inputs, pool_size, strides, padding,
                                                data_format, "max_pool")
    if pads is not None:
        x = _padded(x, pads, value=-math.inf)
    return _from_first(_MAX[n](x, pool, strides), fmt)


def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """Mean over windows; with 'same' padding the padded positions are not counted."""
    x, n, pool, strides, fmt, pads = _pool_args(inputs, pool_size, strides, padding,
                                                data_format, "average_pool")
    if pads is None:
        return _from_first(_AVG[n](x, pool, strides), fmt)
    # Zero padding is averaged in, then divided out by the share of real positions.
    ones = torch.ones((1, 1) + tuple(x.shape[2:]), dtype=x.dtype, device=x.device)
    share = _AVG[n](_padded(ones, pads), pool, strides)
    return _from_first(_AVG[n](_padded(x, pads), pool, strides) / share, fmt)
