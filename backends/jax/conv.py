"""Conv and pooling kernels on JAX (contract.CONV_OPS), on jax.lax.

Kernels are laid out as Keras stores them: spatial dims first, then (in, out) channels
(``conv``), (in, multiplier) (``depthwise_conv``) or (out, in) (``conv_transpose``).
Both data formats run natively: the layout is given to XLA as dimension numbers.
"""
import math

import jax.numpy as jnp
import numpy as np
from jax import lax

from kfront.backend.conv_args import normalize_data_format as _data_format
from kfront.backend.conv_args import normalize_padding as _padding
from kfront.backend.conv_args import normalize_tuple as _tuple
from kfront.backends.jax.core import convert_to_tensor, floatx_dtype

__all__ = ["conv", "depthwise_conv", "separable_conv", "conv_transpose", "max_pool",
           "average_pool"]

_SPATIAL = {1: "W", 2: "HW", 3: "DHW"}


# ---- input checks (argument checks live in kfront.backend.conv_args) ----

def _input(x, op, ranks=(3, 4, 5)):
    x = convert_to_tensor(x)
    if not jnp.issubdtype(x.dtype, jnp.floating):
        x = x.astype(floatx_dtype())
    if x.ndim not in ranks:
        raise ValueError(f"{op}: inputs must have rank {' or '.join(map(str, ranks))} "
                         f"(batch, spatial..., channels), received shape {tuple(x.shape)}.")
    return x


def _kernel(k, x, op):
    k = convert_to_tensor(k)
    if k.dtype != x.dtype:
        k = k.astype(x.dtype)
    if k.ndim != x.ndim:
        raise ValueError(f"{op}: the kernel must have rank {x.ndim} for inputs of rank "
                         f"{x.ndim}, received kernel shape {tuple(k.shape)}.")
    return k


def _layout(n, fmt):
    s = _SPATIAL[n]
    return "NC" + s if fmt == "channels_first" else "N" + s + "C"


def _channels(x, fmt):
    return x.shape[1] if fmt == "channels_first" else x.shape[-1]


def _conv(x, k, strides, padding, dilation, fmt, groups, kernel_spec="IO"):
    lhs = _layout(x.ndim - 2, fmt)
    dims = lax.conv_dimension_numbers(x.shape, k.shape,
                                      (lhs, _SPATIAL[x.ndim - 2] + kernel_spec, lhs))
    return lax.conv_general_dilated(x, k, strides, padding.upper(), rhs_dilation=dilation,
                                    dimension_numbers=dims, feature_group_count=groups)


# ---- convolutions ----

def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    """N-D convolution; the kernel is ``spatial + (in_channels / groups, out_channels)``."""
    op = "conv"
    x = _input(inputs, op)
    n = x.ndim - 2
    k = _kernel(kernel, x, op)
    fmt = _data_format(data_format, op)
    channels, k_in = _channels(x, fmt), k.shape[-2]
    if channels % k_in:
        raise ValueError(f"{op}: the input has {channels} channels, which the kernel's "
                         f"{k_in} input channels do not divide (kernel shape {tuple(k.shape)}).")
    return _conv(x, k, _tuple(strides, n, "strides", op), _padding(padding, op),
                 _tuple(dilation_rate, n, "dilation_rate", op), fmt, channels // k_in)


def _depthwise(x, k, strides, padding, dilation, fmt, op):
    n = x.ndim - 2
    channels = _channels(x, fmt)
    if k.shape[-2] != channels:
        raise ValueError(f"{op}: the kernel's input channels ({k.shape[-2]}) must equal the "
                         f"input's channels ({channels}); kernel shape {tuple(k.shape)}.")
    # Output channel c * multiplier + m comes from kernel[..., c, m], as in Keras.
    w = k.reshape(k.shape[:n] + (1, -1))
    return _conv(x, w, _tuple(strides, n, "strides", op), _padding(padding, op),
                 _tuple(dilation, n, "dilation_rate", op), fmt, channels)


def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None,
                   dilation_rate=1):
    """Per-channel convolution; the kernel is ``spatial + (in_channels, multiplier)``."""
    op = "depthwise_conv"
    x = _input(inputs, op, ranks=(3, 4))
    return _depthwise(x, _kernel(kernel, x, op), strides, padding, dilation_rate,
                      _data_format(data_format, op), op)


def separable_conv(inputs, depthwise_kernel, pointwise_kernel, strides=1, padding="valid",
                   data_format=None, dilation_rate=1):
    """A depthwise convolution followed by a 1x1 convolution mixing the channels."""
    op = "separable_conv"
    x = _input(inputs, op, ranks=(3, 4))
    fmt = _data_format(data_format, op)
    y = _depthwise(x, _kernel(depthwise_kernel, x, op), strides, padding, dilation_rate, fmt, op)
    pk = _kernel(pointwise_kernel, x, op)
    if pk.shape[-2] != _channels(y, fmt):
        raise ValueError(f"{op}: the pointwise kernel expects {pk.shape[-2]} input channels, "
                         f"but the depthwise step gives {_channels(y, fmt)}.")
    n = x.ndim - 2
    return _conv(y, pk, (1,) * n, "valid", (1,) * n, fmt, 1)


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
    k = _kernel(kernel, x, op)
    fmt = _data_format(data_format, op)
    padding = _padding(padding, op)
    strides = _tuple(strides, n, "strides", op)
    dilation = _tuple(dilation_rate, n, "dilation_rate", op)
    out_pad = (None,) * n if output_padding is None else \
        _tuple(output_padding, n, "output_padding", op)
    if _channels(x, fmt) != k.shape[-1]:
        raise ValueError(f"{op}: the kernel's input channels ({k.shape[-1]}) must equal the "
                         f"input's channels ({_channels(x, fmt)}); kernel shape "
                         f"{tuple(k.shape)}.")
    pads = [_transpose_pads(k.shape[i], strides[i], dilation[i], padding, out_pad[i])
            for i in range(n)]
    lhs = _layout(n, fmt)
    dims = lax.conv_dimension_numbers(x.shape, k.shape, (lhs, _SPATIAL[n] + "OI", lhs))
    # The gradient of a strided convolution: dilate the input, convolve with the
    # spatially flipped kernel.
    flipped = jnp.flip(k, axis=tuple(range(n)))
    return lax.conv_general_dilated(x, flipped, (1,) * n, pads, lhs_dilation=strides,
                                    rhs_dilation=dilation, dimension_numbers=dims)


# ---- pooling ----

def _pool_args(inputs, pool_size, strides, padding, data_format, op):
    x = _input(inputs, op)
    n = x.ndim - 2
    pool = _tuple(pool_size, n, "pool_size", op)
    strides = pool if strides is None else _tuple(strides, n, "strides", op)
    fmt = _data_format(data_format, op)
    if fmt == "channels_first":
        window, steps = (1, 1) + pool, (1, 1) + strides
    else:
        window, steps = (1,) + pool + (1,), (1,) + strides + (1,)
    return x, window, steps, _padding(padding, op).upper()


def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """Maximum over windows of ``pool_size``; ``strides`` default to ``pool_size``."""
    x, window, steps, padding = _pool_args(inputs, pool_size, strides, padding, data_format,
                                           "max_pool")
    return lax.reduce_window(x, np.array(-np.inf, x.dtype), lax.max, window, steps, padding)


def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """Mean over windows; with 'same' padding the padded positions are not counted."""
    x, window, steps, padding = _pool_args(inputs, pool_size, strides, padding, data_format,
                                           "average_pool")
    sums = lax.reduce_window(x, np.array(0, x.dtype), lax.add, window, steps, padding)
    if padding == "VALID":
        return sums / math.prod(window)
    # How many real positions each window covers: the same sum over ones, computed on
    # the host from static shapes.
    shape = tuple(d if w > 1 or s > 1 else 1 for d, w, s in zip(x.shape, window, steps))
    counts = lax.reduce_window(np.ones(shape, x.dtype), np.array(0, x.dtype), lax.add,
                               window, steps, padding)
    return sums / counts
