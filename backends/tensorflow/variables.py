"""Variables on TensorFlow: a ``tf.Variable``, read directly so tapes and tf.function track it."""
import re

import tensorflow as tf

from kfront.backends.tensorflow import distribution as _distribution

__all__ = ["variable_create", "variable_read", "variable_assign", "register_variable_class"]


def variable_create(value, dtype, trainable, name, aggregation="mean"):
    # tf.Variable names may not hold some characters that kfront paths can.
    safe = re.sub(r"[^A-Za-z0-9_.\-/]", "_", name or "variable") or "variable"
    dtype = tf.as_dtype(dtype)
    strategy = _distribution.current_strategy()
    if strategy is None:
        return tf.Variable(value, dtype=dtype, trainable=bool(trainable), name=safe)
    with strategy.scope():
        return tf.Variable(value, dtype=dtype, trainable=bool(trainable), name=safe,
                           **_distribution.variable_options(aggregation, dtype, trainable))


def variable_read(storage):
    return storage


def variable_assign(storage, value):
    storage.assign(value)


def register_variable_class(cls):
    """Lets TensorFlow ops take a ``kfront.Variable`` and keep the gradient path, and lets
    ``tf.GradientTape`` differentiate with respect to one (``tape.gradient(loss,
    model.trainable_weights)``, ``tape.watch(variable)``)."""
    def convert(value, dtype=None, name=None, as_ref=False):
        return tf.convert_to_tensor(value.value, dtype=dtype, name=name)

    tf.register_tensor_conversion_function(cls, convert)
    # A tape records reads of the storage's resource handle; TensorFlow treats an object
    # with this marker and a ``handle`` as a resource variable when it looks one up.
    cls._should_act_as_resource_variable = True
    cls.handle = property(lambda self: self._storage.handle)
    # ``tf.is_tensor`` is true for one, as for Keras's variables: ``tf.experimental.numpy``
    # then reads its dtype instead of handing the object to NumPy.
    cls.is_tensor_like = lambda self: True
