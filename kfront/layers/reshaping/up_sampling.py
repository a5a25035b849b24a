"""``UpSampling1D/2D/3D``: repeat (or bilinearly interpolate) along the spatial axes."""
import numpy as np

from kfront import ops
from kfront.layers.input_spec import InputSpec
from kfront.layers.layer import Layer
from kfront.layers.reshaping._args import data_format_arg, int_tuple, spatial_axes


def _bilinear_axis(x, axis, size, scale):
    """Upscales one axis with half-pixel centers (as image resize does, no antialiasing)."""
    src = np.maximum((np.arange(size * scale) + 0.5) / scale - 0.5, 0.0)
    low = np.floor(src).astype("int32")
    high = np.minimum(low + 1, size - 1)
    frac = (src - low).astype("float32")
    shape = [1] * len(ops.shape(x))
    shape[axis] = -1
    frac = ops.cast(ops.reshape(frac, shape), ops.dtype(x))
    a, b = ops.take(x, low, axis=axis), ops.take(x, high, axis=axis)
    return a + (b - a) * frac


class _UpSampling(Layer):
    _rank = None

    def __init__(self, size, data_format=None, interpolation="nearest", **kwargs):
        super().__init__(**kwargs)
        name = type(self).__name__
        self.data_format = data_format_arg(name, data_format)
        self.size = int_tuple(name, "size", size, self._rank)
        if any(s == 0 for s in self.size):
            raise ValueError(f"{name}: `size` must be positive. Received: size={size!r}")
        self.interpolation = interpolation.lower()
        if self.interpolation not in ("nearest", "bilinear"):
            raise ValueError(f"{name}: `interpolation` must be 'nearest' or 'bilinear'. "
                             f"Received: interpolation={interpolation!r}")
        self.input_spec = InputSpec(ndim=self._rank + 2)
        self.built = True

    def compute_output_shape(self, input_shape):
        out = list(input_shape)
        for axis, s in zip(spatial_axes(self.data_format, self._rank), self.size):
            if out[axis] is not None:
                out[axis] *= s
        return tuple(out)

    def call(self, inputs):
        x = inputs
        shape = ops.shape(inputs)
        for axis, s in zip(spatial_axes(self.data_format, self._rank), self.size):
            if s == 1:
                continue
            if self.interpolation == "bilinear":
                x = _bilinear_axis(x, axis, shape[axis], s)
            else:
                x = ops.repeat(x, s, axis=axis)
        return x

    def get_config(self):
        return {**super().get_config(), "size": self.size, "data_format": self.data_format}


class UpSampling1D(_UpSampling):
    _rank = 1

    def __init__(self, size=2, **kwargs):
        if not isinstance(size, int) or isinstance(size, bool):
            raise TypeError(f"UpSampling1D: `size` must be an int. Received: size={size!r}")
        super().__init__(size, data_format="channels_last", **kwargs)
        self.size = size

    def compute_output_shape(self, input_shape):
        length = input_shape[1] * self.size if input_shape[1] is not None else None
        return (input_shape[0], length, input_shape[2])

    def call(self, inputs):
        return ops.repeat(inputs, self.size, axis=1)

    def get_config(self):
        config = super().get_config()
        config.pop("data_format")
        return config


class UpSampling2D(_UpSampling):
    _rank = 2

    def __init__(self, size=(2, 2), data_format=None, interpolation="nearest", **kwargs):
        super().__init__(size, data_format, interpolation, **kwargs)

    def get_config(self):
        return {**super().get_config(), "interpolation": self.interpolation}


class UpSampling3D(_UpSampling):
    _rank = 3

    def __init__(self, size=(2, 2, 2), data_format=None, **kwargs):
        super().__init__(size, data_format, **kwargs)
