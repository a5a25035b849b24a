"""``Embedding``: integer ids to dense vectors (a table lookup)."""
from kfront import constraints, initializers, ops, regularizers
from kfront.backend.keras_tensor import KerasTensor
from kfront.layers.core.quantized import QuantizableMixin
from kfront.layers.layer import Layer


class Embedding(QuantizableMixin, Layer):
    """Integer ids to rows of ``embeddings``; ``lora_rank`` enables LoRA once built
    (``enable_lora``) and ``quantize("int8" | "int4")`` stores the table as int8 (or packed
    int4) with a scale per row (or per group of a row) (see ``kfront.layers.core.lora``/``quantized``)."""

    _lora_base = "embeddings"
    _int4_axis = 1
    _float8 = False

    def __init__(self, input_dim, output_dim, embeddings_initializer="uniform",
                 embeddings_regularizer=None, embeddings_constraint=None, mask_zero=False,
                 lora_rank=None, lora_alpha=None, quantization_config=None, **kwargs):
        super().__init__(**kwargs)
        self._init_lora(lora_rank, lora_alpha)
        self._init_quantization(quantization_config)
        for arg, value in (("input_dim", input_dim), ("output_dim", output_dim)):
            if not isinstance(value, int) or value <= 0:
                raise ValueError(f"Embedding: `{arg}` must be a positive int, received {value!r}.")
        self.input_dim = input_dim
        self.output_dim = output_dim
        if embeddings_initializer == "uniform":
            embeddings_initializer = initializers.RandomUniform()
        self.embeddings_initializer = initializers.get(embeddings_initializer)
        self.embeddings_regularizer = regularizers.get(embeddings_regularizer)
        self.embeddings_constraint = constraints.get(embeddings_constraint)
        self.mask_zero = mask_zero
        self.supports_masking = bool(mask_zero)

    def build(self, input_shape=None):
        self._build_weight((self.input_dim, self.output_dim), lambda: self.add_weight(
            name="embeddings", shape=(self.input_dim, self.output_dim),
            initializer=self.embeddings_initializer, regularizer=self.embeddings_regularizer,
            constraint=self.embeddings_constraint))
        self.built = True
        if self.lora_rank:
            self.enable_lora(self.lora_rank, self.lora_alpha)

    def _reduced_axes(self):
        # One scale per row: a lookup reads whole rows.
        return (1,)

    @classmethod
    def _quantizable_classes(cls):
        return (Embedding,)

    def call(self, inputs):
        if "int" not in ops.dtype(inputs):
            inputs = ops.cast(inputs, "int32")
        if self.quantization_mode is None:
            return ops.take(self._with_lora(self.embeddings.value), inputs, axis=0)
        if self.quantization_mode == "int4":
            from kfront import quantizers
            q = quantizers.unpack_int4(self.embeddings.value, self.output_dim, axis=-1)
            outputs = self._int4_dequantize(ops.take(q, inputs, axis=0), rows=inputs)
        else:
            scale = ops.take(getattr(self, self._scale_name).value, inputs, axis=0)
            outputs = ops.divide(ops.cast(ops.take(self.embeddings.value, inputs, axis=0),
                                          self.compute_dtype), ops.expand_dims(scale, -1))
        if self.lora_enabled:
            a, b = self._lora_factors()
            update = ops.matmul(ops.take(a.value, inputs, axis=0), b.value)
            outputs = ops.cast(ops.add(outputs, ops.multiply(self.lora_alpha / self.lora_rank,
                                                             update)), self.compute_dtype)
        return outputs

    def compute_mask(self, inputs, mask=None):
        """With ``mask_zero``: True where the id is not 0 (padding)."""
        if not self.mask_zero:
            return None
        return ops.not_equal(inputs, 0)

    def compute_output_spec(self, inputs):
        return KerasTensor(tuple(inputs.shape) + (self.output_dim,), dtype=self.dtype)

    def get_config(self):
        return {**super().get_config(), "input_dim": self.input_dim,
                "output_dim": self.output_dim, "mask_zero": self.mask_zero,
                "embeddings_initializer": initializers.serialize(self.embeddings_initializer),
                "embeddings_regularizer": regularizers.serialize(self.embeddings_regularizer),
                "embeddings_constraint": constraints.serialize(self.embeddings_constraint),
                **self._quantization_config_entry(), **self._lora_config()}
