"""``SimpleRNNCell`` and ``SimpleRNN``: ``h_t = activation(x_t W + h_{t-1} U + b)``."""
from kfront import ops
from kfront.layers.layer import Layer
from kfront.layers.rnn import _cell_common as common
from kfront.layers.rnn.dropout_rnn_cell import DropoutRNNCell
from kfront.layers.rnn.rnn import RNN, forward_cell_properties
from kfront.utils import tree


class SimpleRNNCell(Layer, DropoutRNNCell):
    """One step of a fully connected RNN; its state is the output."""

    def __init__(self, units, activation="tanh", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, kernel_constraint=None, recurrent_constraint=None,
                 bias_constraint=None, dropout=0.0, recurrent_dropout=0.0, seed=None,
                 **kwargs):
        super().__init__(**kwargs)
        common.check_units("SimpleRNNCell", units)
        self.units = units
        common.set_cell_args(self, locals())
        self.state_size = units
        self.output_size = units

    def build(self, input_shape):
        common.add_kernels(self, common.input_dim_of("SimpleRNNCell", input_shape), self.units)
        self.bias = self.add_weight(shape=(self.units,), name="bias",
                                    initializer=self.bias_initializer,
                                    regularizer=self.bias_regularizer,
                                    constraint=self.bias_constraint) if self.use_bias else None
        self.built = True

    def call(self, sequence, states, training=False):
        prev = states[0] if tree.is_nested(states) else states
        dp = self.get_dropout_mask(sequence) if training else None
        rec_dp = self.get_recurrent_dropout_mask(prev) if training else None
        if dp is not None:
            sequence = sequence * dp
        h = ops.matmul(sequence, self.kernel.value)
        if self.bias is not None:
            h = h + self.bias.value
        if rec_dp is not None:
            prev = prev * rec_dp
        output = self.activation(h + ops.matmul(prev, self.recurrent_kernel.value))
        return output, ([output] if tree.is_nested(states) else output)

    def get_initial_state(self, batch_size=None):
        return [ops.zeros((batch_size, self.state_size), dtype=self.compute_dtype)]

    def get_config(self):
        return {**super().get_config(), "units": self.units, "use_bias": self.use_bias,
                **common.activation_config(self, "activation"), **common.weight_config(self),
                "dropout": self.dropout, "recurrent_dropout": self.recurrent_dropout,
                "seed": self.seed}


@forward_cell_properties("units", "activation", "use_bias", "dropout", "recurrent_dropout")
class SimpleRNN(RNN):
    """A fully connected RNN whose output is fed back as the next step's state."""

    _cell_class = SimpleRNNCell
    _cell_args = ("units", "activation", "use_bias", "kernel_initializer",
                  "recurrent_initializer", "bias_initializer", "kernel_regularizer",
                  "recurrent_regularizer", "bias_regularizer", "kernel_constraint",
                  "recurrent_constraint", "bias_constraint", "dropout", "recurrent_dropout",
                  "seed")

    def __init__(self, units, activation="tanh", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, return_sequences=False, return_state=False,
                 go_backwards=False, stateful=False, unroll=False, seed=None, **kwargs):
        cell = common.make_cell(SimpleRNN, locals(), "simple_rnn_cell")
        super().__init__(cell, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, unroll=unroll,
                         activity_regularizer=activity_regularizer, **kwargs)
