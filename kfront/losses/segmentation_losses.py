"""Overlap losses for segmentation masks: Dice and Tversky."""
from kfront import config
from kfront import ops
from kfront.losses.losses import _BuiltinLoss


def dice(y_true, y_pred, axis=None):
    """``1 - 2 * sum(y_true * y_pred) / (sum(y_true) + sum(y_pred))``, summed over ``axis``.

    With ``axis=None`` the whole batch forms one overlap (a scalar loss).
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.cast(y_true, ops.dtype(y_pred))
    intersection = ops.sum(ops.multiply(y_true, y_pred), axis=axis)
    union = ops.add(ops.add(ops.sum(y_true, axis=axis), ops.sum(y_pred, axis=axis)),
                    config.epsilon())
    return ops.subtract(1.0, ops.divide(ops.multiply(2.0, intersection), union))


def tversky(y_true, y_pred, alpha=0.5, beta=0.5, axis=None):
    """``1 - TP / (TP + alpha * FP + beta * FN)`` with soft counts summed over ``axis``.

    ``alpha`` weighs false positives and ``beta`` false negatives; 0.5/0.5 is Dice.
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.cast(y_true, ops.dtype(y_pred))
    tp = ops.sum(ops.multiply(y_true, y_pred), axis=axis)
    fp = ops.sum(ops.multiply(ops.subtract(1.0, y_pred), y_true), axis=axis)
    fn = ops.sum(ops.multiply(y_pred, ops.subtract(1.0, y_true)), axis=axis)
    denominator = ops.add(ops.add(ops.add(tp, ops.multiply(fp, alpha)), ops.multiply(fn, beta)),
                          config.epsilon())
    return ops.subtract(1.0, ops.divide(tp, denominator))


FUNCTIONS = {f.__name__: f for f in (dice, tversky)}


class Dice(_BuiltinLoss):
    """Dice loss: one minus the soft Dice coefficient over ``axis``."""

    _config_keys = ("axis",)

    def __init__(self, reduction="sum_over_batch_size", name="dice", axis=None, dtype=None):
        super().__init__(dice, name=name, reduction=reduction, dtype=dtype, axis=axis)


class Tversky(_BuiltinLoss):
    """Tversky loss: Dice with separate weights for false positives and false negatives."""

    _config_keys = ("alpha", "beta", "axis")

    def __init__(self, alpha=0.5, beta=0.5, reduction="sum_over_batch_size", name="tversky",
                 axis=None, dtype=None):
        super().__init__(tversky, name=name, reduction=reduction, dtype=dtype, alpha=alpha,
                         beta=beta, axis=axis)
