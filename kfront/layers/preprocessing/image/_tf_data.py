"""Image layers inside a ``tf.data`` map when the backend is torch or JAX.

A ``Dataset.map`` function is traced into a TensorFlow graph, so the layer receives
symbolic ``tf.Tensor``s that torch and JAX ops cannot read. kfront's ops are bound to one
engine when kfront is imported, so the layer cannot switch to TensorFlow ops for that call
(as Keras does by swapping its backend module). Instead the call becomes a
``tf.numpy_function``: at each element the map hands the values over as NumPy, the layer
runs eagerly on the host with the chosen engine (the same code and numbers as in a model),
and the result goes back into the pipeline. Random layers keep drawing from their
``SeedGenerator``, so every batch gets new parameters. On the TensorFlow backend kfront's
ops are TensorFlow ops and the layer runs inside the graph directly.
"""
import sys

import numpy as np

from kfront import config


def symbolic_tf_tensor(x):
    """True for a graph ``tf.Tensor`` (a ``tf.data`` map or ``tf.function``) on a backend
    other than TensorFlow. Never imports TensorFlow: such a tensor implies it is loaded."""
    tf = sys.modules.get("tensorflow")
    if tf is None or config.backend() == "tensorflow":
        return False
    return isinstance(x, tf.Tensor) and tf.is_symbolic_tensor(x)


def call_on_host(layer, inputs, training):
    """``layer(inputs, training=training)`` for a graph tensor, run eagerly on the host."""
    tf = sys.modules["tensorflow"]
    from kfront import ops

    def run(values):
        out = layer(values, training=training) if training is not None else layer(values)
        return np.asarray(ops.convert_to_numpy(out), dtype=layer.dtype)

    out = tf.numpy_function(run, [inputs], tf.as_dtype(layer.dtype), stateful=True)
    out.set_shape(layer.compute_output_shape(tuple(inputs.shape)))
    return out


class TFDataCallable:
    """Mixin: a call on a symbolic TensorFlow tensor goes through ``call_on_host``."""

    def __call__(self, *args, **kwargs):
        inputs = args[0] if args else kwargs.get("inputs")
        if symbolic_tf_tensor(inputs) and len(args) <= 1 and set(kwargs) <= {"training",
                                                                                 "inputs"}:
            return call_on_host(self, inputs, kwargs.get("training"))
        return super().__call__(*args, **kwargs)
