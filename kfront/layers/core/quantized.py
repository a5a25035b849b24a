"""int8 quantization of a layer's main weight (``Dense``/``EinsumDense`` kernel,
``Embedding`` table), as Keras 3's ``layer.quantize("int8")``.

The weight becomes an int8 variable ``q`` with a float scale per output channel
(``scale = 127 / max|W|`` over the axes the layer contracts, so ``W ~ q / scale``). A
projection also quantizes its inputs per row (the config's activation quantizer) and
computes ``(q_x . q) / (scale_x * scale)`` with an integer product (int8 operands
accumulate in int32 on every engine). Its input gradient is the float product's, through
the dequantized weight, as in Keras.
"""
import numpy as np

from kfront import ops
from kfront.layers.core.lora import LoRAMixin, StoredWeight
from kfront.layers.layer import Layer

SUPPORTED_MODES = ("int8",)


def _unsupported_mode(layer, mode):
    return NotImplementedError(
        f"{type(layer).__name__} (layer {layer.name!r}): quantization mode {mode!r} is not "
        f"supported by kfront; supported modes: {list(SUPPORTED_MODES)}.")


class QuantizableMixin(LoRAMixin):
    """``quantize``, quantized dtype policies and Keras-compatible saving for a LoRA-capable
    layer. The class sets ``_lora_base`` (the weight's attribute), ``_squeeze_scale`` (the
    scale drops the contracted axes, as Keras stores Dense's and Embedding's) and defines
    ``_reduced_axes()`` (the weight axes the layer contracts)."""

    _squeeze_scale = True

    # ---- dtype policy: quantized policies are this layer's own to run ----
    @property
    def dtype_policy(self):
        return self._dtype_policy

    @dtype_policy.setter
    def dtype_policy(self, value):
        from kfront import dtype_policies
        policy = dtype_policies.get(value) if value is not None else None
        mode = getattr(policy, "quantization_mode", None)
        if mode is None or isinstance(policy, dtype_policies.DTypePolicyMap):
            Layer.dtype_policy.fset(self, value)
            return
        if mode not in SUPPORTED_MODES:
            raise _unsupported_mode(self, mode)
        object.__setattr__(self, "_dtype_policy", policy)

    @property
    def quantization_mode(self):
        """``"int8"`` once quantized, else None."""
        return self._dtype_policy.quantization_mode

    def _init_quantization(self, quantization_config):
        from kfront import quantizers
        if isinstance(quantization_config, dict):
            quantization_config = quantizers.deserialize(quantization_config)
        if quantization_config is not None and \
                not isinstance(quantization_config, quantizers.QuantizationConfig):
            raise ValueError(f"{type(self).__name__}: `quantization_config` must be a "
                             "kfront.quantizers.QuantizationConfig or None. Received: "
                             f"quantization_config={quantization_config!r}")
        self.quantization_config = quantization_config

    @property
    def _scale_name(self):
        return f"{self._lora_base}_scale"

    def _kept_scale_shape(self, shape):
        return tuple(1 if i in self._reduced_axes() else d for i, d in enumerate(shape))

    def _stored_scale_shape(self, shape):
        if not self._squeeze_scale:
            return self._kept_scale_shape(shape)
        return tuple(d for i, d in enumerate(shape) if i not in self._reduced_axes())

    def _kept_scale(self):
        """The scale with the weight's rank (1 on the contracted axes)."""
        scale = getattr(self, self._scale_name).value
        return ops.reshape(scale, self._kept_scale_shape(getattr(self, self._lora_base).shape))

    def _scale_for_storage(self, kept, shape):
        """A kept-dims scale (NumPy) in the stored layout."""
        return np.reshape(kept, self._stored_scale_shape(shape))

    def _build_quantized_weight(self, shape):
        """The int8 weight and its scale (filled by ``quantize`` or by loading)."""
        from kfront import quantizers
        base = self.add_weight(name=self._lora_base, shape=shape, initializer="zeros",
                               dtype="int8", trainable=False)
        setattr(self, self._lora_base, base)
        setattr(self, self._scale_name, self.add_weight(
            name=self._scale_name, shape=self._stored_scale_shape(shape), initializer="ones",
            trainable=False))
        self.inputs_quantizer = quantizers.QuantizationConfig.activation_quantizer_or_default(
            self.quantization_config, quantizers.AbsMaxQuantizer())

    def _weight_quantizer(self):
        from kfront import quantizers
        default = quantizers.AbsMaxQuantizer(axis=self._reduced_axes())
        return quantizers.QuantizationConfig.weight_quantizer_or_default(
            self.quantization_config, default)

    def _quantize_values(self, weight):
        """(int8 values, stored scale) of a float weight."""
        q, scale = self._weight_quantizer()(weight, to_numpy=True)
        return (np.asarray(ops.convert_to_numpy(q)),
                self._scale_for_storage(ops.convert_to_numpy(scale), tuple(weight.shape)))

    def quantize(self, mode=None, type_check=True, config=None):
        """Quantizes the layer's weight in place (``"int8"``).

        Args:
            mode: the quantization mode (``"int8"``; optional when ``config`` names it).
            type_check: refuse subclasses, whose ``call`` may not read the weight as this
                class does (Keras's rule).
            config: a ``kfront.quantizers.QuantizationConfig`` (default: the mode's).

        Raises:
            NotImplementedError: for a subclass (with ``type_check``) or a mode kfront does
                not run.
            ValueError: for an unbuilt or already quantized layer, or a bad mode/config.
        """
        from kfront import dtype_policies
        from kfront.quantizers.quantization_config import validate_and_resolve_config
        if type_check and type(self) not in self._quantizable_classes():
            raise NotImplementedError(f"Layer {type(self).__name__} does not have a "
                                      "`quantize()` method implemented.")
        config = validate_and_resolve_config(mode, config)
        mode = config.mode
        if mode not in SUPPORTED_MODES:
            raise _unsupported_mode(self, mode)
        if not self.built:
            raise ValueError(f"Cannot quantize a layer that isn't yet built. Layer "
                             f"'{self.name}' (of type '{type(self).__name__}') is not built "
                             "yet.")
        if self.quantization_mode is not None:
            raise ValueError(f"Layer '{self.name}' is already quantized with "
                             f"dtype_policy='{self.dtype_policy.name}'. Received: mode={mode}")
        self.quantization_config = config
        old = getattr(self, self._lora_base)
        q, scale = self._quantize_values(old)
        # The float weight leaves the layer: its variable, its regularizer.
        self._tracked[:] = [t for t in self._tracked if t is not old]
        self._regularized[:] = [(v, r) for v, r in self._regularized if v is not old]
        self._build_quantized_weight(tuple(old.shape))
        getattr(self, self._lora_base).assign(q)
        getattr(self, self._scale_name).assign(scale.astype(self.variable_dtype))
        self.dtype_policy = dtype_policies.get(f"{mode}_from_{self.dtype_policy.name}")

    @classmethod
    def _quantizable_classes(cls):
        return ()

    # ---- saving, as Keras writes it: LoRA merged into the weight ----
    def _merged_quantized(self):
        """(int8 values, stored scale) with the LoRA update merged and quantized again."""
        q = getattr(self, self._lora_base)
        if not self.lora_enabled:
            return q.value, getattr(self, self._scale_name).value
        float_weight = ops.divide(ops.cast(q.value, self.compute_dtype), self._kept_scale())
        return self._quantize_values(ops.add(float_weight, self._lora_delta()))

    def _storage_variables(self):
        """What saving writes for this layer, as Keras 3 orders it: the weight (LoRA merged
        in), the other weights (the bias), then the int8 scale; the LoRA factors are not
        written. Loading the weight zeroes the factors."""
        if self.quantization_mode is None:
            return super()._storage_variables()
        base = getattr(self, self._lora_base)
        scale = getattr(self, self._scale_name)
        others = self._weights_besides(base, scale)
        loader = self._loader
        return [StoredWeight(base, lambda: self._merged_quantized()[0], loader(base))] + \
            others + [StoredWeight(scale, lambda: self._merged_quantized()[1], loader(scale))]

    def _quantization_config_entry(self):
        from kfront import quantizers
        # Keras 3 writes the key always (None when unset).
        return {"quantization_config": quantizers.serialize(self.quantization_config)}

    # ---- the int8 product of a projection ----
    def _int8_project(self, inputs, equation, grad_equation, input_reduced_axes):
        """``einsum(equation, inputs, W)`` with the int8 weight (see the module docs)."""
        compute = self.compute_dtype
        kernel = getattr(self, self._lora_base).value
        kernel_scale = ops.cast(self._kept_scale(), compute)
        quantizer = self.inputs_quantizer

        @ops.custom_gradient
        def product(x, k, k_scale):
            def grad(*args, upstream=None):
                if upstream is None:
                    (upstream,) = args
                float_kernel = ops.divide(ops.cast(k, compute), k_scale)
                return ops.einsum(grad_equation, upstream, float_kernel), None, None

            if quantizer is None:
                float_kernel = ops.divide(ops.cast(k, compute), k_scale)
                return ops.einsum(equation, x, float_kernel), grad
            q_x, x_scale = quantizer(x, axis=input_reduced_axes)
            # int8 operands: every engine's einsum accumulates in int32 (as Keras's).
            out = ops.cast(ops.einsum(equation, q_x, k), compute)
            return ops.divide(out, ops.einsum(equation, ops.cast(x_scale, compute), k_scale)), \
                grad

        x = product(ops.cast(inputs, compute), kernel, kernel_scale)
        if self.lora_enabled:
            a, b = self._lora_factors()
            update = ops.einsum(equation, inputs, ops.matmul(a.value, b.value))
            x = ops.cast(ops.add(x, ops.multiply(self.lora_alpha / self.lora_rank, update)),
                         compute)
        return x
