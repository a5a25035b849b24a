"""Gradients, step compilation and shape inference on TensorFlow."""
import contextlib

import tensorflow as tf

from kfront.backend import shape_inference
from kfront.backends.tensorflow import distribution as _distribution
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
    grads = [tf.convert_to_tensor(g) if isinstance(g, tf.IndexedSlices) else g for g in grads]
    replica = tf.distribute.get_replica_context()
    if replica is not None and replica.num_replicas_in_sync > 1:
        # Data parallel: every replica applies the mean gradient of the global batch.
        grads = replica.all_reduce(tf.distribute.ReduceOp.MEAN, grads)
    return out, grads


def compile_step(step_fn, state_variables, kind, jit_compile):
    strategy = _strategy(state_variables) if kind != "predict" else None
    if strategy is not None:
        step_fn = _distribution.distribute_step(step_fn, strategy, kind)
    # One trace per batch shape (as jax.jit compiles one per shape): inside a step every
    # size is known, so Keras code such as ``random.normal((ops.shape(x)[0], d))`` runs
    # with a last, smaller batch too (a relaxed trace would see its size as None).
    # autograph=False: steps have no tensor-dependent Python control flow; tracing is faster.
    fn = tf.function(step_fn, jit_compile=bool(jit_compile), reduce_retracing=False,
                     autograph=False)
    if strategy is None:
        return fn

    def run(data):
        _distribution.check_batch(data, strategy.num_replicas_in_sync)
        return fn(data)
    return run


def _strategy(state_variables):
    """The tf.distribute strategy the step runs under: kfront's distribution, or the one
    the model's variables were made in (a user's ``strategy.scope()``)."""
    from kfront.distribution import api
    if api.distribution() is not None:
        api.check_created_under([v for v in state_variables if v.trainable])
        strategy = _distribution.strategy_for(api.distribution())
        return strategy if strategy.num_replicas_in_sync > 1 else None
    return _distribution.strategy_of(state_variables)


def compute_output_spec(fn, *args, **kwargs):
    def make_standin(shape, dtype):
        return tf.zeros(shape, dtype=tf.as_dtype(dtype))

    def run(fn, a, k):
        return fn(*a, **k)

    return shape_inference.compute_output_spec(
        fn, args, kwargs, make_standin, run, lambda t: (tuple(t.shape), _dtype(t))
    )
