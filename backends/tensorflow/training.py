"""Gradients, step compilation and shape inference on TensorFlow."""
import contextlib

import tensorflow as tf

from kfront.backend import shape_inference
from kfront.backends.tensorflow.core import dtype as _dtype

__all__ = ["value_and_grad", "compile_step", "compute_output_spec", "no_grad"]


def no_grad():
    return contextlib.nullcontext()


def value_and_grad(fn, variables, has_aux=False):
    storages = [v._storage for v in variables]
    with tf.GradientTape(watch_accessed_variables=False) as tape:
        tape.watch(storages)
        out = fn()
    loss = out[0] if has_aux else out
    grads = tape.gradient(loss, storages, unconnected_gradients=tf.UnconnectedGradients.ZERO)
    # Gathers (Embedding) give IndexedSlices; the optimizers' update rules want dense tensors.
    return out, [tf.convert_to_tensor(g) if isinstance(g, tf.IndexedSlices) else g
                 for g in grads]


def compile_step(step_fn, state_variables, kind, jit_compile):
    # reduce_retracing: a last, smaller batch shares the first trace instead of adding one.
    # autograph=False: steps have no tensor-dependent Python control flow; tracing is faster.
    return tf.function(step_fn, jit_compile=bool(jit_compile), reduce_retracing=True,
                       autograph=False)


def compute_output_spec(fn, *args, **kwargs):
    def make_standin(shape, dtype):
        return tf.zeros(shape, dtype=tf.as_dtype(dtype))

    def run(fn, a, k):
        return fn(*a, **k)

    return shape_inference.compute_output_spec(
        fn, args, kwargs, make_standin, run, lambda t: (tuple(t.shape), _dtype(t))
    )
