"""Conv and pooling kernels on TensorFlow (contract.CONV_OPS), on tf.nn.

Kernels are laid out as Keras stores them: spatial dims first, then (in, out) channels
(``conv``), (in, multiplier) (``depthwise_conv``) or (out, in) (``conv_transpose``), which
is also tf.nn's layout. TensorFlow's CPU kernels only take channels_last, so
channels_first inputs are moved around the kernel.
"""

import tensorflow as tf

from kfront.backend.conv_args import normalize_data_format as _data_format
from kfront.backend.conv_args import normalize_padding as _padding
from kfront.backend.conv_args import normalize_tuple as _tuple
from kfront.backends.tensorflow.core import convert_to_tensor, floatx

__all__ = ["conv", "depthwise_conv", "separable_conv", "conv_transpose", "max_pool",
           "average_pool"]


# ---- input checks (argument checks live in kfront.backend.conv_args) ----

def _input(x, op, ranks=(3, 4, 5)):
    x = convert_to_tensor(x)
    if not x.dtype.is_floating:
        x = tf.cast(x, floatx())
    if x.shape.rank not in ranks:
        raise ValueError(f"{op}: inputs must have rank {' or '.join(map(str, ranks))} "
                         f"(batch, spatial..., channels), received shape {tuple(x.shape)}.")
    return x


def _kernel(k, x, op):
    k = convert_to_tensor(k)
    if k.dtype != x.dtype:
        k = tf.cast(k, x.dtype)
    if k.shape.rank != x.shape.rank:
        raise ValueError(f"{op}: the kernel must have rank {x.shape.rank} for inputs of rank "
                         f"{x.shape.rank}, received kernel shape {tuple(k.shape)}.")
    return k


def _to_last(x, fmt):
    if fmt == "channels_last":
        return x
    n = x.shape.rank
    return tf.transpose(x, (0,) + tuple(range(2, n)) + (1,))


def _from_last(y, fmt):
    if fmt == "channels_last":
        return y
    n = y.shape.rank
    return tf.transpose(y, (0, n - 1) + tuple(range(1, n - 1)))


_LAST = {3: "NWC", 4: "NHWC", 5: "NDHWC"}


def _convolution(x, k, strides, padding, dilation):
    # The layout is named: the eager gradient of Conv3D reads it from the op.
    return tf.nn.convolution(x, k, strides, padding.upper(), data_format=_LAST[x.shape.rank],
                             dilations=dilation)


def _conv_last(x, k, strides, padding, dilation, groups):
    if groups == 1:
        return _convolution(x, k, strides, padding, dilation)
    # Grouped convolution has no CPU gradient kernel in graph mode: one conv per group.
    xs = tf.split(x, groups, axis=-1)
    ks = tf.split(k, groups, axis=-1)
    return tf.concat([_convolution(a, b, strides, padding, dilation)
                      for a, b in zip(xs, ks)], axis=-1)


# ---- convolutions ----

def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    """N-D convolution; the kernel is ``spatial + (in_channels / groups, out_channels)``."""
    op = "conv"
    x = _input(inputs, op)
    n = x.shape.rank - 2
    k = _kernel(kernel, x, op)
    fmt = _data_format(data_format, op)
    padding = _padding(padding, op)
    x = _to_last(x, fmt)
    channels, k_in = x.shape[-1], k.shape[-2]
    if channels % k_in:
        raise ValueError(f"{op}: the input has {channels} channels, which the kernel's "
                         f"{k_in} input channels do not divide (kernel shape {tuple(k.shape)}).")
    y = _conv_last(x, k, _tuple(strides, n, "strides", op), padding,
                   _tuple(dilation_rate, n, "dilation_rate", op), channels // k_in)
    return _from_last(y, fmt)


def _depthwise_last(x, k, strides, padding, dilation, op):
    n = x.shape.rank - 2
    channels = x.shape[-1]
    if k.shape[-2] != channels:
        raise ValueError(f"{op}: the kernel's input channels ({k.shape[-2]}) must equal the "
                         f"input's channels ({channels}); kernel shape {tuple(k.shape)}.")
    strides = _tuple(strides, n, "strides", op)
    dilation = _tuple(dilation, n, "dilation_rate", op)
    if n == 1:
        # tf.nn has only a 2-D depthwise kernel: a 1-D input is an image of height 1.
        # The kernel wants equal strides on both axes; on a height of 1 any stride gives 1.
        y = tf.nn.depthwise_conv2d(x[:, None], k[None], (1,) + strides * 2 + (1,),
                                   padding.upper(), dilations=dilation * 2)
        return y[:, 0]
    return tf.nn.depthwise_conv2d(x, k, (1,) + strides + (1,), padding.upper(),
                                  dilations=dilation)


def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None,
                   dilation_rate=1):
    """Per-channel convolution; the kernel is ``spatial + (in_channels, multiplier)``."""
    op = "depthwise_conv"
    x = _input(inputs, op, ranks=(3, 4))
    k = _kernel(kernel, x, op)
    fmt = _data_format(data_format, op)
    y = _depthwise_last(_to_last(x, fmt), k, strides, _padding(padding, op), dilation_rate, op)
    return _from_last(y, fmt)


def separable_conv(inputs, depthwise_kernel, pointwise_kernel, strides=1, padding="valid",
                   data_format=None, dilation_rate=1):
    """A depthwise convolution followed by a 1x1 convolution mixing the channels."""
    op = "separable_conv"
    x = _input(inputs, op, ranks=(3, 4))
    fmt = _data_format(data_format, op)
    y = _depthwise_last(_to_last(x, fmt), _kernel(depthwise_kernel, x, op), strides,
                        _padding(padding, op), dilation_rate, op)
    pk = _kernel(pointwise_kernel, x, op)
    if pk.shape[-2] != y.shape[-1]:
        raise ValueError(f"{op}: the pointwise kernel expects {pk.shape[-2]} input channels, "
                         f"but the depthwise step gives {y.shape[-1]}.")
    return _from_last(_convolution(y, pk, 1, "valid", 1), fmt)


def _transpose_pads(k, s, d, padding, output_padding):
    """(left, right) padding of the stride-dilated input, as Keras pads for JAX."""
    k_eff = (k - 1) * d + 1
    if padding == "valid":
        extra = max(k_eff, s) - k_eff if output_padding is None else output_padding
        return k_eff - 1, k_eff - 1 + extra
    pad_len = s + k_eff - 2 if output_padding is None else k_eff + k_eff % 2 - 2 + output_padding
    left = min(pad_len // 2 + pad_len % 2, k_eff - 1)
    return left, pad_len - left


def _dilate(x, axis, s):
    """``x`` with ``s - 1`` zeros between neighbours along ``axis``."""
    if s == 1:
        return x
    size = x.shape[axis]
    stacked = tf.stack([x] + [tf.zeros_like(x)] * (s - 1), axis=axis + 1)
    shape = tf.concat([tf.shape(x)[:axis], [size * s], tf.shape(x)[axis + 1:]], 0)
    out = tf.reshape(stacked, shape)
    return tf.gather(out, tf.range((size - 1) * s + 1), axis=axis)


def conv_transpose(inputs, kernel, strides=1, padding="valid", output_padding=None,
                   data_format=None, dilation_rate=1):
    """Transposed convolution; the kernel is ``spatial + (out_channels, in_channels)``."""
    op = "conv_transpose"
    x = _input(inputs, op)
    n = x.shape.rank - 2
    k = _kernel(kernel, x, op)
    fmt = _data_format(data_format, op)
    padding = _padding(padding, op)
    strides = _tuple(strides, n, "strides", op)
    dilation = _tuple(dilation_rate, n, "dilation_rate", op)
    out_pad = (None,) * n if output_padding is None else \
        _tuple(output_padding, n, "output_padding", op)
    x = _to_last(x, fmt)
    if x.shape[-1] != k.shape[-1]:
        raise ValueError(f"{op}: the kernel's input channels ({k.shape[-1]}) must equal the "
                         f"input's channels ({x.shape[-1]}); kernel shape {tuple(k.shape)}.")
    # (left, right) padding of the stride-dilated input, both >= 0 and left < k_eff.
    pads = [_transpose_pads(k.shape[i], strides[i], dilation[i], padding, out_pad[i])
            for i in range(n)]
    k_eff = [(k.shape[i] - 1) * dilation[i] + 1 for i in range(n)]
    if max(dilation) == 1:
        # The native kernel computes the unpadded result; each spatial dim is then cut
        # (or zero-extended) to the window Keras' padding rule selects.
        dims = tf.shape(x)
        full = [(dims[1 + i] - 1) * strides[i] + k_eff[i] for i in range(n)]
        out_shape = tf.stack([dims[0]] + full + [k.shape[-2]])
        y = tf.nn.conv_transpose(x, k, out_shape, strides, "VALID",
                                 data_format=_LAST[x.shape.rank])
        begin = [k_eff[i] - 1 - pads[i][0] for i in range(n)]
        ends = [pads[i][1] - (k_eff[i] - 1) for i in range(n)]
        y = y[(slice(None),) + tuple(slice(b, e if e < 0 else None)
                                     for b, e in zip(begin, ends))]
        if any(e > 0 for e in ends):
            y = tf.pad(y, [[0, 0]] + [[0, max(e, 0)] for e in ends] + [[0, 0]])
    else:
        # The CPU kernel has no dilation: dilate the input, pad it, and convolve with the
        # spatially flipped kernel.
        for i in range(n):
            x = _dilate(x, 1 + i, strides[i])
        x = tf.pad(x, [[0, 0]] + [list(p) for p in pads] + [[0, 0]])
        w = tf.transpose(tf.reverse(k, list(range(n))), list(range(n)) + [n + 1, n])
        y = _convolution(x, w, 1, "valid", dilation)
    return _from_last(y, fmt)


# ---- pooling ----

def _pool(inputs, pool_size, strides, padding, data_format, op, fn):
    x = _input(inputs, op)
    n = x.shape.rank - 2
    pool = _tuple(pool_size, n, "pool_size", op)
    strides = pool if strides is None else _tuple(strides, n, "strides", op)
    fmt = _data_format(data_format, op)
    padding = _padding(padding, op)
    x = _to_last(x, fmt)
    y = fn(x, pool, strides, padding.upper(), data_format=_LAST[x.shape.rank])
    return _from_last(y, fmt)


def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """Maximum over windows of ``pool_size``; ``strides`` default to ``pool_size``."""
    return _pool(inputs, pool_size, strides, padding, data_format, "max_pool", tf.nn.max_pool)


def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """Mean over windows; with 'same' padding the padded positions are not counted."""
    return _pool(inputs, pool_size, strides, padding, data_format, "average_pool",
                 tf.nn.avg_pool)
