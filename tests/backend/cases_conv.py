"""Conformance cases for ``contract.CONV_OPS`` (keras.ops.conv and friends).

The NumPy references below compute each op from its definition (a sum over kernel taps),
in float64, for channels_last inputs; channels_first cases transpose around them.
"""
import itertools
import math

import numpy as np

from cases_core import case, f32

_rng = np.random.default_rng(11)


def _u(*shape):
    return _rng.uniform(-1, 1, shape).astype(f32)


def _same_pads(size, k, s, d=1):
    k_eff = (k - 1) * d + 1
    total = max((math.ceil(size / s) - 1) * s + k_eff - size, 0)
    return total // 2, total - total // 2


def _tup(v, n):
    return (v,) * n if isinstance(v, int) else tuple(v)


def np_conv(x, k, strides=1, padding="valid", dilation=1):
    """Grouped N-D convolution of channels_last ``x`` with a Keras-layout kernel."""
    x, k = x.astype(np.float64), k.astype(np.float64)
    n = x.ndim - 2
    strides, dilation = _tup(strides, n), _tup(dilation, n)
    if padding == "same":
        pads = [_same_pads(x.shape[1 + i], k.shape[i], strides[i], dilation[i])
                for i in range(n)]
        x = np.pad(x, [(0, 0)] + pads + [(0, 0)])
    k_in, filters = k.shape[-2:]
    groups = x.shape[-1] // k_in
    out = [(x.shape[1 + i] - (k.shape[i] - 1) * dilation[i] - 1) // strides[i] + 1
           for i in range(n)]
    y = np.zeros([x.shape[0]] + out + [filters])
    per = filters // groups
    for tap in itertools.product(*[range(s) for s in k.shape[:n]]):
        window = x[(slice(None),) + tuple(
            slice(t * d, t * d + (o - 1) * s + 1, s)
            for t, d, o, s in zip(tap, dilation, out, strides))]
        for g in range(groups):
            y[..., g * per:(g + 1) * per] += window[..., g * k_in:(g + 1) * k_in] @ \
                k[tap][:, g * per:(g + 1) * per]
    return y


def np_depthwise(x, k, strides=1, padding="valid", dilation=1):
    """Depthwise conv: a grouped conv whose kernel is (..., 1, channels * multiplier)."""
    return np_conv(x, k.reshape(k.shape[:-2] + (1, -1)), strides, padding, dilation)


def np_conv_transpose(x, k, strides=1, padding="valid", output_padding=None, dilation=1):
    """Scatter each input position through the kernel, then cut Keras' output window."""
    x, k = x.astype(np.float64), k.astype(np.float64)
    n = x.ndim - 2
    strides, dilation = _tup(strides, n), _tup(dilation, n)
    out_pad = (None,) * n if output_padding is None else _tup(output_padding, n)
    k_eff = [(k.shape[i] - 1) * dilation[i] + 1 for i in range(n)]
    full = [(x.shape[1 + i] - 1) * strides[i] + k_eff[i] for i in range(n)]
    y = np.zeros([x.shape[0]] + full + [k.shape[-2]])
    for tap in itertools.product(*[range(s) for s in k.shape[:n]]):
        target = (slice(None),) + tuple(
            slice(t * d, t * d + (size - 1) * s + 1, s)
            for t, d, size, s in zip(tap, dilation, x.shape[1:-1], strides))
        y[target] += x @ k[tap].T
    window = [slice(None)]
    for i in range(n):
        size, s, ke, op = x.shape[1 + i], strides[i], k_eff[i], out_pad[i]
        if padding == "valid":
            length = (size - 1) * s + ke + (max(ke, s) - ke if op is None else op)
            left = ke - 1
        else:
            length = size * s if op is None else (size - 1) * s + ke % 2 + op
            pad_len = s + ke - 2 if op is None else ke + ke % 2 - 2 + op
            left = min(pad_len // 2 + pad_len % 2, ke - 1)
        start = ke - 1 - left
        if start + length > y.shape[1 + i]:
            extra = start + length - y.shape[1 + i]
            y = np.pad(y, [(0, 0)] * (1 + i) + [(0, extra)] + [(0, 0)] * (n - i))
        window.append(slice(start, start + length))
    return y[tuple(window)]


def np_pool(x, pool, strides=None, padding="valid", kind="max"):
    """Max or mean over windows; padded positions never count."""
    x = x.astype(np.float64)
    n = x.ndim - 2
    pool = _tup(pool, n)
    strides = pool if strides is None else _tup(strides, n)
    if padding == "same":
        pads = [_same_pads(x.shape[1 + i], pool[i], strides[i]) for i in range(n)]
        x = np.pad(x, [(0, 0)] + pads + [(0, 0)], constant_values=np.nan)
    out = [(x.shape[1 + i] - pool[i]) // strides[i] + 1 for i in range(n)]
    windows = np.stack([
        x[(slice(None),) + tuple(slice(t, t + (o - 1) * s + 1, s)
                                 for t, o, s in zip(tap, out, strides))]
        for tap in itertools.product(*[range(p) for p in pool])])
    return np.nanmax(windows, 0) if kind == "max" else np.nanmean(windows, 0)


def _first(a):
    """channels_last -> channels_first."""
    return np.moveaxis(a, -1, 1)


def r(a):
    return np.asarray(a).astype(f32)


X1 = _u(2, 9, 4)          # (batch, width, channels)
X2 = _u(2, 7, 6, 4)       # (batch, height, width, channels)
X3 = _u(1, 5, 4, 6, 2)    # (batch, depth, height, width, channels)
XI = _rng.integers(-5, 5, (2, 6, 3)).astype(np.int32)
K1 = _u(3, 4, 5)
K2 = _u(3, 2, 4, 5)
K2G = _u(3, 3, 2, 6)      # two groups of 2 input channels
K3 = _u(2, 3, 2, 2, 3)
DK1 = _u(3, 4, 2)         # depthwise kernels: (..., channels, multiplier)
DK2 = _u(3, 3, 4, 2)
PK1 = _u(1, 8, 5)         # pointwise kernels: (1..., channels * multiplier, filters)
PK2 = _u(1, 1, 8, 5)
TK1 = _u(3, 5, 4)         # transposed kernels: (..., filters, in_channels)
TK2 = _u(3, 2, 3, 4)
TK3 = _u(2, 2, 3, 3, 2)
TOL = {"rtol": 1e-5, "atol": 1e-5}  # float32 sums of up to 48 products

CASES = [
    case("conv", "1d_valid", X1, K1, expected=r(np_conv(X1, K1)), **TOL),
    case("conv", "1d_same_stride2", X1, K1, strides=2, padding="same",
         expected=r(np_conv(X1, K1, 2, "same")), **TOL),
    case("conv", "1d_dilation2_same", X1, K1, padding="same", dilation_rate=2,
         expected=r(np_conv(X1, K1, 1, "same", 2)), **TOL),
    case("conv", "2d_valid", X2, K2, expected=r(np_conv(X2, K2)), **TOL),
    case("conv", "2d_same_strides", X2, K2, strides=(2, 1), padding="same",
         expected=r(np_conv(X2, K2, (2, 1), "same")), **TOL),
    case("conv", "2d_same_asymmetric_pad", X2, K2, strides=2, padding="SAME",
         expected=r(np_conv(X2, K2, 2, "same")), **TOL),
    case("conv", "2d_dilation", X2, K2, dilation_rate=(2, 1),
         expected=r(np_conv(X2, K2, 1, "valid", (2, 1))), **TOL),
    case("conv", "2d_groups", X2, K2G, padding="same",
         expected=r(np_conv(X2, K2G, 1, "same")), **TOL),
    case("conv", "2d_channels_first", _first(X2), K2, strides=2, padding="same",
         data_format="channels_first",
         expected=r(_first(np_conv(X2, K2, 2, "same"))), **TOL),
    case("conv", "3d_same", X3, K3, padding="same", expected=r(np_conv(X3, K3, 1, "same")),
         **TOL),
    case("conv", "3d_channels_first_strides", _first(X3), K3, strides=(1, 2, 2),
         data_format="channels_first",
         expected=r(_first(np_conv(X3, K3, (1, 2, 2)))), **TOL),

    case("depthwise_conv", "1d", X1, DK1, expected=r(np_depthwise(X1, DK1)), **TOL),
    case("depthwise_conv", "1d_same_stride2", X1, DK1, strides=2, padding="same",
         expected=r(np_depthwise(X1, DK1, 2, "same")), **TOL),
    case("depthwise_conv", "2d_same", X2, DK2, padding="same",
         expected=r(np_depthwise(X2, DK2, 1, "same")), **TOL),
    case("depthwise_conv", "2d_dilation", X2, DK2, dilation_rate=2,
         expected=r(np_depthwise(X2, DK2, 1, "valid", 2)), **TOL),
    case("depthwise_conv", "2d_channels_first_strides", _first(X2), DK2, strides=2,
         data_format="channels_first",
         expected=r(_first(np_depthwise(X2, DK2, 2))), **TOL),

    case("separable_conv", "1d_same", X1, DK1, PK1, padding="same",
         expected=r(np_conv(np_depthwise(X1, DK1, 1, "same"), PK1)), **TOL),
    case("separable_conv", "2d_strides", X2, DK2, PK2, strides=2,
         expected=r(np_conv(np_depthwise(X2, DK2, 2), PK2)), **TOL),
    case("separable_conv", "2d_channels_first", _first(X2), DK2, PK2, padding="same",
         data_format="channels_first",
         expected=r(_first(np_conv(np_depthwise(X2, DK2, 1, "same"), PK2))), **TOL),

    case("conv_transpose", "1d_valid", X1, TK1, expected=r(np_conv_transpose(X1, TK1)), **TOL),
    case("conv_transpose", "1d_same_stride2", X1, TK1, strides=2, padding="same",
         expected=r(np_conv_transpose(X1, TK1, 2, "same")), **TOL),
    case("conv_transpose", "1d_valid_stride_beyond_kernel", X1, TK1, strides=4,
         expected=r(np_conv_transpose(X1, TK1, 4)), **TOL),
    case("conv_transpose", "1d_output_padding", X1, TK1, strides=2, padding="same",
         output_padding=1, expected=r(np_conv_transpose(X1, TK1, 2, "same", 1)), **TOL),
    case("conv_transpose", "1d_dilation", X1, TK1, padding="same", dilation_rate=2,
         expected=r(np_conv_transpose(X1, TK1, 1, "same", None, 2)), **TOL),
    case("conv_transpose", "2d_valid_strides", X2, TK2, strides=(2, 3),
         expected=r(np_conv_transpose(X2, TK2, (2, 3))), **TOL),
    case("conv_transpose", "2d_same_even_kernel", X2, TK2, strides=2, padding="same",
         expected=r(np_conv_transpose(X2, TK2, 2, "same")), **TOL),
    case("conv_transpose", "2d_channels_first", _first(X2), TK2, strides=2, padding="same",
         output_padding=(0, 1), data_format="channels_first",
         expected=r(_first(np_conv_transpose(X2, TK2, 2, "same", (0, 1)))), **TOL),
    case("conv_transpose", "3d_same", X3, TK3, strides=2, padding="same",
         expected=r(np_conv_transpose(X3, TK3, 2, "same")), **TOL),

    case("max_pool", "1d", X1, 2, expected=r(np_pool(X1, 2))),
    case("max_pool", "1d_same_stride1", X1, 3, strides=1, padding="same",
         expected=r(np_pool(X1, 3, 1, "same"))),
    case("max_pool", "2d_same", X2, (2, 2), padding="same",
         expected=r(np_pool(X2, 2, None, "same"))),
    case("max_pool", "2d_strides", X2, (3, 2), strides=(2, 1),
         expected=r(np_pool(X2, (3, 2), (2, 1)))),
    case("max_pool", "2d_channels_first", _first(X2), 2, padding="same",
         data_format="channels_first", expected=r(_first(np_pool(X2, 2, None, "same")))),
    case("max_pool", "3d", X3, 2, expected=r(np_pool(X3, 2))),
    case("max_pool", "int_input_gives_floatx", XI, 2, expected=r(np_pool(XI, 2))),
    case("average_pool", "int_input_gives_floatx", XI, 2, expected=r(np_pool(XI, 2, kind="avg"))),
    case("average_pool", "1d", X1, 2, expected=r(np_pool(X1, 2, kind="avg"))),
    case("average_pool", "1d_same_stride1", X1, 3, strides=1, padding="same",
         expected=r(np_pool(X1, 3, 1, "same", "avg"))),
    case("average_pool", "2d_same", X2, (2, 2), padding="same",
         expected=r(np_pool(X2, 2, None, "same", "avg"))),
    case("average_pool", "2d_strides", X2, (3, 2), strides=(2, 1),
         expected=r(np_pool(X2, (3, 2), (2, 1), kind="avg"))),
    case("average_pool", "2d_channels_first_same", _first(X2), 3, strides=2, padding="same",
         data_format="channels_first",
         expected=r(_first(np_pool(X2, 3, 2, "same", "avg")))),
    case("average_pool", "3d_same", X3, 2, padding="same",
         expected=r(np_pool(X3, 2, None, "same", "avg"))),
]
