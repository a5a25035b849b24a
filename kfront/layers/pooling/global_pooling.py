"""Global max and average pooling: one value per channel over all spatial dims."""
from kfront import ops
from kfront.backend.keras_tensor import KerasTensor
from kfront.layers.convolutional import conv_utils as cu
from kfront.layers.input_spec import InputSpec
from kfront.layers.layer import Layer


class BaseGlobalPooling(Layer):
    def __init__(self, pool_dimensions, pool_mode="max", data_format=None, keepdims=False,
                 **kwargs):
        super().__init__(**kwargs)
        self.data_format = cu.standardize_data_format(data_format, type(self).__name__)
        self.keepdims = keepdims
        self.pool_mode = pool_mode
        self._rank = pool_dimensions
        self.input_spec = InputSpec(ndim=pool_dimensions + 2)

    def _axes(self):
        start = 1 if self.data_format == "channels_last" else 2
        return tuple(range(start, start + self._rank))

    def compute_output_shape(self, input_shape):
        if len(input_shape) != self._rank + 2:
            raise ValueError(
                f'Input 0 of layer "{self.name}" is incompatible with the layer: '
                f"{type(self).__name__} expected ndim={self._rank + 2}, found "
                f"ndim={len(input_shape)}. Full shape received: {tuple(input_shape)}")
        axes = self._axes()
        if self.keepdims:
            return tuple(1 if i in axes else d for i, d in enumerate(input_shape))
        return tuple(d for i, d in enumerate(input_shape) if i not in axes)

    def compute_output_spec(self, inputs, *args, **kwargs):
        return KerasTensor(self.compute_output_shape(tuple(inputs.shape)), dtype=inputs.dtype)

    def call(self, inputs):
        fn = ops.max if self.pool_mode == "max" else ops.mean
        return fn(inputs, axis=self._axes(), keepdims=self.keepdims)

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format,
                "keepdims": self.keepdims}


class GlobalMaxPooling1D(BaseGlobalPooling):
    """Max over the steps of ``(batch, steps, channels)``."""

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(1, "max", data_format, keepdims, **kwargs)


class GlobalMaxPooling2D(BaseGlobalPooling):
    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(2, "max", data_format, keepdims, **kwargs)


class GlobalMaxPooling3D(BaseGlobalPooling):
    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(3, "max", data_format, keepdims, **kwargs)


class GlobalAveragePooling1D(BaseGlobalPooling):
    """Mean over the steps of ``(batch, steps, channels)``; with a ``mask`` of shape
    ``(batch, steps)``, the mean over the unmasked steps only."""

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(1, "average", data_format, keepdims, **kwargs)
        self.supports_masking = True

    def call(self, inputs, mask=None):
        if mask is None:
            return super().call(inputs)
        step_axis = 1 if self.data_format == "channels_last" else 2
        weights = ops.expand_dims(ops.cast(mask, ops.dtype(inputs)),
                                  2 if self.data_format == "channels_last" else 1)
        total = ops.sum(ops.multiply(inputs, weights), axis=step_axis, keepdims=self.keepdims)
        count = ops.sum(weights, axis=step_axis, keepdims=self.keepdims)
        return ops.divide(total, count)


class GlobalAveragePooling2D(BaseGlobalPooling):
    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(2, "average", data_format, keepdims, **kwargs)


class GlobalAveragePooling3D(BaseGlobalPooling):
    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(3, "average", data_format, keepdims, **kwargs)


GlobalMaxPool1D, GlobalMaxPool2D, GlobalMaxPool3D = (
    GlobalMaxPooling1D, GlobalMaxPooling2D, GlobalMaxPooling3D)
GlobalAvgPool1D, GlobalAvgPool2D, GlobalAvgPool3D = (
    GlobalAveragePooling1D, GlobalAveragePooling2D, GlobalAveragePooling3D)
