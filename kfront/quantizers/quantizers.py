"""Quantizers and the quantization functions Keras 3 exports in ``keras.quantizers``:
abs-max int8/int4 quantization, int4 packing, fake quantization and the float8 scaling
helpers. Written from kfront ops (NumPy where Keras offers a host-side ``to_numpy`` path).
"""
import math

import numpy as np

from kfront import config, ops
from kfront.backend.dtypes import standardize_dtype

# The largest finite value of each float8 format (ml_dtypes' finfo(...).max).
FLOAT8_MAX = {"float8_e4m3fn": 448.0, "float8_e5m2": 57344.0}


class Quantizer:
    """Base class of quantizers: ``quantizer(x)`` returns the quantized form of ``x``.

    Args:
        output_dtype: the dtype of the quantized values (default ``"int8"``).
    """

    def __init__(self, output_dtype="int8"):
        self.output_dtype = output_dtype

    def __call__(self, x):
        return x

    @classmethod
    def from_config(cls, config):
        """The quantizer a ``get_config()`` dict describes."""
        return cls(**config)

    def get_config(self):
        """The constructor arguments as a dict; subclasses must provide it."""
        raise NotImplementedError(f"{self} does not implement get_config()")


def _axis_tuple(axis, ndim):
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    return tuple(a % ndim for a in axes)


def abs_max_quantize(inputs, axis, value_range=(-127, 127), dtype="int8", epsilon=None,
                     to_numpy=False):
    """Symmetric quantization by the absolute maximum along ``axis``.

    ``scale = value_range[1] / (max|x| + epsilon)`` (kept dims), ``q = clip(round(x * scale),
    *value_range)``; dequantize with ``q / scale``.

    Args:
        inputs: the float tensor.
        axis: the axis (or axes) the maximum is taken over.
        value_range: ``(min, max)`` of the quantized values.
        dtype: the dtype of the quantized tensor.
        epsilon: added to the maximum (default ``kfront.config.epsilon()``).
        to_numpy: compute on the host with NumPy (saves device memory).

    Returns:
        ``(quantized, scale)``.

    >>> q, scale = abs_max_quantize(np.array([[1.0, -2.0]]), axis=-1)
    >>> ops.convert_to_numpy(q)
    array([[ 64, -127]], dtype=int8)
    """
    epsilon = config.epsilon() if epsilon is None else epsilon
    if to_numpy:
        source_dtype = standardize_dtype(inputs.dtype)
        x = np.asarray(ops.convert_to_numpy(inputs))
        axes = _axis_tuple(axis, x.ndim)
        scale = np.divide(value_range[1], np.max(np.abs(x), axis=axes, keepdims=True) + epsilon)
        q = np.clip(np.round(x * scale), value_range[0], value_range[1]).astype(dtype)
        return ops.convert_to_tensor(q), ops.convert_to_tensor(scale, dtype=source_dtype)
    x = ops.convert_to_tensor(inputs)
    scale = ops.divide(value_range[1],
                       ops.add(ops.max(ops.abs(x), axis=axis, keepdims=True), epsilon))
    scale = ops.cast(scale, ops.dtype(x))
    q = ops.clip(ops.round(ops.multiply(x, scale)), value_range[0], value_range[1])
    return ops.cast(q, dtype), scale


def abs_max_quantize_grouped_with_zero_point(inputs, block_size, value_range=(-8, 7),
                                             dtype="int8", epsilon=None, to_numpy=False):
    """Asymmetric quantization of a 2-D ``(input_dim, output_dim)`` tensor in groups of
    ``block_size`` rows, each with its own scale and zero point per column.

    ``q = clip(round(x / scale) + zero, *value_range)``, dequantize with
    ``(q - zero) * scale``. kfront computes it on the host (NumPy) whatever ``to_numpy``
    says: the result is the same.

    Returns:
        ``(quantized (input_dim, output_dim), scale (n_groups, output_dim),
        zero_point (n_groups, output_dim) int8)``.
    """
    epsilon = config.epsilon() if epsilon is None else epsilon
    if not isinstance(block_size, int) or block_size <= 0:
        raise ValueError("abs_max_quantize_grouped_with_zero_point: `block_size` must be a "
                         f"positive int. Received: block_size={block_size!r}")
    source_dtype = standardize_dtype(inputs.dtype)
    x = np.asarray(ops.convert_to_numpy(inputs))
    if x.ndim != 2:
        raise ValueError("abs_max_quantize_grouped_with_zero_point expects a 2-D tensor. "
                         f"Received: inputs.shape={x.shape}")
    rows, cols = x.shape
    groups = math.ceil(rows / block_size)
    padded = np.concatenate([x, np.zeros((groups * block_size - rows, cols), x.dtype)])
    blocks = padded.reshape(groups, block_size, cols)
    low, high = value_range
    lo = blocks.min(axis=1, keepdims=True)
    hi = blocks.max(axis=1, keepdims=True)
    scale = (hi - lo + epsilon) / (high - low)
    zero = np.clip(np.round(-lo / scale) + low, low, high)
    q = np.clip(np.round(blocks / scale) + zero, low, high).astype(dtype)
    q = q.reshape(groups * block_size, cols)[:rows]
    return (ops.convert_to_tensor(q), ops.convert_to_tensor(scale[:, 0], dtype=source_dtype),
            ops.convert_to_tensor(zero[:, 0].astype("int8")))


class AbsMaxQuantizer(Quantizer):
    """``abs_max_quantize`` as a quantizer object.

    Args:
        axis: deprecated; give the axis when calling (default -1).
        value_range: ``(min, max)`` of the quantized values (within [-128, 127] for int8).
        epsilon: added to the maximum.
        output_dtype: the dtype of the quantized values.

    >>> q, scale = AbsMaxQuantizer()(np.array([[1.0, -2.0]]))
    """

    def __init__(self, axis=None, value_range=(-127, 127), epsilon=None, output_dtype="int8"):
        super().__init__(output_dtype=output_dtype)
        self.axis = None if axis is None else ((axis,) if isinstance(axis, int) else tuple(axis))
        self.value_range = tuple(value_range)
        self.epsilon = config.epsilon() if epsilon is None else epsilon
        if output_dtype == "int8" and (value_range[0] < -128 or value_range[1] > 127):
            raise ValueError("Quantizer with output_dtype='int8' requires value_range to be "
                             "within the interval [-128, 127]. Received: "
                             f"value_range={value_range}")

    def __call__(self, x, axis=None, to_numpy=False):
        """``(quantized, scale)`` of ``x`` along ``axis`` (else the constructor's, else
        -1)."""
        axis = self.axis if axis is None else axis
        return abs_max_quantize(x, -1 if axis is None else axis, self.value_range,
                                self.output_dtype, self.epsilon, to_numpy)

    def get_config(self):
        config = {"value_range": self.value_range, "epsilon": self.epsilon,
                  "output_dtype": self.output_dtype}
        if self.axis is not None:
            config["axis"] = self.axis
        return config


def _nudged_range(min_range, max_range, num_bits, narrow_range):
    """(nudged min, nudged max, scale, 1/scale): the range moved so 0.0 is exactly
    representable, as TensorFlow's FakeQuant ops do."""
    min_range = ops.cast(min_range, "float32")
    max_range = ops.cast(max_range, "float32")
    quant_max = (1 << num_bits) - 1
    quant_min = 1 if narrow_range else 0
    scale = ops.divide(ops.subtract(max_range, min_range), quant_max - quant_min)
    inv_scale = ops.divide(quant_max - quant_min, ops.subtract(max_range, min_range))
    zero = ops.round(ops.clip(quant_min - ops.divide(min_range, scale), quant_min, quant_max))
    return (ops.multiply(ops.subtract(quant_min, zero), scale),
            ops.multiply(ops.subtract(quant_max, zero), scale), scale, inv_scale)


def fake_quant_with_min_max_vars(inputs, min_vals, max_vals, num_bits=8, narrow_range=False,
                                 axis=None):
    """Quantizes ``inputs`` to ``num_bits`` levels inside ``[min_vals, max_vals]`` and
    dequantizes them again (per tensor, or per channel along ``axis``).

    The gradient passes straight through inside the range; ``min_vals``/``max_vals`` receive
    the gradient of the values clipped at them, so they can be trained.
    """
    if not isinstance(num_bits, int) or not 2 <= num_bits <= 16:
        raise ValueError("fake_quant_with_min_max_vars: `num_bits` must be an int in [2, 16]. "
                         f"Received: num_bits={num_bits!r}")
    inputs = ops.convert_to_tensor(inputs)
    min_vals = ops.convert_to_tensor(min_vals, dtype="float32")
    max_vals = ops.convert_to_tensor(max_vals, dtype="float32")
    dtype = ops.dtype(inputs)
    ndim = len(inputs.shape)
    if axis is not None:
        axis = axis % ndim
        # Per-channel values broadcast along the other axes.
        shape = [1] * ndim
        shape[axis] = -1
        min_b, max_b = ops.reshape(min_vals, shape), ops.reshape(max_vals, shape)
    else:
        min_b, max_b = min_vals, max_vals

    @ops.custom_gradient
    def fake_quant(x, lo, hi):
        nudged_min, nudged_max, scale, inv_scale = _nudged_range(lo, hi, num_bits,
                                                                 narrow_range)
        quant_zero = ops.floor(ops.add(ops.multiply(ops.negative(nudged_min), inv_scale), 0.5))
        clamped = ops.clip(ops.cast(x, "float32"), nudged_min, nudged_max)
        levels = ops.floor(ops.add(ops.subtract(
            ops.multiply(ops.subtract(clamped, nudged_min), inv_scale), quant_zero), 0.5))
        result = ops.cast(ops.multiply(levels, scale), dtype)
        inside = ops.logical_and(ops.greater_equal(x, nudged_min),
                                 ops.less_equal(x, nudged_max))
        reduce = None if axis is None else [i for i in range(ndim) if i != axis]

        def grad(*args, upstream=None):
            if upstream is None:
                (upstream,) = args
            zero = ops.zeros_like(upstream)
            d_lo = ops.sum(ops.where(ops.less_equal(x, nudged_min), upstream, zero), axis=reduce)
            d_hi = ops.sum(ops.where(ops.greater_equal(x, nudged_max), upstream, zero),
                           axis=reduce)
            return (ops.where(inside, upstream, zero), ops.reshape(d_lo, ops.shape(lo)),
                    ops.reshape(d_hi, ops.shape(hi)))

        return result, grad

    return fake_quant(inputs, min_b, max_b)


def compute_float8_scale(amax, scale, dtype_max, margin=0):
    """The next float8 scaling factor from the running absolute maximum ``amax``:
    ``amax * 2**margin / dtype_max``, or the current ``scale`` where ``amax`` is zero or not
    finite."""
    inverse = ops.reciprocal(scale)
    candidate = ops.divide(ops.divide(dtype_max, amax), 2 ** margin)
    candidate = ops.where(ops.greater(amax, 0.0), candidate, inverse)
    candidate = ops.where(ops.isfinite(amax), candidate, inverse)
    return ops.reciprocal(candidate)


def compute_float8_amax_history(x, amax_history):
    """``amax_history`` rolled one step left with ``max|x|`` written at position 0."""
    amax = ops.reshape(ops.cast(ops.max(ops.abs(x)), ops.dtype(amax_history)), [1])
    return ops.scatter_update(ops.roll(amax_history, shift=-1), [[0]], amax)


def quantize_and_dequantize(inputs, scale, quantized_dtype, compute_dtype):
    """``inputs / scale`` clipped to ``quantized_dtype``'s finite range, cast to it and back,
    times ``scale``: the rounding a float8 matmul would apply.

    Raises:
        ValueError: for a ``quantized_dtype`` other than the float8 formats.
    """
    if quantized_dtype not in FLOAT8_MAX:
        raise ValueError("quantize_and_dequantize: `quantized_dtype` must be one of "
                         f"{sorted(FLOAT8_MAX)}. Received: quantized_dtype={quantized_dtype!r}")
    limit = ops.cast(FLOAT8_MAX[quantized_dtype], compute_dtype)
    scale = ops.cast(scale, compute_dtype)
    x = ops.clip(ops.divide(inputs, scale), ops.negative(limit), limit)
    x = ops.cast(round_to_float8(x, quantized_dtype), compute_dtype)
    return ops.multiply(x, scale)


# (mantissa bits, smallest normal exponent) of the float8 formats.
_FLOAT8_BITS = {"float8_e4m3fn": (3, -6), "float8_e5m2": (2, -14)}


def round_to_float8(x, quantized_dtype):
    """``x`` (within the format's finite range) rounded to the nearest ``quantized_dtype``
    value, ties to even, as a cast to float8 and back does; returned in float32.

    Written from kfront ops so every engine has it (not all have float8 dtypes): the
    spacing of float8 values around ``|x|`` is ``2**(exponent - mantissa bits)``, fixed
    below the smallest normal exponent (subnormals).
    """
    mantissa, min_exponent = _FLOAT8_BITS[quantized_dtype]
    x = ops.cast(x, "float32")
    magnitude = ops.maximum(ops.abs(x), 2.0 ** (min_exponent - 1))
    exponent = ops.maximum(ops.floor(ops.log2(magnitude)), float(min_exponent))
    step = ops.power(2.0, ops.subtract(exponent, float(mantissa)))
    return ops.multiply(ops.round(ops.divide(x, step)), step)


def _check_int_dtype(fn, dtype):
    if dtype not in ("int8", "uint8"):
        raise ValueError(f"{fn}: expected dtype to be 'int8' or 'uint8', but got '{dtype}'.")


def pack_int4(arr, axis=0, dtype="int8"):
    """Packs int4 values (int8 in [-8, 7]) two per byte along ``axis``: the first of each
    pair in the low nibble, the second in the high one (a zero row pads an odd length).

    Returns:
        ``(packed, packed_shape, original_length)``.

    >>> packed, shape, n = pack_int4(np.array([[-3, 7], [2, -8], [1, 0]], np.int8))
    >>> ops.convert_to_numpy(packed)
    array([[  45, -121],
           [   1,    0]], dtype=int8)
    """
    _check_int_dtype("pack_int4", dtype)
    if standardize_dtype(arr.dtype) != dtype:
        raise TypeError(f"pack_int4: expected a {dtype} tensor, got "
                        f"{standardize_dtype(arr.dtype)}.")
    x = np.moveaxis(np.asarray(ops.convert_to_numpy(arr)), axis, 0)
    n = x.shape[0]
    if n % 2:
        x = np.concatenate([x, np.zeros((1,) + x.shape[1:], x.dtype)])
    low = x[0::2].astype(np.uint8) & 0x0F
    high = x[1::2].astype(np.uint8) & 0x0F
    packed = np.moveaxis((low | (high << 4)).astype(dtype), 0, axis)
    return ops.convert_to_tensor(packed), tuple(packed.shape), n


def unpack_int4(packed, orig_len, axis=0, dtype="int8"):
    """Reverses ``pack_int4``: the int4 values (int8 in [-8, 7], or uint8 nibbles in
    [0, 15] with ``dtype="uint8"``) with the axis cut back to ``orig_len``."""
    _check_int_dtype("unpack_int4", dtype)
    if standardize_dtype(packed.dtype) not in ("int8", "uint8"):
        raise TypeError(f"unpack_int4: expected an int8 or uint8 tensor, got {packed.dtype}.")
    packed = ops.convert_to_tensor(packed)
    rank = len(packed.shape)
    axis = axis % rank
    perm = [axis] + [i for i in range(rank) if i != axis]
    x = ops.transpose(packed, perm)
    mask = ops.array(0x0F, dtype=ops.dtype(x))
    low = ops.bitwise_and(x, mask)
    high = ops.bitwise_and(ops.right_shift(x, 4), mask)
    if dtype == "int8":
        eight = ops.array(8, dtype=ops.dtype(x))
        # (v ^ 8) - 8 maps the nibbles 8..15 to -8..-1.
        low = ops.subtract(ops.bitwise_xor(low, eight), eight)
        high = ops.subtract(ops.bitwise_xor(high, eight), eight)
    both = ops.stack([ops.cast(low, dtype), ops.cast(high, dtype)], axis=1)
    out = ops.reshape(both, (-1,) + tuple(x.shape[1:]))[:orig_len]
    return ops.transpose(out, [perm.index(i) for i in range(rank)])
