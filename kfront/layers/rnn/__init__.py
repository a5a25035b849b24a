"""Recurrent layers: RNN with cells, SimpleRNN, LSTM, GRU, Bidirectional, TimeDistributed,
ConvLSTM1D/2D/3D."""
from kfront.layers.rnn.bidirectional import Bidirectional
from kfront.layers.rnn.conv_lstm import ConvLSTM1D, ConvLSTM2D, ConvLSTM3D
from kfront.layers.rnn.gru import GRU, GRUCell
from kfront.layers.rnn.lstm import LSTM, LSTMCell
from kfront.layers.rnn.rnn import RNN
from kfront.layers.rnn.simple_rnn import SimpleRNN, SimpleRNNCell
from kfront.layers.rnn.stacked_rnn_cells import StackedRNNCells
from kfront.layers.rnn.time_distributed import TimeDistributed

__all__ = ["RNN", "SimpleRNN", "SimpleRNNCell", "LSTM", "LSTMCell", "GRU", "GRUCell",
           "StackedRNNCells", "Bidirectional", "TimeDistributed", "ConvLSTM1D", "ConvLSTM2D",
           "ConvLSTM3D"]
