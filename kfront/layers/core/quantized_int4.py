"""int4 quantization of a layer's main weight, as Keras 3's ``layer.quantize("int4")``.

The weight is seen as a 2-D matrix (``Dense``: the kernel; ``EinsumDense``: the kernel
reshaped to (contracted size, other size); ``Embedding``: the table) and quantized to
[-8, 7] along ``_int4_axis`` (the contracted axis; a table row for ``Embedding``):

- per channel (``block_size`` None or -1): ``q = round(W * scale)``, ``scale = 7 / max|W|``;
- in groups of ``block_size`` along that axis, with a zero point per group:
  ``W ~ (q - zero) * scale`` (``g_idx`` names each position's group).

Two values share a byte (``pack_int4`` along the last axis), so files hold Keras's
variables: ``kernel``/``embeddings`` (packed int8), ``*_scale``, and for groups ``*_zero``
and ``g_idx``.
"""
import math

import numpy as np

from kfront import ops


class Int4Mixin:
    """int4 variables, quantization and dequantization for a ``QuantizableMixin`` layer."""

    _int4_axis = 0

    def _int4_block_size(self):
        """The group size (None: per channel) from the config, else the policy name."""
        from kfront import quantizers
        from kfront.dtype_policies import Int4DTypePolicy
        config = self.quantization_config
        if isinstance(config, quantizers.Int4QuantizationConfig):
            block = config.block_size
        elif isinstance(self._dtype_policy, Int4DTypePolicy):
            block = self._dtype_policy.block_size
        else:
            block = None
        return None if block in (None, -1) else block

    def _int4_matrix_shape(self, shape):
        if self._int4_axis == 1:
            return tuple(shape)
        reduced = self._reduced_axes()
        rows = math.prod(d for i, d in enumerate(shape) if i in reduced)
        return rows, math.prod(d for i, d in enumerate(shape) if i not in reduced)

    def _build_int4(self, shape):
        rows, cols = self._int4_matrix_shape(shape)
        base = self.add_weight(name=self._lora_base, shape=(rows, (cols + 1) // 2),
                               initializer="zeros", dtype="int8", trainable=False)
        setattr(self, self._lora_base, base)
        block = self._int4_block_size()
        axis_len = (rows, cols)[self._int4_axis]
        other = (rows, cols)[1 - self._int4_axis]
        if block is None:
            scale_shape = (other,)
        else:
            groups = math.ceil(axis_len / block)
            scale_shape = (groups, other) if self._int4_axis == 0 else (other, groups)
        setattr(self, self._scale_name, self.add_weight(
            name=self._scale_name, shape=scale_shape, initializer="ones", trainable=False))
        if block is not None:
            zero = f"{self._lora_base}_zero"
            setattr(self, zero, self.add_weight(name=zero, shape=scale_shape,
                                                initializer="zeros", dtype="int8",
                                                trainable=False))
            self.g_idx = self.add_weight(
                name="g_idx", shape=(axis_len,), dtype="float32", trainable=False,
                initializer=lambda shape, dtype=None: (np.arange(axis_len) // block).astype(
                    "float32"))

    def _int4_quantize_values(self, weight):
        """{variable name: value} of a float weight (logical shape)."""
        from kfront import quantizers
        matrix = np.reshape(np.asarray(ops.convert_to_numpy(weight)),
                            self._int4_matrix_shape(tuple(weight.shape)))
        axis, block = self._int4_axis, self._int4_block_size()
        out = {}
        if block is None:
            default = quantizers.AbsMaxQuantizer(axis=axis, value_range=(-8, 7))
            quantizer = quantizers.QuantizationConfig.weight_quantizer_or_default(
                self.quantization_config, default)
            q, scale = quantizer(matrix, to_numpy=True)
            q = np.asarray(ops.convert_to_numpy(q))
            out[self._scale_name] = np.squeeze(ops.convert_to_numpy(scale), axis=axis)
        else:
            source = matrix if axis == 0 else matrix.T
            q, scale, zero = quantizers.abs_max_quantize_grouped_with_zero_point(
                source, block_size=block, to_numpy=True)
            q, scale, zero = (np.asarray(ops.convert_to_numpy(t)) for t in (q, scale, zero))
            if axis == 1:
                q, scale, zero = q.T, scale.T, zero.T
            out[self._scale_name] = scale
            out[f"{self._lora_base}_zero"] = zero
        packed, _, _ = quantizers.pack_int4(ops.convert_to_tensor(q.astype("int8")), axis=-1)
        out[self._lora_base] = np.asarray(ops.convert_to_numpy(packed))
        return out

    def _int4_dequantize(self, q, rows=None):
        """The float matrix of unpacked int4 values ``q`` (or of the rows ``rows`` of an
        ``Embedding`` table), in the compute dtype."""
        scale = getattr(self, self._scale_name).value
        q = ops.cast(q, "float32")
        if self._int4_block_size() is None:
            if rows is not None:
                scale = ops.take(scale, rows, axis=0)
            out = ops.divide(q, scale if self._int4_axis == 0 else ops.expand_dims(scale, -1))
        else:
            zero = getattr(self, f"{self._lora_base}_zero").value
            if rows is not None:
                scale, zero = ops.take(scale, rows, axis=0), ops.take(zero, rows, axis=0)
            groups = ops.cast(self.g_idx.value, "int32")
            axis = 0 if self._int4_axis == 0 else -1
            scale = ops.take(scale, groups, axis=axis)
            zero = ops.cast(ops.take(zero, groups, axis=axis), "float32")
            out = ops.multiply(ops.subtract(q, zero), scale)
        return ops.cast(out, self.compute_dtype)

    def _int4_float_weight(self):
        """The dequantized weight in its logical shape."""
        from kfront import quantizers
        shape = self._weight_shape
        cols = self._int4_matrix_shape(shape)[1]
        q = quantizers.unpack_int4(getattr(self, self._lora_base).value, cols, axis=-1)
        return ops.reshape(self._int4_dequantize(q), shape)
