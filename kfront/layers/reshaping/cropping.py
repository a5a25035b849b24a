"""``Cropping1D/2D/3D``: remove rows/columns (and depth slices) from the borders."""
from kfront import ops
from kfront.layers.input_spec import InputSpec
from kfront.layers.layer import Layer
from kfront.layers.reshaping._args import data_format_arg, pairs, spatial_axes


class _Cropping(Layer):
    _rank = None

    def __init__(self, cropping, data_format=None, **kwargs):
        super().__init__(**kwargs)
        name = type(self).__name__
        self.data_format = data_format_arg(name, data_format)
        self.cropping = pairs(name, "cropping", cropping, self._rank)
        self.input_spec = InputSpec(ndim=self._rank + 2)
        self.built = True

    def _crops(self):
        return (self.cropping,) if self._rank == 1 else self.cropping

    def compute_output_shape(self, input_shape):
        out = list(input_shape)
        for axis, (a, b) in zip(spatial_axes(self.data_format, self._rank), self._crops()):
            if out[axis] is not None:
                if a + b >= out[axis]:
                    raise ValueError(
                        f'{type(self).__name__} "{self.name}": values in `cropping` should be '
                        f"smaller than the corresponding spatial dimension of the input. "
                        f"Received: input_shape={tuple(input_shape)}, "
                        f"cropping={self.cropping}")
                out[axis] -= a + b
        return tuple(out)

    def call(self, inputs):
        shape = tuple(ops.shape(inputs))
        self.compute_output_shape(shape)
        index = [slice(None)] * len(shape)
        for axis, (a, b) in zip(spatial_axes(self.data_format, self._rank), self._crops()):
            index[axis] = slice(a, shape[axis] - b if shape[axis] is not None else (-b or None))
        return inputs[tuple(index)]

    def get_config(self):
        return {**super().get_config(), "cropping": self.cropping,
                "data_format": self.data_format}


class Cropping1D(_Cropping):
    _rank = 1

    def __init__(self, cropping=(1, 1), **kwargs):
        super().__init__(cropping, data_format="channels_last", **kwargs)

    def get_config(self):
        config = super().get_config()
        config.pop("data_format")
        return config


class Cropping2D(_Cropping):
    _rank = 2

    def __init__(self, cropping=((0, 0), (0, 0)), data_format=None, **kwargs):
        super().__init__(cropping, data_format, **kwargs)


class Cropping3D(_Cropping):
    _rank = 3

    def __init__(self, cropping=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        super().__init__(cropping, data_format, **kwargs)
