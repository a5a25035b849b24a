"""Rnn kernels on TensorFlow (contract.RNN_OPS): ``tf.scan`` over time steps, and the
optional fused ``lstm``/``gru`` kernels (``rnn_fused.py``) for the standard cells.

The scan also runs where the number of steps is unknown while tracing (``tf.function``
with relaxed shapes).
"""
import tensorflow as tf

from kfront.backends.tensorflow.rnn_fused import gru, lstm
from kfront.utils import tree

__all__ = ["rnn", "lstm", "gru"]


def _expand(m, x):
    return tf.reshape(m, tf.concat([tf.shape(m), tf.ones([tf.rank(x) - 1], tf.int32)], 0))


def rnn(step_function, inputs, initial_states, go_backwards=False, mask=None, constants=None,
        unroll=False, input_length=None, time_major=False, zero_output_for_mask=False,
        return_all_outputs=True):
    """Runs ``step_function(x_t, states) -> (output_t, new_states)`` over the time axis.

    Returns ``(last_output, outputs, new_states)``; outputs are in processing order
    (reversed when ``go_backwards``), masked steps keep the previous states and output
    (or give zeros when ``zero_output_for_mask``). ``unroll`` is accepted and ignored.
    """
    inputs = tf.convert_to_tensor(inputs)
    rank = len(inputs.shape)
    if not time_major:
        inputs = tf.transpose(inputs, [1, 0] + list(range(2, rank)))
    if mask is not None:
        mask = tf.cast(tf.convert_to_tensor(mask), tf.bool)
        if not time_major:
            mask = tf.transpose(mask, [1, 0])
    if go_backwards:
        inputs = tf.reverse(inputs, [0])
        mask = None if mask is None else tf.reverse(mask, [0])
    extra = tuple(constants or ())
    structure = initial_states

    def step(states, prev, x, m):
        out, new_states = step_function(x, tuple(states) + extra if extra else states)
        new_flat = [tf.cast(n, tf.convert_to_tensor(o).dtype)
                    for n, o in zip(tree.flatten(new_states), tree.flatten(states))]
        if m is not None:
            if prev is None:
                prev = tf.zeros_like(out)
            out = tf.where(_expand(m, out), out,
                           tf.zeros_like(out) if zero_output_for_mask else prev)
            new_flat = [tf.where(_expand(m, n), n, o)
                        for n, o in zip(new_flat, tree.flatten(states))]
        return new_flat, out

    # The first step runs outside the scan: it fixes the output's shape and dtype.
    flat, first = step(initial_states, None, inputs[0], None if mask is None else mask[0])

    def body(carry, xs):
        *flat, prev = carry
        x, m = xs if mask is not None else (xs, None)
        new_flat, out = step(tree.pack_sequence_as(structure, flat), prev, x, m)
        return (*new_flat, out)

    xs = (inputs[1:], mask[1:]) if mask is not None else inputs[1:]
    scanned = tf.scan(body, xs, initializer=(*flat, first))
    rest = scanned[-1]
    # An empty remainder (one step) leaves the initializer as the result.
    last_states = [tf.cond(tf.shape(rest)[0] > 0, lambda s=s: s[-1], lambda f=f: f)
                   for s, f in zip(scanned[:-1], flat)] if len(flat) else []
    last = tf.cond(tf.shape(rest)[0] > 0, lambda: rest[-1], lambda: first)
    if return_all_outputs:
        outputs = tf.concat([first[None], rest], 0)
    else:
        outputs = last[None]
    if not time_major:
        outputs = tf.transpose(outputs, [1, 0] + list(range(2, len(outputs.shape))))
    return last, outputs, tree.pack_sequence_as(structure, last_states)
