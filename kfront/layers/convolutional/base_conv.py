"""``BaseConv``: the N-D convolution behind Conv1D, Conv2D and Conv3D."""
from kfront import activations, initializers, ops, regularizers
from kfront.backend.keras_tensor import KerasTensor
from kfront.backend.loader import adapter
from kfront.layers.convolutional import conv_utils as cu
from kfront.layers.core.lora import LoRAMixin
from kfront.layers.input_spec import InputSpec
from kfront.layers.layer import Layer

# conv + bias in one engine kernel where the adapter has it (contract.OPTIONAL); looked up
# once, as the adapter is fixed for the process.
_CONV_BIAS = getattr(adapter(), "conv_bias", None)


class BaseConv(LoRAMixin, Layer):
    """``activation(conv(inputs, kernel) + bias)`` over ``rank`` spatial dims.

    The kernel has shape ``kernel_size + (input_channels // groups, filters)``.
    """

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, groups=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        cls = type(self).__name__
        lora_rank, lora_alpha = kwargs.pop("lora_rank", None), kwargs.pop("lora_alpha", None)
        # Keras 3 gives LoRA to Conv1D/2D/3D only, not to the transposed/depthwise kinds.
        if lora_rank is not None and type(self).build is not BaseConv.build:
            raise NotImplementedError(f"{cls}: LoRA (`lora_rank`) is not supported.")
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self._init_lora(lora_rank, lora_alpha)
        self.rank = rank
        if filters is not None and (not isinstance(filters, int) or isinstance(filters, bool)
                                    or filters <= 0):
            raise ValueError(f"{cls}: invalid value for argument `filters`. Expected a strictly "
                             f"positive int. Received filters={filters!r}")
        if not isinstance(groups, int) or groups <= 0:
            raise ValueError(f"{cls}: the number of groups must be a positive integer. "
                             f"Received: groups={groups!r}")
        if filters is not None and filters % groups:
            raise ValueError(f"{cls}: the number of filters must be evenly divisible by the "
                             f"number of groups. Received: groups={groups}, filters={filters}")
        self.filters = filters
        self.groups = groups
        self.kernel_size = cu.standardize_tuple(kernel_size, rank, "kernel_size", cls)
        self.strides = cu.standardize_tuple(strides, rank, "strides", cls)
        self.dilation_rate = cu.standardize_tuple(dilation_rate, rank, "dilation_rate", cls)
        self.padding = cu.standardize_padding(padding, cls, allow_causal=rank == 1)
        self.data_format = cu.standardize_data_format(data_format, cls)
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(f"{cls}: `strides > 1` not supported in conjunction with "
                             f"`dilation_rate > 1`. Received: strides={self.strides} and "
                             f"dilation_rate={self.dilation_rate}")
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = kernel_constraint
        self.bias_constraint = bias_constraint
        self.input_spec = InputSpec(min_ndim=rank + 2)

    # ---- shapes ----
    def _channel_axis(self):
        return -1 if self.data_format == "channels_last" else 1

    def _check_rank(self, input_shape):
        if len(input_shape) != self.rank + 2:
            raise ValueError(
                f'Input 0 of layer "{self.name}" is incompatible with the layer: '
                f"{type(self).__name__} expected ndim={self.rank + 2}, found "
                f"ndim={len(input_shape)}. Full shape received: {tuple(input_shape)}")

    def _input_channels(self, input_shape):
        self._check_rank(input_shape)
        channels = input_shape[self._channel_axis()]
        if channels is None:
            raise ValueError(f'Layer "{self.name}" needs a known channel dimension; received '
                             f"input shape {tuple(input_shape)} ({self.data_format}).")
        return channels

    def compute_output_shape(self, input_shape):
        self._check_rank(input_shape)
        batch, spatial, _ = cu.split_shape(input_shape, self.data_format)
        out = cu.conv_output_spatial(self, spatial, self.kernel_size, self.strides,
                                     self.padding, self.dilation_rate, input_shape)
        return cu.join_shape(batch, out, self.filters, self.data_format)

    def compute_output_spec(self, inputs, *args, **kwargs):
        return KerasTensor(self.compute_output_shape(tuple(inputs.shape)), dtype=self.dtype)

    # ---- weights ----
    def build(self, input_shape):
        channels = self._input_channels(input_shape)
        if channels % self.groups:
            raise ValueError(
                f'Layer "{self.name}": the number of input channels must be evenly divisible '
                f"by the number of groups. Received groups={self.groups}, but the input has "
                f"{channels} channels (full input shape is {tuple(input_shape)}).")
        self.compute_output_shape(input_shape)
        self.kernel = self.add_weight(
            name="kernel", shape=self.kernel_size + (channels // self.groups, self.filters),
            initializer=self.kernel_initializer, regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint)
        self.bias = self._add_bias(self.filters)
        self.input_spec = InputSpec(min_ndim=self.rank + 2,
                                    axes={self._channel_axis(): channels})
        self.built = True
        if self.lora_rank:
            self.enable_lora(self.lora_rank, self.lora_alpha)

    def _add_bias(self, size):
        if not self.use_bias:
            return None
        return self.add_weight(name="bias", shape=(size,), initializer=self.bias_initializer,
                               regularizer=self.bias_regularizer,
                               constraint=self.bias_constraint)

    # ---- compute ----
    def convolution_op(self, inputs, kernel):
        return ops.conv(inputs, kernel, strides=self.strides, padding=self.padding,
                        data_format=self.data_format, dilation_rate=self.dilation_rate)

    def call(self, inputs):
        self._check_rank(tuple(ops.shape(inputs)))
        kernel = self._with_lora(self.kernel)
        if _CONV_BIAS is not None and self.bias is not None and \
                type(self).convolution_op is BaseConv.convolution_op:
            # The plain convolution (not a subclass's own op): conv and bias in one kernel.
            return self.activation(_CONV_BIAS(
                inputs, getattr(kernel, "value", kernel), self.bias.value,
                strides=self.strides, padding=self.padding, data_format=self.data_format,
                dilation_rate=self.dilation_rate))
        return self._finish(self.convolution_op(inputs, kernel))

    def _finish(self, outputs):
        """Adds the bias and applies the activation."""
        if self.bias is not None:
            shape = (1,) * (self.rank + 1) + (-1,) if self.data_format == "channels_last" \
                else (1, -1) + (1,) * self.rank
            outputs = ops.add(outputs, ops.reshape(self.bias, shape))
        return self.activation(outputs)

    # ---- config ----
    def get_config(self):
        return {**super().get_config(), "filters": self.filters,
                "kernel_size": self.kernel_size, "strides": self.strides,
                "padding": self.padding, "data_format": self.data_format,
                "dilation_rate": self.dilation_rate, "groups": self.groups,
                "activation": activations.serialize(self.activation), "use_bias": self.use_bias,
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer),
                "kernel_regularizer": cu.serialize_regularizer(self.kernel_regularizer),
                "bias_regularizer": cu.serialize_regularizer(self.bias_regularizer),
                "activity_regularizer": cu.serialize_regularizer(self.activity_regularizer),
                "kernel_constraint": self.kernel_constraint,
                "bias_constraint": self.bias_constraint, **self._lora_config()}
