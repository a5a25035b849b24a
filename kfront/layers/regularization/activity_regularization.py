"""``ActivityRegularization``: passes inputs through and adds an L1/L2 penalty on them."""
from kfront import regularizers
from kfront.layers.layer import Layer


class ActivityRegularization(Layer):
    """Identity whose output adds ``l1 * sum(|x|) + l2 * sum(x**2)``, divided by the batch
    size, to the layer's losses (the base layer's ``activity_regularizer`` does the work)."""

    def __init__(self, l1=0.0, l2=0.0, **kwargs):
        kwargs.pop("activity_regularizer", None)
        super().__init__(activity_regularizer=regularizers.L1L2(l1=l1, l2=l2), **kwargs)
        self.l1 = l1
        self.l2 = l2
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        config = {**super().get_config(), "l1": self.l1, "l2": self.l2}
        config.pop("activity_regularizer", None)
        return config
