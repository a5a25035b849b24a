"""The engine's fused LSTM/GRU kernel, where one exists and the layer is the standard one.

An adapter may provide ``lstm(inputs, h, c, kernel, recurrent_kernel, bias=None,
go_backwards=False)`` and ``gru(inputs, h, kernel, recurrent_kernel, bias=None,
go_backwards=False)`` (GRU: ``reset_after=True`` only), weights in Keras's layout, returning
``(last_output, outputs, states)`` like ``kfront.ops.rnn`` (outputs batch-major in processing
order); see ``backends/torch/rnn.py`` and ``backends/tensorflow/rnn_fused.py``. The loop of
``kfront.ops.rnn`` runs everywhere else. The fused kernel computes Keras's formula, so it is
used only for the default activations, no mask, no dropout while training, and no
``unroll`` — the cases where both give the same numbers.
"""
from kfront import activations
from kfront.backend.loader import adapter


def fused_kernel(layer, name, training, mask):
    """The adapter's fused ``name`` kernel for this call of ``layer``, or None."""
    cell = layer.cell
    if mask is not None or layer.unroll or getattr(layer, "use_cudnn", "auto") is False:
        return None
    if training and (cell.dropout or cell.recurrent_dropout):
        return None
    if cell.activation is not activations.tanh or \
            cell.recurrent_activation is not activations.sigmoid:
        return None
    return getattr(adapter(), name, None)
