"""Ops of ``kfront.ops.nn``: the rest of keras.ops.nn.

Engine kernels come from ``kfront.backend.contract.NN_EXTRA_OPS`` (``ctc_loss``, ``polar``);
the ops below are written once here from contract ops (``@composite``): every engine runs the
same arithmetic, so they agree across backends by construction.
"""
import math
import warnings

import numpy as np

from kfront import config
from kfront.backend.contract import NN_EXTRA_OPS
from kfront.ops._export import composite, export
from kfront.ops import _ctc_decode, _windows

__all__ = [
    "celu", "glu", "hard_shrink", "hard_swish", "hard_tanh", "soft_shrink", "sparse_plus",
    "sparse_sigmoid", "squareplus", "tanh_shrink", "threshold", "sparsemax",
    "normalize", "psnr", "rms_normalization", "layer_normalization", "multi_hot",
    "adaptive_average_pool", "adaptive_max_pool", "depth_to_space", "space_to_depth",
    "unfold", "fold", "ctc_decode",
]
export(NN_EXTRA_OPS, globals())


def _ops():
    from kfront import ops
    return ops


def _float(x):
    """``x`` as a tensor of a floating dtype: integers and bools compute in floatx."""
    ops = _ops()
    x = ops.convert_to_tensor(x)
    if "float" not in ops.dtype(x):
        x = ops.cast(x, config.floatx())
    return x


# ---------------------------------------------------------------------------------------------
# Elementwise activations.

@composite
def celu(x, alpha=1.0):
    """Continuously differentiable ELU: ``max(x, 0) + alpha * expm1(min(x, 0) / alpha)``.

    Written from kfront ops.
    """
    ops = _ops()
    x = _float(x)
    return ops.maximum(x, 0.0) + alpha * ops.expm1(ops.minimum(x, 0.0) / alpha)


@composite
def glu(x, axis=-1):
    """Gated linear unit: ``x`` split in halves ``a, b`` along ``axis`` gives ``a * sigmoid(b)``.

    Written from kfront ops.
    """
    ops = _ops()
    x = _float(x)
    size = ops.shape(x)[axis]
    if size is not None and size % 2:
        raise ValueError("glu: axis size must be divisible by 2. "
                         f"Received: x.shape={tuple(ops.shape(x))} with axis={axis}")
    a, b = ops.split(x, 2, axis=axis)
    return a * ops.sigmoid(b)


@composite
def hard_shrink(x, threshold=0.5):
    """``x`` where ``|x| > threshold``, else 0. Written from kfront ops."""
    ops = _ops()
    x = _float(x)
    return ops.where(ops.abs(x) > threshold, x, ops.zeros_like(x))


@composite
def hard_swish(x):
    """Hard SiLU, ``x * relu6(x + 3) / 6`` (Keras's other name for ``hard_silu``).

    Written from kfront ops.
    """
    return _ops().hard_silu(x)


@composite
def hard_tanh(x):
    """``x`` clipped to [-1, 1]. Written from kfront ops."""
    return _ops().clip(_float(x), -1.0, 1.0)


@composite
def soft_shrink(x, threshold=0.5):
    """``x - threshold`` above ``threshold``, ``x + threshold`` below ``-threshold``, else 0.

    Written from kfront ops.
    """
    ops = _ops()
    x = _float(x)
    zero = ops.zeros_like(x)
    return ops.where(x > threshold, x - threshold,
                     ops.where(x < -threshold, x + threshold, zero))


@composite
def sparse_plus(x):
    """0 up to -1, ``(x + 1)**2 / 4`` on (-1, 1), ``x`` from 1. Written from kfront ops."""
    ops = _ops()
    x = _float(x)
    return ops.where(x <= -1.0, ops.zeros_like(x),
                     ops.where(x < 1.0, 0.25 * ops.square(x + 1.0), x))


@composite
def sparse_sigmoid(x):
    """0 up to -1, ``(x + 1) / 2`` on (-1, 1), 1 from 1. Written from kfront ops."""
    return _ops().clip(0.5 * (_float(x) + 1.0), 0.0, 1.0)


@composite
def squareplus(x, b=4):
    """``(x + sqrt(x**2 + b)) / 2``, a smooth ReLU. Written from kfront ops."""
    ops = _ops()
    x = _float(x)
    return (x + ops.sqrt(ops.square(x) + b)) / 2.0


@composite
def tanh_shrink(x):
    """``x - tanh(x)``. Written from kfront ops."""
    x = _float(x)
    return x - _ops().tanh(x)


@composite
def threshold(x, threshold, default_value):
    """``x`` where ``x > threshold``, else ``default_value``. Written from kfront ops."""
    ops = _ops()
    x = _float(x)
    return ops.where(x > threshold, x, ops.full_like(x, default_value))


@composite
def sparsemax(x, axis=-1):
    """Euclidean projection of ``x`` onto the probability simplex along ``axis``.

    ``max(x - tau, 0)``, where ``tau`` makes every slice sum to 1 (Martins and Astudillo,
    2016); large inputs get exactly zero probability. Written from kfront ops.

    Example:
        >>> kfront.ops.sparsemax([0.5, 0.4, -1.0])   # [0.55, 0.45, 0.0]
    """
    ops = _ops()
    x = _float(x)
    ndim = len(ops.shape(x))
    if not isinstance(axis, int) or not -ndim <= axis < ndim:
        raise ValueError(f"sparsemax: `axis` must be an int in [-{ndim}, {ndim}) for an input "
                         f"of rank {ndim}. Received: axis={axis!r}")
    axis = axis % ndim
    n = ops.shape(x)[axis]
    descending = -ops.sort(-x, axis=axis)
    cumulative = ops.cumsum(descending, axis=axis)
    shape = [1] * ndim
    shape[axis] = n
    rank = ops.convert_to_tensor(np.arange(1, n + 1).reshape(shape), dtype=ops.dtype(x))
    # The support is the leading run of sorted entries that stay above the running threshold.
    support = descending * rank > cumulative - 1.0
    k = ops.sum(ops.cast(support, ops.dtype(x)), axis=axis, keepdims=True)
    top = ops.sum(ops.where(support, descending, ops.zeros_like(descending)), axis=axis,
                  keepdims=True)
    tau = (top - 1.0) / k
    return ops.maximum(x - tau, 0.0)


# ---------------------------------------------------------------------------------------------
# Normalizations and image metrics.

@composite
def normalize(x, axis=-1, order=2, epsilon=None):
    """``x / max(norm(x, order), epsilon)`` along ``axis``. Written from kfront ops.

    Args:
        axis: the axis or axes of the norm.
        order: an int >= 1, the norm's exponent.
        epsilon: the smallest norm divided by (default ``kfront.config.epsilon()``).
    """
    if isinstance(order, bool) or not isinstance(order, int) or order < 1:
        raise ValueError(f"normalize: argument `order` must be an int >= 1. "
                         f"Received: order={order!r}")
    ops = _ops()
    x = _float(x)
    dtype = ops.dtype(x)
    # 1 / epsilon overflows half precision: compute in float32.
    x = ops.cast(x, _compute_dtype(x))
    if len(ops.shape(x)) == 0:
        x = ops.expand_dims(x, 0)
    epsilon = config.epsilon() if epsilon is None else epsilon
    if order == 2:
        square_sum = ops.sum(ops.square(x), axis=axis, keepdims=True)
        return ops.cast(x * ops.minimum(1.0 / ops.sqrt(square_sum), 1.0 / epsilon), dtype)
    norm = ops.sum(ops.abs(x) ** order, axis=axis, keepdims=True) ** (1.0 / order)
    return ops.cast(x / ops.maximum(norm, epsilon), dtype)


@composite
def psnr(x1, x2, max_val):
    """Peak signal-to-noise ratio ``20 log10(max_val) - 10 log10(mean((x1 - x2)**2))``, in dB,
    over all elements. Written from kfront ops."""
    ops = _ops()
    x1, x2 = _float(x1), _float(x2)
    if tuple(ops.shape(x1)) != tuple(ops.shape(x2)):
        raise ValueError(f"psnr: input shapes {tuple(ops.shape(x1))} and "
                         f"{tuple(ops.shape(x2))} must match for PSNR calculation.")
    dtype = ops.dtype(x2)
    x1 = ops.cast(x1, dtype)
    max_val = ops.convert_to_tensor(max_val, dtype=dtype)
    mse = ops.mean(ops.square(x1 - x2))
    return (20.0 * ops.log(max_val) - 10.0 * ops.log(mse)) / math.log(10.0)


def _compute_dtype(x):
    """Half-precision inputs normalize in float32, as Keras does, for stability."""
    dtype = _ops().dtype(x)
    return "float32" if dtype in ("float16", "bfloat16") else dtype


@composite
def rms_normalization(x, scale=None, axis=-1, epsilon=None):
    """``x / sqrt(mean(x**2, axis) + epsilon) * scale``. Written from kfront ops.

    Args:
        scale: an optional multiplier broadcast against ``x``.
        axis: the axis or axes of the mean.
        epsilon: added to the mean square (default ``kfront.config.epsilon()``).
    """
    ops = _ops()
    x = _float(x)
    dtype = ops.dtype(x)
    epsilon = config.epsilon() if epsilon is None else epsilon
    x = ops.cast(x, _compute_dtype(x))
    if len(ops.shape(x)) == 0:
        x = ops.expand_dims(x, 0)
    axis = tuple(axis) if isinstance(axis, (list, tuple)) else axis
    out = x / ops.sqrt(ops.mean(ops.square(x), axis=axis, keepdims=True) + epsilon)
    if scale is not None:
        out = out * ops.convert_to_tensor(scale, dtype=ops.dtype(x))
    return ops.cast(out, dtype)


@composite
def layer_normalization(x, gamma=None, beta=None, axis=-1, epsilon=None, **kwargs):
    """``(x - mean) / sqrt(variance + epsilon) * gamma + beta`` over ``axis`` per example.

    Written from kfront ops. ``gamma`` and ``beta`` have the shape of the normalized axes.
    The deprecated ``rms_scaling=True`` (Keras) scales by the variance only, with a warning.
    """
    rms_scaling = kwargs.pop("rms_scaling", False)
    if kwargs:
        raise TypeError(f"layer_normalization: unexpected keyword arguments {sorted(kwargs)}; "
                        "accepted: gamma, beta, axis, epsilon, rms_scaling.")
    if rms_scaling:
        warnings.warn("You passed `rms_scaling=True`, which is deprecated. This argument "
                      "incorrectly scales the input by the variance, not the root mean square. "
                      "To correctly use RMS Normalization, please use "
                      "`kfront.ops.rms_normalization` instead.", stacklevel=2)
    ops = _ops()
    x = _float(x)
    dtype = ops.dtype(x)
    epsilon = config.epsilon() if epsilon is None else epsilon
    x = ops.cast(x, _compute_dtype(x))
    shape = tuple(ops.shape(x))
    ndim = len(shape)
    axes = sorted(a % ndim for a in ((axis,) if isinstance(axis, int) else axis))
    broadcast = [1] * ndim
    for a in axes:
        broadcast[a] = shape[a]

    def _laid_out(v):
        if v is None:
            return None
        v = ops.convert_to_tensor(v, dtype=ops.dtype(x))
        if len(ops.shape(v)) != ndim and axes != [ndim - 1]:
            v = ops.reshape(v, broadcast)
        return v

    gamma, beta = _laid_out(gamma), _laid_out(beta)
    mean, variance = ops.moments(x, axes=axes, keepdims=True)
    inv = 1.0 / ops.sqrt(variance + epsilon)
    if rms_scaling:
        out = x * inv
        return ops.cast(out if gamma is None else out * gamma, dtype)
    if gamma is not None:
        inv = inv * gamma
    shift = -mean * inv
    if beta is not None:
        shift = shift + beta
    return ops.cast(x * inv + shift, dtype)


@composite
def multi_hot(inputs, num_classes=None, axis=-1, dtype=None, sparse=False, **kwargs):
    """Integer labels as multi-hot vectors: 1 at every class present in a sample.

    Written from kfront ops. The input is ``(batch, labels)`` (or one sample of labels);
    ``num_tokens`` is accepted for ``num_classes``, as in Keras.

    Example:
        >>> kfront.ops.multi_hot([0, 4], num_classes=5)   # [1, 0, 0, 0, 1]
    """
    if num_classes is None and "num_tokens" in kwargs:
        num_classes = kwargs.pop("num_tokens")
    if kwargs:
        raise TypeError(f"multi_hot: unexpected keyword arguments {sorted(kwargs)}.")
    if num_classes is None:
        raise ValueError("multi_hot: argument `num_classes` must be specified.")
    if sparse:
        raise ValueError("multi_hot: sparse=True is not supported by kfront; use sparse=False.")
    ops = _ops()
    inputs = ops.convert_to_tensor(inputs)
    reduced = 1 if len(ops.shape(inputs)) > 1 else 0
    encoded = ops.one_hot(ops.cast(inputs, "int32"), num_classes, axis=axis,
                          dtype=dtype or config.floatx())
    return ops.max(encoded, axis=reduced)


# ---------------------------------------------------------------------------------------------
# Windows: adaptive pooling, (un)folding, pixel shuffles.

@composite
def adaptive_average_pool(inputs, output_size, data_format=None):
    """Mean over windows sized so the spatial dims become ``output_size`` (1, 2 or 3 dims).

    Window ``i`` of an axis of length ``L`` covers ``[floor(i L / out), ceil((i + 1) L / out))``,
    as PyTorch's ``AdaptiveAvgPool``. Written from kfront ops.

    Example:
        >>> kfront.ops.adaptive_average_pool(np.ones((2, 10, 7, 3)), 4).shape   # (2, 4, 4, 3)
    """
    return _windows.adaptive_pool(_ops(), inputs, output_size, data_format, "average")


@composite
def adaptive_max_pool(inputs, output_size, data_format=None):
    """Max over windows sized so the spatial dims become ``output_size`` (1, 2 or 3 dims).

    Windows as in ``adaptive_average_pool``. Written from kfront ops.
    """
    return _windows.adaptive_pool(_ops(), inputs, output_size, data_format, "max")


@composite
def unfold(x, kernel_size, dilation=1, padding=0, stride=1):
    """Sliding blocks of a ``(N, C, H, W)`` batch as ``(N, C * kH * kW, L)`` (im2col).

    Written from kfront ops; the layout is PyTorch's ``nn.functional.unfold``.
    """
    return _windows.unfold(_ops(), x, kernel_size, dilation, padding, stride)


@composite
def fold(x, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """Sums ``(N, C * kH * kW, L)`` blocks back into a ``(N, C, oH, oW)`` batch (col2im).

    Overlapping blocks add up; ``fold(unfold(x))`` counts each pixel once per block holding
    it. Written from kfront ops.
    """
    return _windows.fold(_ops(), x, output_size, kernel_size, dilation, padding, stride)


@composite
def depth_to_space(x, block_size, data_format="channels_last"):
    """Moves channel blocks into ``block_size x block_size`` spatial tiles (pixel shuffle).

    ``(N, H, W, C * r * r)`` becomes ``(N, H * r, W * r, C)``. Written from kfront ops.
    """
    return _windows.depth_to_space(_ops(), x, block_size, data_format)


@composite
def space_to_depth(x, block_size, data_format="channels_last"):
    """Moves ``block_size x block_size`` spatial tiles into channels (inverse of
    ``depth_to_space``). Written from kfront ops."""
    return _windows.space_to_depth(_ops(), x, block_size, data_format)


# ---------------------------------------------------------------------------------------------
# CTC decoding.

@composite
def ctc_decode(inputs, sequence_lengths, strategy="greedy", beam_width=100, top_paths=1,
               merge_repeated=True, mask_index=0):
    """Decodes CTC logits ``(batch, steps, classes)`` into label sequences.

    Written from kfront ops. Returns ``(paths, scores)``: ``paths`` is int32
    ``(top_paths, batch, steps)`` padded with -1; with ``strategy="greedy"`` (one path) the
    score is minus the sum of each step's largest logit, with ``"beam_search"`` the log
    probability of each of the ``top_paths`` best labelings (prefix beam search over
    ``beam_width`` beams, as TensorFlow's decoder).

    Args:
        inputs: unnormalized logits.
        sequence_lengths: ``(batch,)`` valid steps per sample.
        merge_repeated: (greedy) a label repeated on consecutive steps is emitted once.
        mask_index: the blank class.
    """
    return _ctc_decode.decode(_ops(), inputs, sequence_lengths, strategy, beam_width,
                              top_paths, merge_repeated, mask_index)
