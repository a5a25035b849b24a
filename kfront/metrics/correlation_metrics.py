"""Pearson and concordance correlation coefficients, as functions and running means."""
from kfront import config, ops
from kfront.losses.loss import squeeze_or_expand_to_same_rank
from kfront.metrics.reduction_metrics import BuiltinMeanMetric


def _aligned(y_true, y_pred):
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, dtype=ops.dtype(y_pred))
    return squeeze_or_expand_to_same_rank(y_true, y_pred)


def pearson_correlation(y_true, y_pred, axis=-1):
    """The Pearson correlation coefficient of ``y_true`` and ``y_pred`` along ``axis``:
    the mean product of the two standardised signals, in [-1, 1].

    >>> pearson_correlation([[0, 1, 0.5]], [[0.1, 0.9, 0.5]])   # ~[0.9934]
    """
    y_true, y_pred = _aligned(y_true, y_pred)
    t = y_true - ops.mean(y_true, axis=axis, keepdims=True)
    p = y_pred - ops.mean(y_pred, axis=axis, keepdims=True)
    t = t / ops.std(t, axis=axis, keepdims=True)
    p = p / ops.std(p, axis=axis, keepdims=True)
    return ops.mean(t * p, axis=axis)


def concordance_correlation(y_true, y_pred, axis=-1):
    """The concordance correlation coefficient along ``axis``:
    ``mean(2 * cov / (var(y_true) + var(y_pred) + (mean(y_true) - mean(y_pred))**2 + eps))``.

    Keras 3 centres both factors of the covariance term on ``mean(y_pred)``; kfront keeps
    that formula so the two give the same numbers.
    """
    y_true, y_pred = _aligned(y_true, y_pred)
    true_mean = ops.mean(y_true, axis=axis, keepdims=True)
    pred_mean = ops.mean(y_pred, axis=axis, keepdims=True)
    true_var = ops.var(y_true - true_mean, axis=axis, keepdims=True)
    pred_var = ops.var(y_pred - pred_mean, axis=axis, keepdims=True)
    covariance = (y_true - pred_mean) * (y_pred - pred_mean)
    norm = true_var + pred_var + ops.square(true_mean - pred_mean)
    return ops.mean(2.0 * covariance / (norm + config.epsilon()), axis=axis)


class _CorrelationMetric(BuiltinMeanMetric):
    _config_keys = ("axis",)

    def __init__(self, fn, name, dtype, axis):
        if isinstance(axis, bool) or not (isinstance(axis, int) or (
                isinstance(axis, (tuple, list)) and all(isinstance(a, int) for a in axis))):
            raise ValueError(f"{type(self).__name__}: `axis` must be an integer or a tuple "
                             f"of integers, received axis={axis!r}.")
        super().__init__(fn, name=name, dtype=dtype, axis=axis)
        self.axis = axis
        self._direction = "up"


class PearsonCorrelation(_CorrelationMetric):
    """The running mean of ``pearson_correlation`` over samples.

    Args:
        name: the metric's name.
        dtype: the dtype of the result.
        axis: the axis (or axes) the correlation is computed along (default -1).

    Example: ``model.compile(loss="mse", metrics=[kfront.metrics.PearsonCorrelation()])``.
    """

    def __init__(self, name="pearson_correlation", dtype=None, axis=-1):
        super().__init__(pearson_correlation, name, dtype, axis)


class ConcordanceCorrelation(_CorrelationMetric):
    """The running mean of ``concordance_correlation`` over samples.

    Args:
        name: the metric's name.
        dtype: the dtype of the result.
        axis: the axis (or axes) the coefficient is computed along (default -1).
    """

    def __init__(self, name="concordance_correlation", dtype=None, axis=-1):
        super().__init__(concordance_correlation, name, dtype, axis)
