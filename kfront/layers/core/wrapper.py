"""``Wrapper``: the base of layers that wrap another layer (``SpectralNormalization``)."""
from kfront.layers.layer import Layer


class Wrapper(Layer):
    """Holds ``layer`` as ``self.layer``; builds it on first use and saves it in its config.

    Subclasses add behaviour around ``self.layer(...)`` in their ``call``.

    Args:
        layer: the wrapped ``Layer`` instance.
        **kwargs: the base ``Layer`` arguments (``name``, ``trainable``, ``dtype``).
    """

    def __init__(self, layer, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError(f"Layer {layer!r} supplied to {type(self).__name__} isn't a "
                             "supported layer type. Please ensure wrapped layer is a valid "
                             "Keras layer.")
        super().__init__(**kwargs)
        self.layer = layer

    def build(self, input_shape=None):
        if not self.layer.built:
            self.layer.build(input_shape)
            self.layer.built = True
        self.built = True

    def get_config(self):
        from kfront.saving.serialization import serialize_object
        return {**super().get_config(), "layer": serialize_object(self.layer)}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from kfront.saving.serialization import deserialize_object
        config = dict(config)
        layer = config.pop("layer")
        if not isinstance(layer, Layer):
            layer = deserialize_object(layer, "layer", custom_objects)
        return cls(layer, **config)
