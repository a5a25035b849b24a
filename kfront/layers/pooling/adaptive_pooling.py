"""Adaptive average and max pooling: windows sized so the output has ``output_size``."""
from kfront import ops
from kfront.backend.keras_tensor import KerasTensor
from kfront.layers.convolutional import conv_utils as cu
from kfront.layers.input_spec import InputSpec
from kfront.layers.layer import Layer


class BaseAdaptivePooling(Layer):
    """Pools each spatial dim of length ``L`` into ``out`` windows, window ``i`` covering
    ``[floor(i L / out), ceil((i + 1) L / out))`` (PyTorch's rule)."""

    def __init__(self, output_size, pool_dimensions, pool_mode, data_format=None, **kwargs):
        super().__init__(**kwargs)
        cls = type(self).__name__
        self.output_size = cu.standardize_tuple(output_size, pool_dimensions, "output_size", cls)
        self.data_format = cu.standardize_data_format(data_format, cls)
        self.pool_mode = pool_mode
        self.input_spec = InputSpec(ndim=pool_dimensions + 2)
        self._rank = pool_dimensions

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        if len(input_shape) != self._rank + 2:
            raise ValueError(
                f'Input 0 of layer "{self.name}" is incompatible with the layer: '
                f"{type(self).__name__} expected ndim={self._rank + 2}, found "
                f"ndim={len(input_shape)}. Full shape received: {input_shape}")
        batch, spatial, channels = cu.split_shape(input_shape, self.data_format)
        if any(s is None for s in spatial):
            raise ValueError(f'Layer "{self.name}" ({type(self).__name__}) needs known spatial '
                             f"dims. Received input shape={input_shape}")
        return cu.join_shape(batch, self.output_size, channels, self.data_format)

    def compute_output_spec(self, inputs, *args, **kwargs):
        return KerasTensor(self.compute_output_shape(inputs.shape), dtype=inputs.dtype)

    def build(self, input_shape):
        self.compute_output_shape(input_shape)
        self.built = True

    def call(self, inputs):
        fn = ops.adaptive_max_pool if self.pool_mode == "max" else ops.adaptive_average_pool
        return fn(inputs, self.output_size, data_format=self.data_format)

    def get_config(self):
        return {**super().get_config(), "output_size": self.output_size,
                "data_format": self.data_format}


def _adaptive_class(name, dims, mode, doc):
    def __init__(self, output_size, data_format=None, **kwargs):
        BaseAdaptivePooling.__init__(self, output_size, dims, mode, data_format, **kwargs)

    return type(name, (BaseAdaptivePooling,), {"__init__": __init__, "__doc__": doc,
                                               "__module__": __name__})


_ARGS = """

    Args:
        output_size: an int or a tuple of {n} ints, the output's spatial size.
        data_format: "channels_last" (default from ``kfront.config.image_data_format()``) or
            "channels_first".

    Example:
        >>> kfront.layers.{name}({example})(x)
"""

AdaptiveAveragePooling1D = _adaptive_class(
    "AdaptiveAveragePooling1D", 1, "average",
    "Mean over adaptive windows of ``(batch, steps, channels)``."
    + _ARGS.format(n=1, name="AdaptiveAveragePooling1D", example="4"))
AdaptiveAveragePooling2D = _adaptive_class(
    "AdaptiveAveragePooling2D", 2, "average",
    "Mean over adaptive windows of ``(batch, rows, cols, channels)``."
    + _ARGS.format(n=2, name="AdaptiveAveragePooling2D", example="(7, 7)"))
AdaptiveAveragePooling3D = _adaptive_class(
    "AdaptiveAveragePooling3D", 3, "average",
    "Mean over adaptive windows of ``(batch, d1, d2, d3, channels)``."
    + _ARGS.format(n=3, name="AdaptiveAveragePooling3D", example="2"))
AdaptiveMaxPooling1D = _adaptive_class(
    "AdaptiveMaxPooling1D", 1, "max",
    "Max over adaptive windows of ``(batch, steps, channels)``."
    + _ARGS.format(n=1, name="AdaptiveMaxPooling1D", example="4"))
AdaptiveMaxPooling2D = _adaptive_class(
    "AdaptiveMaxPooling2D", 2, "max",
    "Max over adaptive windows of ``(batch, rows, cols, channels)``."
    + _ARGS.format(n=2, name="AdaptiveMaxPooling2D", example="(7, 7)"))
AdaptiveMaxPooling3D = _adaptive_class(
    "AdaptiveMaxPooling3D", 3, "max",
    "Max over adaptive windows of ``(batch, d1, d2, d3, channels)``."
    + _ARGS.format(n=3, name="AdaptiveMaxPooling3D", example="2"))
