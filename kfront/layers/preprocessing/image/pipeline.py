"""``Pipeline``: layers applied one after another, as a plain layer (not a model)."""
from kfront.layers.layer import Layer
from kfront.layers.preprocessing.image._tf_data import TFDataCallable


class Pipeline(TFDataCallable, Layer):
    """Applies ``layers`` in order; ``training`` is passed to each layer that takes it.

    Unlike ``Sequential`` it is a layer, not a model: it suits preprocessing and
    augmentation chains, in a model or in a ``tf.data`` map (each kfront image layer then
    runs on TensorFlow tensors, see ``_base``)::

        augment = kfront.layers.Pipeline([kfront.layers.RandomFlip(),
                                          kfront.layers.RandomRotation(0.1)])
        ds = ds.map(lambda x, y: (augment(x), y))

    Args:
        layers: a list of layers.
        name: the layer's name.
    """

    def __init__(self, layers, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        if not isinstance(layers, (list, tuple)) or not all(isinstance(l, Layer)
                                                            for l in layers):
            raise ValueError("Pipeline: `layers` must be a list of kfront layers. Received: "
                             f"layers={layers!r}")
        self._pipeline_layers = list(layers)
        self.built = True

    @property
    def layers(self):
        return self._pipeline_layers

    def call(self, inputs, training=True):
        for layer in self._pipeline_layers:
            if layer._call_takes_training:
                inputs = layer(inputs, training=training)
            else:
                inputs = layer(inputs)
        return inputs

    def compute_output_shape(self, input_shape):
        for layer in self._pipeline_layers:
            input_shape = layer.compute_output_shape(input_shape)
        return input_shape

    def get_config(self):
        from kfront.layers.serialization import serialize
        return {"layers": [serialize(layer) for layer in self._pipeline_layers],
                "name": self.name}

    @classmethod
    def from_config(cls, config):
        from kfront.layers.serialization import deserialize
        config = dict(config)
        layers = [deserialize(c) for c in config.pop("layers")]
        return cls(layers, **config)
