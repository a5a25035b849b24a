"""``Permute``: reorders the non-batch axes (1-indexed, as in Keras)."""
from kfront import ops
from kfront.layers.input_spec import InputSpec
from kfront.layers.layer import Layer


class Permute(Layer):
    def __init__(self, dims, **kwargs):
        super().__init__(**kwargs)
        self.dims = tuple(dims)
        if sorted(self.dims) != list(range(1, len(self.dims) + 1)):
            raise ValueError("Permute: invalid permutation argument `dims`. `dims` should be "
                             f"a permutation of 1..{len(self.dims)} (the batch axis 0 stays "
                             f"first). Received: dims={dims!r}")
        self.input_spec = InputSpec(ndim=len(self.dims) + 1)
        self.built = True

    def compute_output_shape(self, input_shape):
        return (input_shape[0],) + tuple(input_shape[d] for d in self.dims)

    def call(self, inputs):
        return ops.transpose(inputs, (0,) + self.dims)

    def get_config(self):
        return {**super().get_config(), "dims": self.dims}
