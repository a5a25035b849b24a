"""``ConvLSTMCell`` and ``ConvLSTM1D/2D/3D``: an LSTM whose input and recurrent
transformations are convolutions (Shi et al. 2015), with Keras 3's arguments and weights.

Weights: ``kernel`` ``kernel_size + (input_channels, 4 * filters)``, ``recurrent_kernel``
``kernel_size + (filters, 4 * filters)``, ``bias`` ``(4 * filters,)``; gate order i, f, c, o.
The recurrent convolution always uses stride 1 and "same" padding, so the state keeps the
spatial shape of the input convolution's output.
"""
from kfront import ops
from kfront.backend.keras_tensor import KerasTensor
from kfront.layers.convolutional import conv_utils as cu
from kfront.layers.input_spec import InputSpec
from kfront.layers.layer import Layer
from kfront.layers.rnn import _cell_common as common
from kfront.layers.rnn.dropout_rnn_cell import DropoutRNNCell
from kfront.layers.rnn.lstm import _ForgetBiasOnes
from kfront.layers.rnn.rnn import RNN, forward_cell_properties


class ConvLSTMCell(Layer, DropoutRNNCell):
    """One ConvLSTM step over ``rank`` spatial dims: states ``[h, c]``, output ``h``."""

    # Keras draws one dropout mask per gate.
    dropout_mask_count = 4

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, activation="tanh", recurrent_activation="sigmoid",
                 use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros",
                 unit_forget_bias=True, kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, kernel_constraint=None, recurrent_constraint=None,
                 bias_constraint=None, dropout=0.0, recurrent_dropout=0.0, seed=None, **kwargs):
        super().__init__(**kwargs)
        cls = type(self).__name__
        if rank not in (1, 2, 3):
            raise ValueError(f"{cls}: rank {rank!r} convolutions are not implemented; "
                             "expected 1, 2 or 3.")
        if not isinstance(filters, int) or isinstance(filters, bool) or filters <= 0:
            raise ValueError(f"{cls}: `filters` must be a positive int. "
                             f"Received: filters={filters!r}")
        self.rank = rank
        self.filters = filters
        self.kernel_size = cu.standardize_tuple(kernel_size, rank, "kernel_size", cls)
        self.strides = cu.standardize_tuple(strides, rank, "strides", cls)
        self.padding = cu.standardize_padding(padding, cls)
        self.data_format = cu.standardize_data_format(data_format, cls)
        self.dilation_rate = cu.standardize_tuple(dilation_rate, rank, "dilation_rate", cls)
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(f"{cls}: `strides > 1` is not compatible with "
                             f"`dilation_rate > 1`. Received: strides={self.strides} and "
                             f"dilation_rate={self.dilation_rate}")
        self.unit_forget_bias = unit_forget_bias
        common.set_cell_args(self, locals())
        self.spatial_dims = None
        self.input_dim = None
        # Sizes are spatial tensors here; the RNN layer asks the cell for its states' shapes.
        self.state_size = [filters, filters]
        self.output_size = filters

    def _channel_axis(self):
        return -1 if self.data_format == "channels_last" else 1

    def build(self, input_shape):
        cls = type(self).__name__
        if len(input_shape) != self.rank + 2:
            raise ValueError(f"{cls}: expected a step input of rank {self.rank + 2} "
                             f"(batch, spatial..., channels); received shape "
                             f"{tuple(input_shape)}.")
        _, spatial, channels = cu.split_shape(tuple(input_shape), self.data_format)
        if None in spatial:
            raise ValueError(f"{cls}: ConvLSTM layers need static spatial dimensions. "
                             f"Received input shape {tuple(input_shape)}.")
        if channels is None:
            raise ValueError(f"{cls}: the channel dimension of the inputs must be known. "
                             f"Received input shape {tuple(input_shape)}.")
        self.spatial_dims = tuple(spatial)
        self.input_dim = channels
        self.state_spatial = cu.conv_output_spatial(self, spatial, self.kernel_size,
                                                    self.strides, self.padding,
                                                    self.dilation_rate, input_shape)
        width = 4 * self.filters
        self.kernel = self.add_weight(shape=self.kernel_size + (channels, width), name="kernel",
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        self.recurrent_kernel = self.add_weight(
            shape=self.kernel_size + (self.filters, width), name="recurrent_kernel",
            initializer=self.recurrent_initializer, regularizer=self.recurrent_regularizer,
            constraint=self.recurrent_constraint)
        self.bias = None
        if self.use_bias:
            init = _ForgetBiasOnes(self.bias_initializer, self.filters) \
                if self.unit_forget_bias else self.bias_initializer
            self.bias = self.add_weight(shape=(width,), name="bias", initializer=init,
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint)
        self.built = True

    def state_shape(self, batch_size):
        return cu.join_shape(batch_size, self.state_spatial, self.filters, self.data_format)

    def call(self, inputs, states, training=False):
        h_tm1, c_tm1 = states[0], states[1]
        dp = self.get_dropout_mask(inputs) if training else None
        rec_dp = self.get_recurrent_dropout_mask(h_tm1) if training else None
        xs = [inputs * m for m in dp] if dp is not None else [inputs] * 4
        hs = [h_tm1 * m for m in rec_dp] if rec_dp is not None else [h_tm1] * 4
        axis = self.rank + 1
        kernels = ops.split(self.kernel.value, 4, axis=axis)
        rec_kernels = ops.split(self.recurrent_kernel.value, 4, axis=axis)
        biases = ops.split(self.bias.value, 4) if self.bias is not None else [None] * 4
        zi, zf, zc, zo = [self._input_conv(x, k, b) + self._recurrent_conv(h, rk)
                          for x, k, b, h, rk in zip(xs, kernels, biases, hs, rec_kernels)]
        h, c = common.lstm_update(self, zi, zf, zc, zo, c_tm1)
        return h, [h, c]

    def _input_conv(self, x, kernel, bias):
        out = ops.conv(x, kernel, strides=self.strides, padding=self.padding,
                       data_format=self.data_format, dilation_rate=self.dilation_rate)
        if bias is None:
            return out
        shape = (1,) * (self.rank + 1) + (self.filters,) if self.data_format == "channels_last" \
            else (1, self.filters) + (1,) * self.rank
        return out + ops.reshape(bias, shape)

    def _recurrent_conv(self, h, kernel):
        return ops.conv(h, kernel, strides=1, padding="same", data_format=self.data_format)

    def get_initial_state(self, batch_size=None):
        shape = self.state_shape(batch_size)
        return [ops.zeros(shape, dtype=self.compute_dtype) for _ in range(2)]

    def get_config(self):
        return {**super().get_config(), "filters": self.filters,
                "kernel_size": self.kernel_size, "strides": self.strides,
                "padding": self.padding, "data_format": self.data_format,
                "dilation_rate": self.dilation_rate,
                **common.activation_config(self, "activation", "recurrent_activation"),
                "use_bias": self.use_bias, "unit_forget_bias": self.unit_forget_bias,
                **common.weight_config(self), "dropout": self.dropout,
                "recurrent_dropout": self.recurrent_dropout, "seed": self.seed}


_LAYER_ARGS = ("filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate",
               "activation", "recurrent_activation", "use_bias", "kernel_initializer",
               "recurrent_initializer", "bias_initializer", "unit_forget_bias",
               "kernel_regularizer", "recurrent_regularizer", "bias_regularizer",
               "kernel_constraint", "recurrent_constraint", "bias_constraint", "dropout",
               "recurrent_dropout", "seed")


@forward_cell_properties(*[a for a in _LAYER_ARGS if a not in ("seed",)])
class ConvLSTM(RNN):
    """Base of ConvLSTM1D/2D/3D: inputs ``(batch, time, spatial..., channels)``
    (``(batch, time, channels, spatial...)`` with ``channels_first``)."""

    _cell_class = ConvLSTMCell
    _cell_args = _LAYER_ARGS

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, activation="tanh", recurrent_activation="sigmoid",
                 use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros",
                 unit_forget_bias=True, kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, kernel_constraint=None, recurrent_constraint=None,
                 bias_constraint=None, dropout=0.0, recurrent_dropout=0.0, seed=None,
                 return_sequences=False, return_state=False, go_backwards=False,
                 stateful=False, **kwargs):
        cell = common.make_cell(ConvLSTM, locals(), "conv_lstm_cell", rank)
        super().__init__(cell, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, **kwargs)
        self.rank = rank
        self.input_spec = InputSpec(ndim=rank + 3)

    def build(self, sequences_shape, initial_state_shape=None):
        if len(sequences_shape) != self.rank + 3:
            raise ValueError(
                f'Input 0 of layer "{self.name}" is incompatible with the layer: '
                f"{type(self).__name__} expected ndim={self.rank + 3} (batch, time, "
                f"spatial..., channels), found ndim={len(sequences_shape)}. Full shape "
                f"received: {tuple(sequences_shape)}")
        # Checked here first, so an empty output names this layer rather than its cell.
        self.compute_output_shape(tuple(sequences_shape))
        super().build(sequences_shape, initial_state_shape)

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        batch, steps = sequences_shape[0], sequences_shape[1]
        cell = self.cell
        step_shape = (batch,) + tuple(sequences_shape[2:])
        _, spatial, _ = cu.split_shape(step_shape, cell.data_format)
        out_spatial = cu.conv_output_spatial(self, spatial, cell.kernel_size, cell.strides,
                                             cell.padding, cell.dilation_rate, sequences_shape)
        state = cu.join_shape(batch, out_spatial, cell.filters, cell.data_format)
        out = (state[0], steps) + state[1:] if self.return_sequences else state
        if self.return_state:
            return [out, state, state]
        return out

    def compute_output_spec(self, sequences, initial_state=None, mask=None, training=None):
        shapes = self.compute_output_shape(tuple(sequences.shape))
        if self.return_state:
            return [KerasTensor(s, dtype=self.dtype) for s in shapes]
        return KerasTensor(shapes, dtype=self.dtype)

    def _zero_states_like(self, sequences):
        # The batch size is known only at run time: zeros shaped like one input conv.
        cell = self.cell
        step = sequences[:, 0]
        kernel = ops.zeros(cell.kernel_size + (cell.input_dim, cell.filters),
                           dtype=self.compute_dtype)
        zero = ops.conv(ops.cast(step, self.compute_dtype) * 0, kernel, strides=cell.strides,
                        padding=cell.padding, data_format=cell.data_format,
                        dilation_rate=cell.dilation_rate)
        return [zero, zero]



class ConvLSTM1D(ConvLSTM):
    """1D convolutional LSTM: inputs ``(batch, time, steps, channels)``."""

    def __init__(self, filters, kernel_size, **kwargs):
        super().__init__(1, filters, kernel_size, **kwargs)


class ConvLSTM2D(ConvLSTM):
    """2D convolutional LSTM: inputs ``(batch, time, rows, cols, channels)``.

    >>> layer = kfront.layers.ConvLSTM2D(8, 3, padding="same", return_sequences=True)
    """

    def __init__(self, filters, kernel_size, **kwargs):
        super().__init__(2, filters, kernel_size, **kwargs)


class ConvLSTM3D(ConvLSTM):
    """3D convolutional LSTM: inputs ``(batch, time, dim1, dim2, dim3, channels)``."""

    def __init__(self, filters, kernel_size, **kwargs):
        super().__init__(3, filters, kernel_size, **kwargs)
