"""``Masking``: marks time steps whose features all equal ``mask_value`` as padding."""
from kfront import ops
from kfront.layers.layer import Layer


class Masking(Layer):
    """Masks a step (axis -2) where every feature equals ``mask_value``.

    The output is the input with masked steps zeroed; the mask (batch, steps) goes to the
    next layers (RNNs skip masked steps).
    """

    def __init__(self, mask_value=0.0, **kwargs):
        super().__init__(**kwargs)
        self.mask_value = mask_value
        self.supports_masking = True
        self.built = True

    def compute_mask(self, inputs, mask=None):
        return ops.any(ops.not_equal(inputs, self.mask_value), axis=-1)

    def call(self, inputs):
        keep = ops.any(ops.not_equal(inputs, self.mask_value), axis=-1, keepdims=True)
        return ops.multiply(inputs, ops.cast(keep, ops.dtype(inputs)))

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "mask_value": self.mask_value}
