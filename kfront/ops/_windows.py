"""Window rearrangements behind ``kfront.ops.nn``'s adaptive pooling, ``unfold``/``fold`` and
``depth_to_space``/``space_to_depth``, written against the ``kfront.ops`` namespace ``ops``.

Window positions are fixed by the static shapes, so they are computed here in NumPy and
reach the engine as constant gather indices, reshapes and pads.
"""
import numpy as np

from kfront import config


def _data_format(owner, data_format):
    value = config.image_data_format() if data_format is None else data_format
    if value not in ("channels_last", "channels_first"):
        raise ValueError(f"{owner}: `data_format` must be 'channels_last' or 'channels_first'. "
                         f"Received: data_format={data_format!r}")
    return value


def _ints(owner, name, value, n, low):
    """``value`` (an int or n ints) as n ints >= ``low``; a ValueError naming ``name``."""
    items = (value,) * n if isinstance(value, (int, np.integer)) else value
    try:
        items = tuple(items)
    except TypeError:
        items = ()
    if (len(items) != n or any(isinstance(v, bool) or not isinstance(v, (int, np.integer))
                               for v in items) or any(v < low for v in items)):
        raise ValueError(f"{owner}: `{name}` must be an int or a tuple of {n} ints >= {low}. "
                         f"Received: {name}={value!r}")
    return tuple(int(v) for v in items)


def _shape(ops, x):
    return tuple(ops.shape(x))


def _reshape(ops, x, shape):
    """Reshape with an unknown (symbolic) batch size kept as -1."""
    shape = list(shape)
    if shape and shape[0] is None:
        shape[0] = -1
    return ops.reshape(x, shape)


# ---------------------------------------------------------------------------------------------
# Adaptive pooling.

def adaptive_windows(length, out):
    """Per output position: the first input index and the window size (PyTorch's rule)."""
    i = np.arange(out)
    starts = (i * length) // out
    ends = -((-(i + 1) * length) // out)  # ceil division
    return starts, ends - starts


def _pool_axis(ops, x, axis, out, mode):
    shape = _shape(ops, x)
    length = shape[axis]
    if length % out == 0:
        # Equal windows: a reshape, no gather.
        pooled = _reshape(ops, x, shape[:axis] + (out, length // out) + shape[axis + 1:])
    else:
        starts, sizes = adaptive_windows(length, out)
        widest = int(sizes.max())
        offsets = np.arange(widest)
        valid = offsets[None, :] < sizes[:, None]
        # Past a window's end the index repeats the window's first element: it cannot change
        # a max, and the mean below gives it zero weight.
        index = np.where(valid, starts[:, None] + offsets[None, :], starts[:, None])
        gathered = ops.take(x, ops.convert_to_tensor(index.reshape(-1).astype("int32")),
                            axis=axis)
        pooled = _reshape(ops, gathered, shape[:axis] + (out, widest) + shape[axis + 1:])
        if mode == "average":
            weights = (valid / sizes[:, None]).reshape(
                (out, widest) + (1,) * (len(shape) - axis - 1))
            weights = ops.convert_to_tensor(weights.astype(ops.dtype(x)))
            return ops.sum(pooled * weights, axis=axis + 1)
    if mode == "average":
        return ops.mean(pooled, axis=axis + 1)
    return ops.max(pooled, axis=axis + 1)


def adaptive_pool(ops, inputs, output_size, data_format, mode):
    owner = f"adaptive_{mode}_pool"
    x = ops.convert_to_tensor(inputs)
    if mode == "average" and "float" not in ops.dtype(x):
        x = ops.cast(x, config.floatx())
    shape = _shape(ops, x)
    rank = len(shape) - 2
    if rank not in (1, 2, 3):
        raise ValueError(f"{owner}: expected an input of rank 3, 4 or 5 (batch, 1 to 3 spatial "
                         f"dims, channels). Received: inputs.shape={shape}")
    data_format = _data_format(owner, data_format)
    output_size = _ints(owner, "output_size", output_size, rank, 1)
    first = 1 if data_format == "channels_last" else 2
    for k, out in enumerate(output_size):
        axis = first + k
        if shape[axis] is None:
            raise ValueError(f"{owner}: spatial dims must be known. Received: "
                             f"inputs.shape={shape}")
        x = _pool_axis(ops, x, axis, out, mode)
    return x


# ---------------------------------------------------------------------------------------------
# unfold / fold (im2col / col2im), channels first.

def _fold_args(owner, kernel_size, dilation, padding, stride):
    return (_ints(owner, "kernel_size", kernel_size, 2, 1), _ints(owner, "dilation", dilation, 2, 1),
            _ints(owner, "padding", padding, 2, 0), _ints(owner, "stride", stride, 2, 1))


def _blocks(size, k, d, s):
    return (size - d * (k - 1) - 1) // s + 1


def unfold(ops, x, kernel_size, dilation, padding, stride):
    x = ops.convert_to_tensor(x)
    shape = _shape(ops, x)
    if len(shape) != 4:
        raise ValueError(f"unfold: input must be a 4D tensor (N, C, H, W). Received: "
                         f"input.shape={shape}")
    (kh, kw), (dh, dw), (ph, pw), (sh, sw) = _fold_args("unfold", kernel_size, dilation,
                                                         padding, stride)
    if ph or pw:
        x = ops.pad(x, [(0, 0), (0, 0), (ph, ph), (pw, pw)])
    n, c, h, w = _shape(ops, x)
    oh, ow = _blocks(h, kh, dh, sh), _blocks(w, kw, dw, sw)
    if oh <= 0 or ow <= 0:
        raise ValueError(f"unfold: kernel_size={(kh, kw)} with dilation={(dh, dw)} does not fit "
                         f"the padded input of spatial size {(h, w)}.")
    blocks = [x[:, :, i * dh:i * dh + sh * (oh - 1) + 1:sh, j * dw:j * dw + sw * (ow - 1) + 1:sw]
              for i in range(kh) for j in range(kw)]
    patches = ops.stack(blocks, axis=2)
    return _reshape(ops, patches, (n, c * kh * kw, oh * ow))


def _spread(ops, x, axis, stride):
    """Inserts ``stride - 1`` zeros between consecutive entries along ``axis``."""
    if stride == 1:
        return x
    shape = _shape(ops, x)
    zeros = ops.zeros_like(x)
    spread = ops.stack([x] + [zeros] * (stride - 1), axis=axis + 1)
    spread = _reshape(ops, spread, shape[:axis] + (shape[axis] * stride,) + shape[axis + 1:])
    return ops.take(spread, ops.convert_to_tensor(
        np.arange((shape[axis] - 1) * stride + 1, dtype="int32")), axis=axis)


def fold(ops, x, output_size, kernel_size, dilation, padding, stride):
    x = ops.convert_to_tensor(x)
    shape = _shape(ops, x)
    if len(shape) != 3:
        raise ValueError(f"fold: input must be a 3D tensor (N, C * kH * kW, L). Received: "
                         f"input.shape={shape}")
    oh, ow = _ints("fold", "output_size", output_size, 2, 1)
    (kh, kw), (dh, dw), (ph, pw), (sh, sw) = _fold_args("fold", kernel_size, dilation,
                                                         padding, stride)
    n, ckk, length = shape
    if ckk % (kh * kw):
        raise ValueError(f"fold: the second dimension of the input ({ckk}) must be divisible by "
                         f"the kernel_size product ({kh * kw}).")
    hp, wp = oh + 2 * ph, ow + 2 * pw
    nh, nw = _blocks(hp, kh, dh, sh), _blocks(wp, kw, dw, sw)
    if nh <= 0 or nw <= 0 or nh * nw != length:
        raise ValueError(f"fold: expected {max(nh, 0) * max(nw, 0)} blocks (last input dim) for "
                         f"output_size={(oh, ow)}, kernel_size={(kh, kw)}, dilation={(dh, dw)}, "
                         f"padding={(ph, pw)}, stride={(sh, sw)}. Received: input.shape={shape}")
    c = ckk // (kh * kw)
    x = _reshape(ops, x, (n, c, kh, kw, nh, nw))
    span_h, span_w = (nh - 1) * sh + 1, (nw - 1) * sw + 1
    out = None
    for i in range(kh):
        for j in range(kw):
            block = _spread(ops, _spread(ops, x[:, :, i, j], 2, sh), 3, sw)
            top, left = i * dh, j * dw
            block = ops.pad(block, [(0, 0), (0, 0), (top, hp - top - span_h),
                                    (left, wp - left - span_w)])
            out = block if out is None else out + block
    return out[:, :, ph:ph + oh, pw:pw + ow]


# ---------------------------------------------------------------------------------------------
# depth_to_space / space_to_depth.

def _space_args(owner, x, block_size, data_format, ops):
    if data_format not in ("channels_last", "channels_first"):
        data_format = _data_format(owner, data_format)
    if isinstance(block_size, bool) or not isinstance(block_size, (int, np.integer)) \
            or block_size < 2:
        raise ValueError(f"{owner}: `block_size` must be an int of at least 2. "
                         f"Received: block_size={block_size!r}")
    x = ops.convert_to_tensor(x)
    shape = _shape(ops, x)
    if len(shape) != 4:
        raise ValueError(f"{owner}: requires a 4D input tensor. Received: x.shape={shape}")
    if data_format == "channels_last":
        n, h, w, c = shape
    else:
        n, c, h, w = shape
    return x, int(block_size), data_format, (n, h, w, c)


def depth_to_space(ops, x, block_size, data_format):
    x, r, data_format, (n, h, w, c) = _space_args("depth_to_space", x, block_size,
                                                  data_format, ops)
    if c % (r * r):
        raise ValueError(f"depth_to_space: the number of channels ({c}) must be divisible by "
                         f"block_size**2 ({r * r}).")
    nc = c // (r * r)
    if data_format == "channels_last":
        x = _reshape(ops, x, (n, h, w, r, r, nc))
        x = ops.transpose(x, (0, 1, 3, 2, 4, 5))
        return _reshape(ops, x, (n, h * r, w * r, nc))
    x = _reshape(ops, x, (n, nc, r, r, h, w))
    x = ops.transpose(x, (0, 1, 4, 2, 5, 3))
    return _reshape(ops, x, (n, nc, h * r, w * r))


def space_to_depth(ops, x, block_size, data_format):
    x, r, data_format, (n, h, w, c) = _space_args("space_to_depth", x, block_size,
                                                  data_format, ops)
    if h % r or w % r:
        raise ValueError(f"space_to_depth: height ({h}) and width ({w}) must be divisible by "
                         f"block_size ({r}).")
    nh, nw = h // r, w // r
    if data_format == "channels_last":
        x = _reshape(ops, x, (n, nh, r, nw, r, c))
        x = ops.transpose(x, (0, 1, 3, 2, 4, 5))
        return _reshape(ops, x, (n, nh, nw, c * r * r))
    x = _reshape(ops, x, (n, c, nh, r, nw, r))
    x = ops.transpose(x, (0, 1, 3, 5, 2, 4))
    return _reshape(ops, x, (n, c * r * r, nh, nw))
