"""Parity specs for the recurrent layers and masking."""
import numpy as np
from layer_spec import Input, spec

from kfront import layers

# A fixed padding mask: sample 0 ends early, sample 1 starts late, sample 2 has a hole.
MASK = np.ones((3, 6), bool)
MASK[0, 4:] = False
MASK[1, :2] = False
MASK[2, 3] = False
SEQ = (3, 6, 4)


class _MinimalCell(layers.Layer):
    """A custom cell: state_size and call(inputs, states), as in the Keras guide."""

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.state_size = units

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], self.units), name="kernel")
        self.recurrent_kernel = self.add_weight(shape=(self.units, self.units),
                                                name="recurrent_kernel")

    def call(self, inputs, states):
        h = inputs @ self.kernel + states[0] @ self.recurrent_kernel
        return h, [h]


class _WithInitialState(layers.Layer):
    """Feeds the extra inputs as ``initial_state`` (the harness passes inputs positionally)."""

    def __init__(self, rnn, **kwargs):
        super().__init__(**kwargs)
        self.rnn = rnn

    def call(self, x, *states):
        return self.rnn(x, initial_state=list(states))


SPECS = [
    spec("simple_rnn", lambda: layers.SimpleRNN(5), [SEQ]),
    spec("simple_rnn_seq_mask", lambda: layers.SimpleRNN(5, return_sequences=True), [SEQ],
         call_kwargs={"mask": MASK}),
    spec("lstm", lambda: layers.LSTM(5), [SEQ]),
    spec("lstm_seq_state", lambda: layers.LSTM(5, return_sequences=True, return_state=True),
         [SEQ]),
    spec("lstm_backwards_mask", lambda: layers.LSTM(5, go_backwards=True,
                                                    return_sequences=True), [SEQ],
         call_kwargs={"mask": MASK}),
    spec("lstm_initial_state", lambda: _WithInitialState(layers.LSTM(5)),
         [SEQ, (3, 5), (3, 5)]),
    spec("gru", lambda: layers.GRU(5, return_sequences=True), [SEQ]),
    spec("gru_mask_state", lambda: layers.GRU(5, return_state=True), [SEQ],
         call_kwargs={"mask": MASK}),
    spec("gru_reset_before", lambda: layers.GRU(5, reset_after=False, go_backwards=True),
         [SEQ]),
    spec("lstm_dropout_inference", lambda: layers.LSTM(5, dropout=0.5, recurrent_dropout=0.5),
         [SEQ], call_kwargs={"training": False}),
    spec("rnn_custom_cell", lambda: layers.RNN(_MinimalCell(4), return_sequences=True), [SEQ]),
    spec("rnn_stacked_cells", lambda: layers.RNN([layers.LSTMCell(4), layers.GRUCell(3),
                                                  layers.SimpleRNNCell(2)]), [SEQ],
         call_kwargs={"mask": MASK}),
    spec("bidirectional_concat", lambda: layers.Bidirectional(
        layers.LSTM(4, return_sequences=True)), [SEQ], call_kwargs={"mask": MASK}),
    spec("bidirectional_sum", lambda: layers.Bidirectional(layers.GRU(4), merge_mode="sum"),
         [SEQ]),
    spec("bidirectional_ave_state", lambda: layers.Bidirectional(
        layers.SimpleRNN(4, return_state=True), merge_mode="ave"), [SEQ]),
    spec("bidirectional_none", lambda: layers.Bidirectional(
        layers.LSTM(3, return_sequences=True), merge_mode=None), [SEQ]),
    spec("time_distributed_dense", lambda: layers.TimeDistributed(layers.Dense(3)), [SEQ]),
    spec("masking", lambda: layers.Masking(0.0), [Input((3, 5, 2), "int32", 2)]),
    spec("conv_lstm2d_seq_state", lambda: layers.ConvLSTM2D(
        3, 3, padding="same", return_sequences=True, return_state=True), [(2, 3, 5, 4, 2)]),
    spec("conv_lstm2d_channels_first_strided", lambda: layers.ConvLSTM2D(
        2, 2, strides=2, data_format="channels_first", go_backwards=True), [(2, 3, 2, 5, 4)]),
    spec("conv_lstm1d_mask", lambda: layers.ConvLSTM1D(2, 3, return_sequences=True),
         [(3, 6, 5, 2)], call_kwargs={"mask": MASK}),
]
