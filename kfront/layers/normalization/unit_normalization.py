"""``UnitNormalization``: scales each example to unit L2 norm over ``axis``."""
from kfront import ops
from kfront.layers.layer import Layer
from kfront.layers.normalization._common import check_axes


class UnitNormalization(Layer):
    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        if isinstance(axis, (list, tuple)):
            self.axis = list(axis)
        elif isinstance(axis, int) and not isinstance(axis, bool):
            self.axis = axis
        else:
            raise TypeError("UnitNormalization: expected an int or a list/tuple of ints for "
                            f"`axis`, received axis={axis!r}.")
        self.supports_masking = True
        self.built = True

    def _axes(self):
        return self.axis if isinstance(self.axis, list) else [self.axis]

    def call(self, inputs):
        axes = tuple(check_axes("UnitNormalization", self._axes(), len(ops.shape(inputs))))
        norm = ops.sqrt(ops.sum(ops.square(inputs), axis=axes, keepdims=True))
        return inputs / ops.maximum(norm, 1e-12)

    def compute_output_shape(self, input_shape):
        check_axes("UnitNormalization", self._axes(), len(input_shape))
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}
