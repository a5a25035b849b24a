"""``GRUCell`` and ``GRU``: gated recurrent unit (gates z, r, h as in Keras)."""
from kfront import ops
from kfront.layers.layer import Layer
from kfront.layers.rnn import _cell_common as common
from kfront.layers.rnn._fused import fused_kernel
from kfront.layers.rnn.dropout_rnn_cell import DropoutRNNCell
from kfront.layers.rnn.rnn import RNN, forward_cell_properties
from kfront.utils import tree


class GRUCell(Layer, DropoutRNNCell):
    """One GRU step. ``reset_after=True`` (the default, cuDNN's variant) applies the reset
    gate after the recurrent matmul and keeps separate input and recurrent biases
    (bias shape ``(2, 3 * units)``)."""

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, kernel_constraint=None, recurrent_constraint=None,
                 bias_constraint=None, dropout=0.0, recurrent_dropout=0.0, reset_after=True,
                 seed=None, **kwargs):
        kwargs.pop("implementation", None)
        super().__init__(**kwargs)
        common.check_units("GRUCell", units)
        self.units = units
        self.reset_after = reset_after
        common.set_cell_args(self, locals())
        self.state_size = units
        self.output_size = units

    def build(self, input_shape):
        common.add_kernels(self, common.input_dim_of("GRUCell", input_shape), 3 * self.units)
        self.bias = None
        if self.use_bias:
            shape = (2, 3 * self.units) if self.reset_after else (3 * self.units,)
            self.bias = self.add_weight(shape=shape, name="bias",
                                        initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint)
        self.built = True

    def call(self, inputs, states, training=False):
        h_tm1 = states[0] if tree.is_nested(states) else states
        h_rec = h_tm1
        if training:
            dp = self.get_dropout_mask(inputs)
            rec_dp = self.get_recurrent_dropout_mask(h_tm1)
            if dp is not None:
                inputs = inputs * dp
            if rec_dp is not None:
                h_rec = h_tm1 * rec_dp
        u = self.units
        x = ops.matmul(inputs, self.kernel.value)
        rk = self.recurrent_kernel.value
        if self.bias is not None:
            bias = self.bias.value
            in_bias, rec_bias = (bias[0], bias[1]) if self.reset_after else (bias, None)
            x = x + in_bias
        x_z, x_r, x_h = ops.split(x, 3, axis=-1)
        if self.reset_after:
            inner = ops.matmul(h_rec, rk)
            if self.bias is not None:
                inner = inner + rec_bias
            r_z, r_r, r_h = ops.split(inner, 3, axis=-1)
            z = self.recurrent_activation(x_z + r_z)
            r = self.recurrent_activation(x_r + r_r)
            hh = self.activation(x_h + r * r_h)
        else:
            zr = ops.matmul(h_rec, rk[:, :2 * u])
            r_z, r_r = ops.split(zr, 2, axis=-1)
            z = self.recurrent_activation(x_z + r_z)
            r = self.recurrent_activation(x_r + r_r)
            hh = self.activation(x_h + ops.matmul(r * h_rec, rk[:, 2 * u:]))
        h = z * h_tm1 + (1 - z) * hh
        return h, ([h] if tree.is_nested(states) else h)

    def get_initial_state(self, batch_size=None):
        return [ops.zeros((batch_size, self.state_size), dtype=self.compute_dtype)]

    def get_config(self):
        return {**super().get_config(), "units": self.units, "use_bias": self.use_bias,
                **common.activation_config(self, "activation", "recurrent_activation"),
                **common.weight_config(self), "dropout": self.dropout,
                "recurrent_dropout": self.recurrent_dropout, "reset_after": self.reset_after,
                "seed": self.seed}


@forward_cell_properties("units", "activation", "recurrent_activation", "use_bias",
                         "reset_after", "dropout", "recurrent_dropout")
class GRU(RNN):
    """Gated Recurrent Unit layer (Cho et al. 2014), Keras 3 arguments and weights."""

    _cell_class = GRUCell
    _cell_args = ("units", "activation", "recurrent_activation", "use_bias",
                  "kernel_initializer", "recurrent_initializer", "bias_initializer",
                  "kernel_regularizer", "recurrent_regularizer", "bias_regularizer",
                  "kernel_constraint", "recurrent_constraint", "bias_constraint", "dropout",
                  "recurrent_dropout", "reset_after", "seed")

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, return_sequences=False, return_state=False,
                 go_backwards=False, stateful=False, unroll=False, reset_after=True,
                 use_cudnn="auto", **kwargs):
        kwargs.pop("implementation", None)
        cell = common.make_cell(GRU, locals(), "gru_cell")
        super().__init__(cell, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, unroll=unroll,
                         activity_regularizer=activity_regularizer, **kwargs)
        self.use_cudnn = use_cudnn

    def _fused_call(self, sequences, states, mask, training):
        cell = self.cell
        kernel = fused_kernel(self, "gru", training, mask) if cell.reset_after else None
        if kernel is None:
            return None
        state = states[0] if isinstance(states, (list, tuple)) else states
        return kernel(sequences, state, cell.kernel.value, cell.recurrent_kernel.value,
                      None if cell.bias is None else cell.bias.value,
                      go_backwards=self.go_backwards)
