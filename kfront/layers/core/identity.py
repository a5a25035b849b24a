"""``Identity``: returns its inputs unchanged (a placeholder layer)."""
from kfront.backend.keras_tensor import KerasTensor
from kfront.layers.layer import Layer
from kfront.utils import tree


class Identity(Layer):
    """Returns its input (any nested structure of tensors) unchanged; masks pass through.

    >>> kfront.layers.Identity()(x) is x
    True
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        return inputs

    def compute_mask(self, inputs, mask=None):
        return mask

    def compute_output_shape(self, input_shape):
        return input_shape

    def compute_output_spec(self, inputs):
        return tree.map_structure(lambda x: KerasTensor(x.shape, dtype=x.dtype), inputs)
