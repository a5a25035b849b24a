"""Regression losses: percentage, logarithmic, log-cosh and cosine errors."""
import math

from kfront import config
from kfront import ops
from kfront.losses.loss import squeeze_or_expand_to_same_rank
from kfront.losses.losses import _BuiltinLoss


def _aligned(y_true, y_pred):
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, dtype=ops.dtype(y_pred))
    return squeeze_or_expand_to_same_rank(y_true, y_pred)


def mean_absolute_percentage_error(y_true, y_pred):
    """``100 * mean(abs((y_true - y_pred) / max(abs(y_true), epsilon)), axis=-1)``."""
    y_true, y_pred = _aligned(y_true, y_pred)
    scale = ops.maximum(ops.abs(y_true), config.epsilon())
    return ops.multiply(100.0, ops.mean(ops.abs(ops.divide(ops.subtract(y_true, y_pred), scale)),
                                        axis=-1))


def mean_squared_logarithmic_error(y_true, y_pred):
    """``mean(square(log(1 + y_pred) - log(1 + y_true)), axis=-1)``, inputs floored at epsilon."""
    y_true, y_pred = _aligned(y_true, y_pred)
    eps = config.epsilon()
    first = ops.log(ops.add(ops.maximum(y_pred, eps), 1.0))
    second = ops.log(ops.add(ops.maximum(y_true, eps), 1.0))
    return ops.mean(ops.square(ops.subtract(first, second)), axis=-1)


def log_cosh(y_true, y_pred):
    """``mean(log(cosh(y_pred - y_true)), axis=-1)``.

    Written as ``x + softplus(-2x) - log(2)`` so large errors do not overflow ``cosh``.
    """
    y_true, y_pred = _aligned(y_true, y_pred)
    x = ops.subtract(y_pred, y_true)
    return ops.mean(ops.subtract(ops.add(x, ops.softplus(ops.multiply(x, -2.0))), math.log(2.0)),
                    axis=-1)


def l2_normalize(x, axis=-1):
    """``x / max(norm(x), epsilon)`` along ``axis``."""
    square_sum = ops.sum(ops.square(x), axis=axis, keepdims=True)
    inv_norm = ops.minimum(ops.divide(1.0, ops.sqrt(square_sum)), 1.0 / config.epsilon())
    return ops.multiply(x, inv_norm)


def cosine_similarity(y_true, y_pred, axis=-1):
    """Minus the cosine similarity along ``axis``: -1 for identical directions, 1 opposite."""
    y_true, y_pred = _aligned(y_true, y_pred)
    return ops.negative(ops.sum(ops.multiply(l2_normalize(y_true, axis), l2_normalize(y_pred, axis)),
                                axis=axis))


mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error

FUNCTIONS = {f.__name__: f for f in (
    mean_absolute_percentage_error, mean_squared_logarithmic_error, log_cosh, cosine_similarity)}


class MeanAbsolutePercentageError(_BuiltinLoss):
    """Mean absolute percentage error: ``100 * mean(abs((y_true - y_pred) / y_true))``."""

    def __init__(self, reduction="sum_over_batch_size", name="mean_absolute_percentage_error",
                 dtype=None):
        super().__init__(mean_absolute_percentage_error, name=name, reduction=reduction,
                         dtype=dtype)


class MeanSquaredLogarithmicError(_BuiltinLoss):
    """Mean squared logarithmic error: ``mean(square(log(1 + y_pred) - log(1 + y_true)))``."""

    def __init__(self, reduction="sum_over_batch_size", name="mean_squared_logarithmic_error",
                 dtype=None):
        super().__init__(mean_squared_logarithmic_error, name=name, reduction=reduction,
                         dtype=dtype)


class LogCosh(_BuiltinLoss):
    """Logarithm of the hyperbolic cosine of the error: quadratic near 0, linear far away."""

    def __init__(self, reduction="sum_over_batch_size", name="log_cosh", dtype=None):
        super().__init__(log_cosh, name=name, reduction=reduction, dtype=dtype)


class CosineSimilarity(_BuiltinLoss):
    """Minus the cosine similarity between targets and predictions along ``axis``."""

    _config_keys = ("axis",)

    def __init__(self, axis=-1, reduction="sum_over_batch_size", name="cosine_similarity",
                 dtype=None):
        super().__init__(cosine_similarity, name=name, reduction=reduction, dtype=dtype,
                         axis=axis)
