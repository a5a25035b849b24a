"""``Dense``: ``activation(inputs @ kernel + bias)`` over the last axis."""
from kfront import activations, constraints, initializers, ops, regularizers
from kfront.backend.keras_tensor import KerasTensor
from kfront.layers.core.projection import project
from kfront.layers.core.quantized import QuantizableMixin
from kfront.layers.input_spec import InputSpec
from kfront.layers.layer import Layer


class Dense(QuantizableMixin, Layer):
    """``activation(inputs @ kernel + bias)``; ``lora_rank`` enables LoRA once built
    (``enable_lora``) and ``quantize("int8" | "int4" | "float8")`` quantizes the kernel
    (see ``kfront.layers.core.lora``/``quantized``)."""

    def __init__(self, units, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
                 lora_rank=None, lora_alpha=None, quantization_config=None, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self._init_lora(lora_rank, lora_alpha)
        self._init_quantization(quantization_config)
        if not isinstance(units, int) or isinstance(units, bool) or units <= 0:
            raise ValueError(f"Dense: `units` must be a positive int, received units={units!r}.")
        self.units = units
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.input_spec = InputSpec(min_ndim=2)
        self.supports_masking = True

    def build(self, input_shape):
        in_dim = input_shape[-1]
        if in_dim is None:
            raise ValueError(f'Dense layer "{self.name}" needs a known last input dimension, '
                             f"received input shape {input_shape}.")
        self._build_weight((in_dim, self.units), lambda: self.add_weight(
            name="kernel", shape=(in_dim, self.units), initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer, constraint=self.kernel_constraint))
        self.bias = self.add_weight(name="bias", shape=(self.units,),
                                    initializer=self.bias_initializer,
                                    regularizer=self.bias_regularizer,
                                    constraint=self.bias_constraint) if self.use_bias else None
        self.input_spec = InputSpec(min_ndim=2, axes={-1: in_dim})
        self.built = True
        if self.lora_rank:
            self.enable_lora(self.lora_rank, self.lora_alpha)

    def _reduced_axes(self):
        return (0,)

    @classmethod
    def _quantizable_classes(cls):
        return (Dense,)

    def call(self, inputs, training=None):
        bias = None if self.bias is None else self.bias.value
        if self.quantization_mode == "float8":
            return self.activation(self._quantized_project(inputs, "...a,ab->...b", None, -1,
                                                           training))
        if self.quantization_mode is not None:
            x = self._quantized_project(inputs, "...a,ab->...b", "...b,ab->...a", -1)
            return self.activation(x if bias is None else ops.add(x, bias))
        return self.activation(project("...a,ab->...b", inputs,
                                       self._with_lora(self.kernel.value), bias, ops.matmul))

    def compute_output_spec(self, inputs):
        return KerasTensor(tuple(inputs.shape[:-1]) + (self.units,), dtype=self.dtype)

    def get_config(self):
        return {**super().get_config(), "units": self.units,
                "activation": activations.serialize(self.activation), "use_bias": self.use_bias,
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer),
                "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
                "bias_regularizer": regularizers.serialize(self.bias_regularizer),
                "kernel_constraint": constraints.serialize(self.kernel_constraint),
                "bias_constraint": constraints.serialize(self.bias_constraint),
                **self._quantization_config_entry(), **self._lora_config()}
