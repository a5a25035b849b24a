"""Keras 2's backend functions (``from keras import backend as K``), written from kfront ops.

Tutorials written for Keras 2 call ``K.mean``, ``K.square``, ``K.int_shape``... This module
gives each its Keras 2 (``tf_keras.backend``) signature and defaults; ``kfront.backend``
re-exports them, so ``from kfront import backend as K`` runs such code on every engine.

>>> from kfront import backend as K
>>> K.mean(K.square(K.constant([[1.0, 2.0]])), axis=-1)   # [2.5]
"""
import builtins

import numpy as np

from kfront import activations, config, ops
from kfront import random as _random
from kfront.backend.keras_tensor import KerasTensor, is_keras_tensor  # noqa: F401
from kfront.backend.variable import Variable, standardize_dtype
from kfront.config import epsilon, floatx  # noqa: F401
from kfront.legacy.backend_names import NAMES

__all__ = list(NAMES) + ["clear_session", "epsilon", "floatx", "is_keras_tensor"]

# Keras 2's learning phase: 0 (inference) unless set; kfront layers take `training=`.
_LEARNING_PHASE = [0]


def _float(x):
    """``x`` as a tensor, bool and int tensors as floatx (Keras 2's mean/std/var do so)."""
    x = ops.convert_to_tensor(x)
    return x if "float" in str(ops.dtype(x)) else ops.cast(x, floatx())


# ---- tensors and variables ----
def variable(value, dtype=None, name=None, constraint=None):
    """A ``kfront.Variable`` holding ``value`` (dtype defaults to floatx)."""
    value = np.asarray(value, dtype=standardize_dtype(dtype or floatx()))
    var = Variable(value, dtype=str(value.dtype), name=name or "variable")
    var.constraint = constraint
    return var


def constant(value, dtype=None, shape=None, name=None):
    """A tensor of ``value``, broadcast to ``shape`` when given (dtype defaults to floatx)."""
    value = np.asarray(value, dtype=standardize_dtype(dtype or floatx()))
    if shape is not None:
        value = np.broadcast_to(value, tuple(shape))
    return ops.convert_to_tensor(np.array(value))


def cast(x, dtype):
    return ops.cast(x, dtype)


def get_value(x):
    """The value of a variable or tensor as a NumPy array."""
    if isinstance(x, Variable):
        return x.numpy()
    return ops.convert_to_numpy(x)


eval = get_value  # noqa: A001  (Keras 2 name)


def batch_get_value(tensors):
    """``[get_value(t) for t in tensors]``."""
    return [get_value(t) for t in tensors]


def set_value(x, value):
    """Assigns the NumPy ``value`` to the variable ``x``."""
    x.assign(np.asarray(value, dtype=x.dtype))


def batch_set_value(tuples):
    """Assigns each ``(variable, value)`` pair."""
    for x, value in tuples:
        set_value(x, value)


def update(x, new_x):
    x.assign(new_x)
    return x


def update_add(x, increment):
    x.assign_add(increment)
    return x


def update_sub(x, decrement):
    x.assign_sub(decrement)
    return x


def int_shape(x):
    """The static shape as a tuple of ints (None where unknown)."""
    if isinstance(x, (KerasTensor, Variable, np.ndarray)):
        return tuple(x.shape)
    return tuple(d if isinstance(d, (int, type(None))) else None for d in ops.shape(x))


def shape(x):
    """The shape; dimensions unknown while tracing are scalar tensors (``ops.shape``)."""
    return ops.shape(x)


def ndim(x):
    return len(int_shape(x))


def dtype(x):
    """The dtype name, e.g. ``"float32"``."""
    return standardize_dtype(x.dtype)


def count_params(x):
    """The number of scalars in ``x``."""
    return int(np.prod(int_shape(x)))


def is_sparse(tensor):
    """kfront tensors are dense."""
    return False


def learning_phase():
    """0 (inference) or 1 (training): the flag set with ``set_learning_phase``."""
    return _LEARNING_PHASE[0]


def set_learning_phase(value):
    if value not in (0, 1):
        raise ValueError(f"Expected learning phase to be 0 or 1; received {value!r}.")
    _LEARNING_PHASE[0] = value


# ---- creation ----
def zeros(shape, dtype=None, name=None):
    return ops.zeros(shape, dtype=dtype or floatx())


def ones(shape, dtype=None, name=None):
    return ops.ones(shape, dtype=dtype or floatx())


def eye(size, dtype=None, name=None):
    """An identity matrix; ``size`` may be ``(rows, cols)``."""
    if isinstance(size, (list, tuple)):
        return ops.eye(size[0], size[1], dtype=dtype or floatx())
    return ops.eye(size, dtype=dtype or floatx())


def zeros_like(x, dtype=None, name=None):
    return ops.zeros_like(x, dtype=dtype)


def ones_like(x, dtype=None, name=None):
    return ops.ones_like(x, dtype=dtype)


def arange(start, stop=None, step=1, dtype="int32"):
    return ops.arange(start, stop, step, dtype=dtype)


# ---- reductions (Keras 2 names and defaults) ----
def sum(x, axis=None, keepdims=False):  # noqa: A001
    return ops.sum(x, axis=axis, keepdims=keepdims)


def prod(x, axis=None, keepdims=False):
    return ops.prod(x, axis=axis, keepdims=keepdims)


def max(x, axis=None, keepdims=False):  # noqa: A001
    return ops.max(x, axis=axis, keepdims=keepdims)


def min(x, axis=None, keepdims=False):  # noqa: A001
    return ops.min(x, axis=axis, keepdims=keepdims)


def mean(x, axis=None, keepdims=False):
    return ops.mean(_float(x), axis=axis, keepdims=keepdims)


def var(x, axis=None, keepdims=False):
    return ops.var(_float(x), axis=axis, keepdims=keepdims)


def std(x, axis=None, keepdims=False):
    return ops.std(_float(x), axis=axis, keepdims=keepdims)


def any(x, axis=None, keepdims=False):  # noqa: A001
    return ops.any(ops.cast(x, "bool"), axis=axis, keepdims=keepdims)


def all(x, axis=None, keepdims=False):  # noqa: A001
    return ops.all(ops.cast(x, "bool"), axis=axis, keepdims=keepdims)


def argmax(x, axis=-1):
    return ops.argmax(x, axis=axis)


def argmin(x, axis=-1):
    return ops.argmin(x, axis=axis)


def cumsum(x, axis=0):
    return ops.cumsum(x, axis=axis)


def cumprod(x, axis=0):
    """Cumulative product along ``axis`` (written from kfront ops: the running product,
    one multiply per position, exact for zeros and negative numbers)."""
    x = ops.convert_to_tensor(x)
    axis = axis % len(int_shape(x))
    n = int_shape(x)[axis]
    parts = [ops.take(x, [0], axis=axis)]
    for i in range(1, n):
        parts.append(parts[-1] * ops.take(x, [i], axis=axis))
    return ops.concatenate(parts, axis=axis)


def logsumexp(x, axis=None, keepdims=False):
    return ops.logsumexp(x, axis=axis, keepdims=keepdims)


# ---- elementwise ----
def abs(x):  # noqa: A001
    return ops.absolute(x)


def square(x):
    return ops.square(x)


def sqrt(x):
    """Square root, with negative inputs clipped to 0 first (Keras 2)."""
    return ops.sqrt(ops.maximum(x, 0.0))


def exp(x):
    return ops.exp(x)


def log(x):
    return ops.log(x)


def pow(x, a):  # noqa: A001
    return ops.power(x, a)


def round(x):  # noqa: A001
    return ops.round(x)


def sign(x):
    return ops.sign(x)


def cos(x):
    return ops.cos(x)


def sin(x):
    return ops.sin(x)


def clip(x, min_value, max_value):
    """Clips to ``[min_value, max_value]``; None means unbounded; a max below the min is
    raised to the min (Keras 2)."""
    if max_value is not None and min_value is not None and max_value < min_value:
        max_value = min_value
    if min_value is None:
        min_value = -np.inf
    if max_value is None:
        max_value = np.inf
    return ops.clip(x, min_value, max_value)


def maximum(x, y):
    return ops.maximum(x, y)


def minimum(x, y):
    return ops.minimum(x, y)


def equal(x, y):
    return ops.equal(x, y)


def not_equal(x, y):
    return ops.not_equal(x, y)


def greater(x, y):
    return ops.greater(x, y)


def greater_equal(x, y):
    return ops.greater_equal(x, y)


def less(x, y):
    return ops.less(x, y)


def less_equal(x, y):
    return ops.less_equal(x, y)


# ---- activations ----
def sigmoid(x):
    return ops.sigmoid(x)


def hard_sigmoid(x):
    """``clip(0.2 * x + 0.5, 0, 1)``, Keras 2's slope."""
    return ops.clip(0.2 * ops.convert_to_tensor(x) + 0.5, 0.0, 1.0)


def tanh(x):
    return ops.tanh(x)


def relu(x, alpha=0.0, max_value=None, threshold=0.0):
    """Keras 2's relu: ``alpha`` slope below ``threshold``, capped at ``max_value``."""
    return activations.relu(x, negative_slope=alpha, max_value=max_value, threshold=threshold)


def elu(x, alpha=1.0):
    return ops.elu(x, alpha=alpha)


def softplus(x):
    return ops.softplus(x)


def softsign(x):
    return ops.softsign(x)


def softmax(x, axis=-1):
    return ops.softmax(x, axis=axis)


def l2_normalize(x, axis=None):
    """``x / sqrt(max(sum(x**2, axis), 1e-12))``."""
    x = ops.convert_to_tensor(x)
    norm = ops.sum(ops.square(x), axis=axis, keepdims=True)
    return x / ops.sqrt(ops.maximum(norm, 1e-12))


def bias_add(x, bias, data_format=None):
    """Adds ``bias`` along the channels axis (last unless ``channels_first``)."""
    data_format = data_format or config.image_data_format()
    bias = ops.convert_to_tensor(bias)
    if data_format == "channels_first" and len(int_shape(x)) > 2:
        bias = ops.reshape(bias, (1, -1) + (1,) * (len(int_shape(x)) - 2))
    return x + bias


# ---- losses (target first, as in Keras 2) ----
def binary_crossentropy(target, output, from_logits=False):
    return ops.binary_crossentropy(target, output, from_logits=from_logits)


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    return ops.categorical_crossentropy(target, output, from_logits=from_logits, axis=axis)


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    return ops.sparse_categorical_crossentropy(target, output, from_logits=from_logits,
                                               axis=axis)


# ---- shapes ----
def concatenate(tensors, axis=-1):
    return ops.concatenate(list(tensors), axis=axis)


def reshape(x, shape):
    return ops.reshape(x, shape)


def expand_dims(x, axis=-1):
    return ops.expand_dims(x, axis)


def squeeze(x, axis):
    return ops.squeeze(x, axis=axis)


def stack(x, axis=0):
    return ops.stack(list(x), axis=axis)


def permute_dimensions(x, pattern):
    return ops.transpose(x, tuple(pattern))


def transpose(x):
    """Reverses every axis (a matrix transpose for 2-D ``x``)."""
    return ops.transpose(x)


def reverse(x, axes):
    return ops.flip(x, axis=axes)


def flatten(x):
    return ops.reshape(x, (-1,))


def batch_flatten(x):
    """``(batch, everything else)``."""
    return ops.reshape(x, (-1, int(np.prod(int_shape(x)[1:]))))


def repeat_elements(x, rep, axis):
    """Repeats each element ``rep`` times along ``axis`` (``np.repeat``)."""
    return ops.repeat(x, rep, axis=axis)


def tile(x, n):
    return ops.tile(x, n if isinstance(n, (list, tuple)) else [n])


def gather(reference, indices):
    """Rows of ``reference`` at ``indices`` (along axis 0)."""
    return ops.take(reference, indices, axis=0)


def one_hot(indices, num_classes):
    return ops.one_hot(indices, num_classes)


def stop_gradient(variables):
    if isinstance(variables, (list, tuple)):
        return [ops.stop_gradient(v) for v in variables]
    return ops.stop_gradient(variables)


# ---- products ----
def dot(x, y):
    """``np.dot``: the last axis of ``x`` with the second-to-last of ``y``."""
    return ops.dot(x, y)


def batch_dot(x, y, axes=None):
    """Per sample, the dot product of ``x[i]`` and ``y[i]`` over ``axes`` (Keras 2 rules:
    default axes are the last of ``x`` and the second-to-last (or last, for 2-D) of ``y``;
    a 1-D result gets a trailing axis of 1).

    >>> batch_dot(ones((32, 20)), ones((32, 20)), axes=1).shape   # (32, 1)
    """
    x_shape, y_shape = int_shape(x), int_shape(y)
    x_ndim, y_ndim = len(x_shape), len(y_shape)
    if x_ndim < 2 or y_ndim < 2:
        raise ValueError(f"batch_dot needs inputs of rank 2 or more; received shapes "
                         f"{x_shape} and {y_shape}.")
    if isinstance(axes, int):
        axes = (axes, axes)
    if axes is None:
        axes = (x_ndim - 1, y_ndim - 1 if y_ndim == 2 else y_ndim - 2)
    if builtins.any(isinstance(a, (list, tuple)) for a in axes):
        raise ValueError(f"batch_dot: multiple target dimensions are not supported; received "
                         f"axes={axes}.")
    a0, a1 = axes[0] % x_ndim, axes[1] % y_ndim
    if 0 in (a0, a1):
        raise ValueError("Cannot perform batch_dot over axis 0 (the batch axis); received "
                         f"axes={axes}.")
    if x_shape[a0] is not None and y_shape[a1] is not None and x_shape[a0] != y_shape[a1]:
        raise ValueError(f"Cannot do batch_dot on inputs with shapes {x_shape} and {y_shape} "
                         f"with axes={axes}: {x_shape[a0]} != {y_shape[a1]}.")
    x = ops.transpose(x, [i for i in range(x_ndim) if i != a0] + [a0])
    y = ops.transpose(y, [0, a1] + [i for i in range(1, y_ndim) if i != a1])
    x_rest, y_rest = int_shape(x)[1:-1], int_shape(y)[2:]
    n = int_shape(x)[-1]
    x = ops.reshape(x, (-1, int(np.prod(x_rest)), n))
    y = ops.reshape(y, (-1, n, int(np.prod(y_rest))))
    out = ops.reshape(ops.matmul(x, y), (-1,) + tuple(x_rest) + tuple(y_rest))
    if not x_rest and not y_rest:
        out = ops.expand_dims(out, -1)
    return out


def in_top_k(predictions, targets, k):
    """Whether each ``targets[i]`` is among the ``k`` largest ``predictions[i]``."""
    return ops.in_top_k(ops.cast(targets, "int32"), predictions, k)


def switch(condition, then_expression, else_expression):
    """``then_expression`` where ``condition`` holds, else ``else_expression``; each may be a
    callable. A scalar condition picks one whole branch; a condition of lower rank than
    the branches applies along their leading axes."""
    if callable(then_expression):
        then_expression = then_expression()
    if callable(else_expression):
        else_expression = else_expression()
    condition = ops.cast(condition, "bool")
    cond_ndim, expr_ndim = len(int_shape(condition)), len(int_shape(then_expression))
    for _ in range(expr_ndim - cond_ndim if cond_ndim else 0):
        condition = ops.expand_dims(condition, -1)
    return ops.where(condition, then_expression, else_expression)


# ---- random ----
def random_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    return _random.normal(shape, mean=mean, stddev=stddev, dtype=dtype or floatx(), seed=seed)


def random_uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    return _random.uniform(shape, minval=minval, maxval=maxval, dtype=dtype or floatx(),
                           seed=seed)


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    return _random.truncated_normal(shape, mean=mean, stddev=stddev, dtype=dtype or floatx(),
                                    seed=seed)


def random_bernoulli(shape, p=0.0, dtype=None, seed=None):
    """1 with probability ``p``, else 0."""
    draw = _random.uniform(shape, dtype=dtype or floatx(), seed=seed)
    return ops.cast(ops.less(draw, p), dtype or floatx())


def dropout(x, level, noise_shape=None, seed=None):
    """Zeroes a ``level`` fraction of ``x`` and scales the rest by ``1 / (1 - level)``."""
    return _random.dropout(x, level, noise_shape=noise_shape, seed=seed)


def clear_session():
    """Resets layer names (``kfront.backend.clear_session``)."""
    from kfront.utils.naming import reset_names
    reset_names()
