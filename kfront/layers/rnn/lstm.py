"""``LSTMCell`` and ``LSTM``: long short-term memory (gates i, f, c, o as in Keras)."""
from kfront import ops
from kfront.layers.layer import Layer
from kfront.layers.rnn import _cell_common as common
from kfront.layers.rnn._fused import fused_kernel
from kfront.layers.rnn.dropout_rnn_cell import DropoutRNNCell
from kfront.layers.rnn.rnn import RNN, forward_cell_properties


class _ForgetBiasOnes:
    """Bias initializer of ``unit_forget_bias``: the forget gate's block starts at one."""

    def __init__(self, base, units):
        self.base, self.units = base, units

    def __call__(self, shape, dtype=None):
        import numpy as np
        u = self.units
        return np.concatenate([np.asarray(self.base((u,), dtype=dtype)),
                               np.ones((u,), dtype=dtype),
                               np.asarray(self.base((2 * u,), dtype=dtype))]).astype(dtype)


class LSTMCell(Layer, DropoutRNNCell):
    """One LSTM step: states ``[h, c]``, output ``h``."""

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", unit_forget_bias=True, kernel_regularizer=None,
                 recurrent_regularizer=None, bias_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, **kwargs):
        kwargs.pop("implementation", None)
        super().__init__(**kwargs)
        common.check_units("LSTMCell", units)
        self.units = units
        self.unit_forget_bias = unit_forget_bias
        common.set_cell_args(self, locals())
        self.state_size = [units, units]
        self.output_size = units

    def build(self, input_shape):
        common.add_kernels(self, common.input_dim_of("LSTMCell", input_shape), 4 * self.units)
        self.bias = None
        if self.use_bias:
            init = _ForgetBiasOnes(self.bias_initializer, self.units) if self.unit_forget_bias \
                else self.bias_initializer
            self.bias = self.add_weight(shape=(4 * self.units,), name="bias", initializer=init,
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint)
        self.built = True

    def call(self, inputs, states, training=False):
        h_tm1, c_tm1 = states[0], states[1]
        if training:
            dp = self.get_dropout_mask(inputs)
            rec_dp = self.get_recurrent_dropout_mask(h_tm1)
            if dp is not None:
                inputs = inputs * dp
            if rec_dp is not None:
                h_tm1 = h_tm1 * rec_dp
        z = ops.matmul(inputs, self.kernel.value) + ops.matmul(h_tm1, self.recurrent_kernel.value)
        if self.bias is not None:
            z = z + self.bias.value
        zi, zf, zc, zo = ops.split(z, 4, axis=-1)
        h, c = common.lstm_update(self, zi, zf, zc, zo, c_tm1)
        return h, [h, c]

    def get_initial_state(self, batch_size=None):
        return [ops.zeros((batch_size, self.units), dtype=self.compute_dtype) for _ in range(2)]

    def get_config(self):
        return {**super().get_config(), "units": self.units, "use_bias": self.use_bias,
                **common.activation_config(self, "activation", "recurrent_activation"),
                "unit_forget_bias": self.unit_forget_bias, **common.weight_config(self),
                "dropout": self.dropout, "recurrent_dropout": self.recurrent_dropout,
                "seed": self.seed}


@forward_cell_properties("units", "activation", "recurrent_activation", "use_bias",
                         "unit_forget_bias", "dropout", "recurrent_dropout")
class LSTM(RNN):
    """Long Short-Term Memory layer (Hochreiter 1997), Keras 3 arguments and weights."""

    _cell_class = LSTMCell
    _cell_args = ("units", "activation", "recurrent_activation", "use_bias",
                  "kernel_initializer", "recurrent_initializer", "bias_initializer",
                  "unit_forget_bias", "kernel_regularizer", "recurrent_regularizer",
                  "bias_regularizer", "kernel_constraint", "recurrent_constraint",
                  "bias_constraint", "dropout", "recurrent_dropout", "seed")

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", unit_forget_bias=True, kernel_regularizer=None,
                 recurrent_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, recurrent_constraint=None, bias_constraint=None,
                 dropout=0.0, recurrent_dropout=0.0, seed=None, return_sequences=False,
                 return_state=False, go_backwards=False, stateful=False, unroll=False,
                 use_cudnn="auto", **kwargs):
        kwargs.pop("implementation", None)
        cell = common.make_cell(LSTM, locals(), "lstm_cell")
        super().__init__(cell, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, unroll=unroll,
                         activity_regularizer=activity_regularizer, **kwargs)
        self.use_cudnn = use_cudnn

    def _fused_call(self, sequences, states, mask, training):
        kernel = fused_kernel(self, "lstm", training, mask)
        if kernel is None:
            return None
        cell = self.cell
        return kernel(sequences, states[0], states[1], cell.kernel.value,
                      cell.recurrent_kernel.value, None if cell.bias is None else cell.bias.value,
                      go_backwards=self.go_backwards)
