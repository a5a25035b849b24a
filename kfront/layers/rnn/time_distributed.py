"""``TimeDistributed``: applies a layer to every time step (axis 1) of its input."""
from kfront import ops
from kfront.backend.keras_tensor import KerasTensor
from kfront.layers.layer import Layer


class TimeDistributed(Layer):
    """``TimeDistributed(Dense(8))`` on (batch, steps, features) gives (batch, steps, 8).

    Time steps are folded into the batch for one call of the wrapped layer; a layer whose
    training-time output depends on the whole batch (BatchNormalization) then sees
    ``batch * steps`` rows at once.
    """

    def __init__(self, layer, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError("TimeDistributed: `layer` must be a Layer instance; received "
                             f"{layer!r}.")
        super().__init__(**kwargs)
        self.layer = layer
        self.supports_masking = True

    def _check(self, input_shape):
        if len(input_shape) < 3:
            raise ValueError(f'Layer "{self.name}" (TimeDistributed) expects inputs of at least '
                             f"rank 3 (batch, timesteps, ...), received input shape "
                             f"{tuple(input_shape)}.")

    def build(self, input_shape):
        self._check(input_shape)
        if not self.layer.built:
            self.layer.build((None,) + tuple(input_shape[2:]))
            self.layer.built = True
        self.built = True

    def compute_output_spec(self, inputs, training=None, mask=None):
        self._check(inputs.shape)
        inner = self.layer.compute_output_spec(
            KerasTensor((None,) + tuple(inputs.shape[2:]), dtype=inputs.dtype))
        return KerasTensor(tuple(inputs.shape[:2]) + tuple(inner.shape[1:]), dtype=inner.dtype)

    def call(self, inputs, training=None, mask=None):
        shape = ops.shape(inputs)
        self._check(shape)
        batch, steps = shape[0], shape[1]
        folded = ops.reshape(inputs, (-1,) + tuple(shape[2:]))
        kwargs = {}
        if self.layer._call_takes_training:
            kwargs["training"] = training
        if mask is not None and self.layer._call_takes_mask:
            kwargs["mask"] = ops.reshape(mask, (-1,) + tuple(ops.shape(mask)[2:]))
        out = self.layer(folded, **kwargs)
        out_shape = tuple(ops.shape(out))
        if batch is None:
            return ops.reshape(out, (-1, steps) + out_shape[1:])
        return ops.reshape(out, (batch, steps) + out_shape[1:])

    def get_config(self):
        return {**super().get_config(),
                "layer": {"class_name": type(self.layer).__name__,
                          "config": self.layer.get_config()}}

    @classmethod
    def from_config(cls, config):
        from kfront import layers
        config = dict(config)
        entry = config.pop("layer")
        layer = getattr(layers, entry["class_name"]).from_config(entry["config"])
        return cls(layer, **config)
