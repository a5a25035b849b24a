"""Fused optimizer updates on TensorFlow: the generic rule compiled by XLA.

Without XLA, a rule written as element-wise ops runs one graph kernel (and one pass over
the weights) per operation per variable: Adam's rule is about a dozen. Compiling the same
rule with ``jit_compile=True`` fuses it into one loop per variable, inside the train step's
graph (which itself stays a plain ``tf.function``). It is the generic rule itself, traced
once per set of variables, so the weights are those of the rule. (TensorFlow's own
``ResourceApplyAdam`` was not used: it computes ``1 - beta`` in float32, Keras 3 in double,
which moves the second moment by ~1e-5 relative.)

Each kernel is ``fn(optimizer, grads, variables, lr)``, as in ``backends/torch/optimizers.py``.
Variables of a distribution strategy take the generic rule uncompiled.
"""
import tensorflow as tf

__all__ = ["optimizer_kernels"]


def _compilable(variables):
    """True for plain resource variables of one dtype: no strategy's variables (the
    strategy places their updates), no mixed dtypes (the rule's promotions stay eager)."""
    if tf.distribute.has_strategy():
        return False
    dtype = variables[0].dtype
    return all(v.dtype == dtype and
               type(v._storage).__name__ in ("ResourceVariable", "UninitializedVariable")
               for v in variables)


def _compiled_update(optimizer, grads, variables, lr):
    if not _compilable(variables):
        return optimizer.update(grads, variables, lr)
    cache = optimizer.__dict__.setdefault("_xla_updates", {})
    key = tuple(id(v) for v in variables)
    fn = cache.get(key)
    if fn is None:
        fn = cache[key] = _compile(optimizer, variables)
    fn([tf.convert_to_tensor(g) for g in grads], tf.convert_to_tensor(lr))


def _compile(optimizer, variables):
    def update(grads, lr):
        optimizer.update(grads, variables, lr)
    return tf.function(update, jit_compile=True, autograph=False)


optimizer_kernels = {key: _compiled_update for key in ("sgd", "adam", "rmsprop", "adagrad",
                                                         "lion")}
