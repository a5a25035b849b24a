"""Quantization of a layer's main weight (``Dense``/``EinsumDense`` kernel, ``Embedding``
table), as Keras 3's ``layer.quantize(mode)``: int8 here, int4 in ``quantized_int4``, float8
(``Dense``/``EinsumDense``) in ``quantized_float8``.

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
from kfront.layers.core.quantized_float8 import Float8Mixin
from kfront.layers.core.quantized_int4 import Int4Mixin
from kfront.layers.layer import Layer

SUPPORTED_MODES = ("int8", "int4", "float8")


def _unsupported_mode(layer, mode):
    modes = layer._supported_modes()
    return NotImplementedError(
        f"{type(layer).__name__} (layer {layer.name!r}): quantization mode {mode!r} is not "
        f"supported by this layer; supported modes: {list(modes)}.")


class QuantizableMixin(Int4Mixin, Float8Mixin, LoRAMixin):
    """``quantize``, quantized dtype policies and Keras-compatible saving for a LoRA-capable
    layer. The class sets ``_lora_base`` (the weight's attribute), ``_squeeze_scale`` (the
    int8 scale drops the contracted axes, as Keras stores Dense's and Embedding's),
    ``_float8`` (whether it runs float8) and defines ``_reduced_axes()`` (the weight axes
    the layer contracts)."""

    _squeeze_scale = True
    _float8 = True

    @classmethod
    def _supported_modes(cls):
        return SUPPORTED_MODES if cls._float8 else tuple(m for m in SUPPORTED_MODES
                                                         if m != "float8")

    # ---- dtype policy: quantized policies are this layer's own to run ----
    @property
    def dtype_policy(self):
        return self._dtype_policy

    @dtype_policy.setter
    def dtype_policy(self, value):
        from kfront import dtype_policies
        value = self._from_policy_map(value)
        policy = dtype_policies.get(value) if value is not None else None
        mode = getattr(policy, "quantization_mode", None)
        if mode is None:
            Layer.dtype_policy.fset(self, value)
            return
        if mode not in self._supported_modes():
            raise _unsupported_mode(self, mode)
        if self.__dict__.get("built") and self.quantization_mode is None:
            # Keras: a quantized policy on a built float layer quantizes it.
            self.quantize(mode)
            return
        object.__setattr__(self, "_dtype_policy", policy)

    @property
    def quantization_mode(self):
        """``"int8"``, ``"int4"`` or ``"float8"`` once quantized, else None."""
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
        """The int8 scale with the weight's rank (1 on the contracted axes)."""
        scale = getattr(self, self._scale_name).value
        return ops.reshape(scale, self._kept_scale_shape(self._weight_shape))

    def _scale_for_storage(self, kept, shape):
        """A kept-dims scale (NumPy) in the stored layout."""
        return np.reshape(kept, self._stored_scale_shape(shape))

    def _build_weight(self, shape, make_float):
        """The main weight: ``make_float()`` (a float variable) or, under an int8/int4
        policy, the quantized variables (filled by ``quantize`` or by loading); float8
        adds its scales and histories."""
        self._weight_shape = tuple(shape)
        mode = self.quantization_mode
        if mode in ("int8", "int4"):
            self._build_quantized_weight(shape, mode)
            return
        setattr(self, self._lora_base, make_float())
        if mode == "float8":
            self._build_float8()

    def _build_quantized_weight(self, shape, mode):
        from kfront import quantizers
        default_inputs = quantizers.AbsMaxQuantizer() if mode == "int8" else None
        self.inputs_quantizer = quantizers.QuantizationConfig.activation_quantizer_or_default(
            self.quantization_config, default_inputs)
        if mode == "int4":
            self._build_int4(shape)
            return
        base = self.add_weight(name=self._lora_base, shape=shape, initializer="zeros",
                               dtype="int8", trainable=False)
        setattr(self, self._lora_base, base)
        setattr(self, self._scale_name, self.add_weight(
            name=self._scale_name, shape=self._stored_scale_shape(shape), initializer="ones",
            trainable=False))

    def _weight_quantizer(self):
        from kfront import quantizers
        default = quantizers.AbsMaxQuantizer(axis=self._reduced_axes())
        return quantizers.QuantizationConfig.weight_quantizer_or_default(
            self.quantization_config, default)

    def _quantize_values(self, weight):
        """{variable name: value} of a float weight in the layer's quantization mode."""
        if self.quantization_mode == "int4":
            return self._int4_quantize_values(weight)
        q, scale = self._weight_quantizer()(weight, to_numpy=True)
        return {self._lora_base: np.asarray(ops.convert_to_numpy(q)),
                self._scale_name: self._scale_for_storage(ops.convert_to_numpy(scale),
                                                          tuple(weight.shape))}

    def _float_weight(self):
        """The dequantized main weight, in its logical shape and the compute dtype."""
        if self.quantization_mode == "int4":
            return self._int4_float_weight()
        base = getattr(self, self._lora_base).value
        return ops.divide(ops.cast(base, self.compute_dtype),
                          ops.cast(self._kept_scale(), self.compute_dtype))

    def quantize(self, mode=None, type_check=True, config=None):
        """Quantizes the layer's weight in place.

        Args:
            mode: ``"int8"``, ``"int4"`` or (``Dense``/``EinsumDense``) ``"float8"``;
                optional when ``config`` names it.
            type_check: refuse subclasses, whose ``call`` may not read the weight as this
                class does (Keras's rule).
            config: a ``kfront.quantizers.QuantizationConfig`` (default: the mode's; int4's
                ``block_size`` picks per-channel or grouped scales).

        Raises:
            NotImplementedError: for a subclass (with ``type_check``) or a mode this layer
                does not run.
            ValueError: for an unbuilt or already quantized layer, or a bad mode/config.
        """
        from kfront import dtype_policies
        from kfront.quantizers.quantization_config import validate_and_resolve_config
        if type_check and type(self) not in self._quantizable_classes():
            raise NotImplementedError(f"Layer {type(self).__name__} does not have a "
                                      "`quantize()` method implemented.")
        config = validate_and_resolve_config(mode, config)
        mode = config.mode
        if mode not in self._supported_modes():
            raise _unsupported_mode(self, mode)
        if not self.built:
            raise ValueError(f"Cannot quantize a layer that isn't yet built. Layer "
                             f"'{self.name}' (of type '{type(self).__name__}') is not built "
                             "yet.")
        if self.quantization_mode is not None:
            raise ValueError(f"Layer '{self.name}' is already quantized with "
                             f"dtype_policy='{self.dtype_policy.name}'. Received: mode={mode}")
        source = self.dtype_policy.name
        self.quantization_config = config
        if mode == "int4":
            block = getattr(config, "block_size", None)
            name = f"int4/{-1 if block in (None, -1) else block}_from_{source}"
        else:
            name = f"{mode}_from_{source}"
        policy = dtype_policies.get(name)
        if mode == "float8":
            object.__setattr__(self, "_dtype_policy", policy)
            self._build_float8()
        else:
            old = getattr(self, self._lora_base)
            self._weight_shape = tuple(old.shape)
            object.__setattr__(self, "_dtype_policy", policy)
            values = self._quantize_values(old)
            # The float weight leaves the layer: its variable, its regularizer.
            self._tracked[:] = [t for t in self._tracked if t is not old]
            self._regularized[:] = [(v, r) for v, r in self._regularized if v is not old]
            self._build_quantized_weight(self._weight_shape, mode)
            for name_, value in values.items():
                variable = getattr(self, name_)
                variable.assign(np.asarray(value).astype(variable.dtype))
        self._from_policy_map(policy)

    @classmethod
    def _quantizable_classes(cls):
        return ()

    # ---- saving, as Keras writes it: LoRA merged into the weight ----
    def _quantized_names(self):
        """The quantized variables in Keras's file order, the bias between the weight and
        the rest."""
        if self.quantization_mode == "float8":
            return [self._lora_base, "bias"] + [f"{p}_{s}" for p in ("inputs", "kernel",
                                                                     "outputs_grad")
                                                for s in ("scale", "amax_history")]
        names = [self._lora_base, "bias", self._scale_name]
        if self.quantization_mode == "int4" and self._int4_block_size() is not None:
            names += [f"{self._lora_base}_zero", "g_idx"]
        return names

    def _merged_quantized(self):
        """{name: value} of the quantized variables with the LoRA update merged in."""
        merged = ops.add(self._float_weight(), self._lora_delta())
        return self._quantize_values(merged)

    def _storage_variables(self):
        """What saving writes for this layer, as Keras 3 orders it; with LoRA the weight is
        merged and quantized again and the factors are not written. Loading the weight
        zeroes the factors."""
        if self.quantization_mode is None:
            return super()._storage_variables()
        if self.quantization_mode == "float8":
            if self.lora_enabled:
                raise NotImplementedError("Currently, `_float8_call` doesn't support LoRA")
            return [getattr(self, n) for n in self._quantized_names()
                    if getattr(self, n, None) is not None]
        stored = []
        for name in self._quantized_names():
            variable = getattr(self, name, None)
            if variable is None:
                continue
            if self.lora_enabled and name not in ("bias", "g_idx"):
                variable = StoredWeight(variable, lambda n=name: self._merged_quantized()[n],
                                        self._loader(variable))
            stored.append(variable)
        return stored

    def _quantization_config_entry(self):
        from kfront import quantizers
        # Keras 3 writes the key always (None when unset).
        return {"quantization_config": quantizers.serialize(self.quantization_config)}

    # ---- the quantized product of a projection ----
    def _quantized_project(self, inputs, equation, grad_equation, input_reduced_axes,
                           training=None):
        """``einsum(equation, inputs, W)`` with the quantized weight (see the module docs);
        float8 adds the bias itself."""
        if self.quantization_mode == "float8":
            return self._float8_project(inputs, equation, training)
        compute = self.compute_dtype
        quantizer = self.inputs_quantizer
        integer = self.quantization_mode == "int8" and quantizer is not None
        if integer:
            kernel = getattr(self, self._lora_base).value
            kernel_scale = ops.cast(self._kept_scale(), compute)
        else:
            kernel, kernel_scale = self._float_weight(), ops.ones((), compute)

        @ops.custom_gradient
        def product(x, k, k_scale):
            def grad(*args, upstream=None):
                if upstream is None:
                    (upstream,) = args
                float_kernel = ops.divide(ops.cast(k, compute), k_scale)
                return ops.einsum(grad_equation, upstream, float_kernel), None, None

            if quantizer is None:
                return ops.einsum(equation, x, k), grad
            q_x, x_scale = quantizer(x, axis=input_reduced_axes)
            if integer:
                # int8 operands: every engine's einsum accumulates in int32 (as Keras's).
                out = ops.cast(ops.einsum(equation, q_x, k), compute)
            else:
                out = ops.einsum(equation, ops.cast(q_x, compute), k)
            scale = ops.einsum(equation, ops.cast(x_scale, compute),
                               ops.broadcast_to(k_scale, self._kept_scale_shape(
                                   self._weight_shape)))
            return ops.divide(out, scale), grad

        x = product(ops.cast(inputs, compute), kernel, kernel_scale)
        if self.lora_enabled:
            a, b = self._lora_factors()
            update = ops.einsum(equation, inputs, ops.matmul(a.value, b.value))
            x = ops.cast(ops.add(x, ops.multiply(self.lora_alpha / self.lora_rank, update)),
                         compute)
        return x
