"""``ZeroPadding1D/2D/3D``: add zeros around the spatial borders."""
from kfront import ops
from kfront.layers.input_spec import InputSpec
from kfront.layers.layer import Layer
from kfront.layers.reshaping._args import data_format_arg, pairs, spatial_axes


class _ZeroPadding(Layer):
    _rank = None

    def __init__(self, padding, data_format=None, **kwargs):
        super().__init__(**kwargs)
        name = type(self).__name__
        self.data_format = data_format_arg(name, data_format)
        self.padding = pairs(name, "padding", padding, self._rank)
        self.input_spec = InputSpec(ndim=self._rank + 2)
        self.built = True

    def _pads(self):
        return (self.padding,) if self._rank == 1 else self.padding

    def compute_output_shape(self, input_shape):
        out = list(input_shape)
        for axis, (a, b) in zip(spatial_axes(self.data_format, self._rank), self._pads()):
            if out[axis] is not None:
                out[axis] += a + b
        return tuple(out)

    def call(self, inputs):
        width = [(0, 0)] * (self._rank + 2)
        for axis, pad in zip(spatial_axes(self.data_format, self._rank), self._pads()):
            width[axis] = pad
        return ops.pad(inputs, width)

    def get_config(self):
        return {**super().get_config(), "padding": self.padding,
                "data_format": self.data_format}


class ZeroPadding1D(_ZeroPadding):
    _rank = 1

    def __init__(self, padding=1, data_format=None, **kwargs):
        super().__init__(padding, data_format, **kwargs)


class ZeroPadding2D(_ZeroPadding):
    _rank = 2

    def __init__(self, padding=(1, 1), data_format=None, **kwargs):
        super().__init__(padding, data_format, **kwargs)


class ZeroPadding3D(_ZeroPadding):
    _rank = 3

    def __init__(self, padding=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        super().__init__(padding, data_format, **kwargs)
