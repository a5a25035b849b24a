"""float8 training and inference for ``Dense`` and ``EinsumDense``, as Keras 3's
``layer.quantize("float8")``: delayed scaling.

The inputs and the kernel pass through float8 e4m3 (``x / scale`` rounded, times ``scale``)
before the product, and the gradient of the outputs through float8 e5m2. Each of the three
has a scale and a history of its absolute maxima (``amax_history_length`` long, from the
policy). In training, the custom gradients return the next scale (from the history's
maximum) and the history with the new maximum as the "gradients" of those variables, and the
optimizer writes them in (``overwrite_with_gradient``); the kernel and the inputs get the
straight-through gradient.
"""
from kfront import ops

# ml_dtypes' finfo(...).max of the two formats.
_E4M3_MAX, _E5M2_MAX = 448.0, 57344.0
_FLOAT8_VARIABLES = ("inputs", "kernel", "outputs_grad")


class Float8Mixin:
    """float8 variables and the float8 product for a ``QuantizableMixin`` layer."""

    def _build_float8(self):
        length = getattr(self._dtype_policy, "amax_history_length", 1024)
        for prefix in _FLOAT8_VARIABLES:
            for suffix, shape in (("scale", ()), ("amax_history", (length,))):
                name = f"{prefix}_{suffix}"
                setattr(self, name, self.add_weight(
                    name=name, shape=shape, initializer="ones" if suffix == "scale" else "zeros",
                    dtype="float32", trainable=True, autocast=False,
                    overwrite_with_gradient=True))

    def _float8_qdq_inputs(self, x, scale, history, training):
        from kfront import quantizers
        compute = self.compute_dtype

        @ops.custom_gradient
        def qdq(x, scale, history):
            new_scale = new_history = None
            if training:
                new_scale = quantizers.compute_float8_scale(ops.max(history, axis=0), scale,
                                                            ops.cast(_E4M3_MAX, "float32"))
                new_history = quantizers.compute_float8_amax_history(x, history)

            def grad(*args, upstream=None):
                if upstream is None:
                    (upstream,) = args
                return upstream, new_scale, new_history

            return quantizers.quantize_and_dequantize(x, scale, "float8_e4m3fn", compute), grad

        return qdq(x, scale, history)

    def _float8_qdq_output_grad(self, y, scale, history):
        from kfront import quantizers
        compute = self.compute_dtype

        @ops.custom_gradient
        def qdq(y, scale, history):
            def grad(*args, upstream=None):
                if upstream is None:
                    (upstream,) = args
                new_scale = quantizers.compute_float8_scale(ops.max(history, axis=0), scale,
                                                            ops.cast(_E5M2_MAX, "float32"))
                return (quantizers.quantize_and_dequantize(upstream, scale, "float8_e5m2",
                                                           compute),
                        new_scale, quantizers.compute_float8_amax_history(upstream, history))

            return y, grad

        return qdq(y, scale, history)

    def _float8_project(self, inputs, equation, training):
        """``einsum(equation, inputs, kernel) + bias`` through float8."""
        if self.lora_enabled:
            raise NotImplementedError("Currently, `_float8_call` doesn't support LoRA")
        x = self._float8_qdq_inputs(inputs, self.inputs_scale.value,
                                    self.inputs_amax_history.value, training)
        kernel = self._float8_qdq_inputs(self.kernel.value, self.kernel_scale.value,
                                         self.kernel_amax_history.value, training)
        y = self._float8_qdq_output_grad(ops.einsum(equation, x, kernel),
                                         self.outputs_grad_scale.value,
                                         self.outputs_grad_amax_history.value)
        if self.bias is not None:
            bias = self.bias.value
            if self.compute_dtype == "float32":
                # Keras rounds a float32 bias through bfloat16 here (for XLA's fused
                # bias-add); the same numbers need the same rounding.
                bias = ops.cast(ops.cast(bias, "bfloat16"), "float32")
            y = ops.add(y, bias)
        return y
