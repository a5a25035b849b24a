"""Max and average pooling layers over 1, 2 or 3 spatial dims."""
from kfront import ops
from kfront.backend.keras_tensor import KerasTensor
from kfront.layers.convolutional import conv_utils as cu
from kfront.layers.input_spec import InputSpec
from kfront.layers.layer import Layer


class BasePooling(Layer):
    """Reduces windows of ``pool_size`` (moved by ``strides``, default ``pool_size``)."""

    def __init__(self, pool_size, strides, pool_dimensions, pool_mode="max", padding="valid",
                 data_format=None, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        cls = type(self).__name__
        self.pool_size = cu.standardize_tuple(pool_size, pool_dimensions, "pool_size", cls)
        strides = pool_size if strides is None else strides
        self.strides = cu.standardize_tuple(strides, pool_dimensions, "strides", cls)
        self.pool_mode = pool_mode
        self.padding = cu.standardize_padding(padding, cls)
        self.data_format = cu.standardize_data_format(data_format, cls)
        self.input_spec = InputSpec(ndim=pool_dimensions + 2)
        self._rank = pool_dimensions

    def compute_output_shape(self, input_shape):
        if len(input_shape) != self._rank + 2:
            raise ValueError(
                f'Input 0 of layer "{self.name}" is incompatible with the layer: '
                f"{type(self).__name__} expected ndim={self._rank + 2}, found "
                f"ndim={len(input_shape)}. Full shape received: {tuple(input_shape)}")
        batch, spatial, channels = cu.split_shape(input_shape, self.data_format)
        out = cu.conv_output_spatial(self, spatial, self.pool_size, self.strides, self.padding,
                                     (1,) * self._rank, input_shape)
        return cu.join_shape(batch, out, channels, self.data_format)

    def compute_output_spec(self, inputs, *args, **kwargs):
        return KerasTensor(self.compute_output_shape(tuple(inputs.shape)), dtype=inputs.dtype)

    def build(self, input_shape):
        self.compute_output_shape(input_shape)
        self.built = True

    def call(self, inputs):
        fn = ops.max_pool if self.pool_mode == "max" else ops.average_pool
        return fn(inputs, pool_size=self.pool_size, strides=self.strides, padding=self.padding,
                  data_format=self.data_format)

    def get_config(self):
        return {**super().get_config(), "pool_size": self.pool_size, "padding": self.padding,
                "strides": self.strides, "data_format": self.data_format}


def _pooling_class(name, dims, mode, default_pool, doc):
    def __init__(self, pool_size=default_pool, strides=None, padding="valid", data_format=None,
                 name=None, **kwargs):
        BasePooling.__init__(self, pool_size, strides, dims, mode, padding, data_format,
                             name=name, **kwargs)

    return type(name, (BasePooling,), {"__init__": __init__, "__doc__": doc,
                                       "__module__": __name__})


MaxPooling1D = _pooling_class("MaxPooling1D", 1, "max", 2,
                              "Max over windows of ``(batch, steps, channels)``.")
MaxPooling2D = _pooling_class("MaxPooling2D", 2, "max", (2, 2),
                              "Max over windows of ``(batch, rows, cols, channels)``.")
MaxPooling3D = _pooling_class("MaxPooling3D", 3, "max", (2, 2, 2),
                              "Max over windows of ``(batch, d1, d2, d3, channels)``.")
AveragePooling1D = _pooling_class("AveragePooling1D", 1, "average", 2,
                                  "Mean over windows of ``(batch, steps, channels)``.")
AveragePooling2D = _pooling_class("AveragePooling2D", 2, "average", (2, 2),
                                  "Mean over windows of ``(batch, rows, cols, channels)``.")
AveragePooling3D = _pooling_class("AveragePooling3D", 3, "average", (2, 2, 2),
                                  "Mean over windows of ``(batch, d1, d2, d3, channels)``.")

MaxPool1D, MaxPool2D, MaxPool3D = MaxPooling1D, MaxPooling2D, MaxPooling3D
AvgPool1D, AvgPool2D, AvgPool3D = AveragePooling1D, AveragePooling2D, AveragePooling3D
