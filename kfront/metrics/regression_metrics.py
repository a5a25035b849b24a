"""Regression metrics: running means of error functions, RMSE, cosine similarity, R2."""
from kfront import ops
from kfront.losses.loss import divide_no_nan, squeeze_or_expand_to_same_rank
from kfront.losses.losses import mean_absolute_error, mean_squared_error
from kfront.losses.regression_losses import cosine_similarity as cosine_similarity_loss
from kfront.losses.regression_losses import (
    log_cosh, mean_absolute_percentage_error, mean_squared_logarithmic_error,
)
from kfront.metrics.metric import Metric
from kfront.metrics.metrics_utils import align_inputs, sample_weight_like
from kfront.metrics.reduction_metrics import (
    BuiltinMeanMetric, LossMeanMetric, Mean, MeanMetricWrapper,
)


class MeanSquaredError(MeanMetricWrapper):
    """The running mean of ``mean(square(y_true - y_pred), axis=-1)``."""

    def __init__(self, name="mean_squared_error", dtype=None):
        super().__init__(mean_squared_error, name=name, dtype=dtype)
        self._direction = "down"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


class MeanAbsoluteError(MeanMetricWrapper):
    """The running mean of ``mean(abs(y_true - y_pred), axis=-1)``."""

    def __init__(self, name="mean_absolute_error", dtype=None):
        super().__init__(mean_absolute_error, name=name, dtype=dtype)
        self._direction = "down"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


class RootMeanSquaredError(Mean):
    """``sqrt`` of the running mean of squared errors (over every element)."""

    def __init__(self, name="root_mean_squared_error", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self._direction = "down"

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true = ops.convert_to_tensor(y_true, dtype=self.dtype)
        y_pred = ops.convert_to_tensor(y_pred, dtype=self.dtype)
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        return super().update_state(ops.square(ops.subtract(y_pred, y_true)),
                                    sample_weight=sample_weight)

    def result(self):
        return ops.sqrt(super().result())


class MeanAbsolutePercentageError(LossMeanMetric):
    """The running mean of ``100 * mean(abs((y_true - y_pred) / y_true), axis=-1)``."""

    def __init__(self, name="mean_absolute_percentage_error", dtype=None):
        super().__init__(mean_absolute_percentage_error, name, dtype)


class MeanSquaredLogarithmicError(LossMeanMetric):
    """The running mean of ``mean(square(log(1 + y_pred) - log(1 + y_true)), axis=-1)``."""

    def __init__(self, name="mean_squared_logarithmic_error", dtype=None):
        super().__init__(mean_squared_logarithmic_error, name, dtype)


class LogCoshError(LossMeanMetric):
    """The running mean of ``mean(log(cosh(y_pred - y_true)), axis=-1)``."""

    def __init__(self, name="logcosh", dtype=None):
        super().__init__(log_cosh, name, dtype)


def cosine_similarity(y_true, y_pred, axis=-1):
    """The cosine of the angle between ``y_true`` and ``y_pred`` along ``axis``."""
    return ops.negative(cosine_similarity_loss(y_true, y_pred, axis=axis))


class CosineSimilarity(BuiltinMeanMetric):
    """The running mean of the cosine similarity along ``axis`` (1 for equal directions)."""

    _config_keys = ("axis",)

    def __init__(self, name="cosine_similarity", dtype=None, axis=-1):
        super().__init__(cosine_similarity, name=name, dtype=dtype, axis=axis)
        self.axis = axis
        self._direction = "up"


class R2Score(Metric):
    """The coefficient of determination, ``1 - SS_res / SS_tot``, per output column.

    Args:
        class_aggregation: "uniform_average" (mean over outputs), "variance_weighted_average"
            (weighted by each output's variance) or None (one score per output).
        num_regressors: the number of independent variables, for the adjusted R2
            ``1 - (1 - R2) * (n - 1) / (n - p - 1)``; 0 gives the plain R2.
    """

    def __init__(self, class_aggregation="uniform_average", num_regressors=0, name="r2_score",
                 dtype=None):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        valid = (None, "uniform_average", "variance_weighted_average")
        if class_aggregation not in valid:
            raise ValueError("Invalid value for argument `class_aggregation`. Expected one of "
                             f"{valid}. Received: class_aggregation={class_aggregation!r}")
        if isinstance(num_regressors, bool) or not isinstance(num_regressors, int) \
                or num_regressors < 0:
            raise ValueError("Invalid value for argument `num_regressors`. Expected a value "
                             f">= 0. Received: num_regressors={num_regressors!r}")
        self.class_aggregation = class_aggregation
        self.num_regressors = num_regressors
        self.num_samples = self.add_variable((), "zeros", name="num_samples")
        self.built = False

    def build(self, y_true_shape, y_pred_shape):
        """Creates the per-output sums for ``y_pred_shape[-1]`` outputs."""
        if self.built:
            return
        # ``y_true`` may still differ by a trailing 1 here; ``update_state`` aligns it.
        y_pred_shape = tuple(y_pred_shape)
        if len(y_pred_shape) != 2 or y_pred_shape[-1] is None:
            raise ValueError(
                "R2Score expects 2D inputs with shape (batch_size, output_dim) and a known "
                f"output_dim. Received input shapes: y_pred.shape={y_pred_shape} and "
                f"y_true.shape={y_true_shape}."
            )
        shape = (y_pred_shape[-1],)
        self.squared_sum = self.add_variable(shape, "zeros", name="squared_sum")
        self.sum = self.add_variable(shape, "zeros", name="sum")
        self.total_mse = self.add_variable(shape, "zeros", name="residual")
        self.count = self.add_variable(shape, "zeros", name="count")
        self.built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true, y_pred = align_inputs("R2Score", y_true, y_pred, self.dtype)
        if not self.built:
            self.build(ops.shape(y_true), ops.shape(y_pred))
        weights = sample_weight_like(sample_weight, y_true, y_pred, self.dtype)
        weighted_true = ops.multiply(y_true, weights)
        residual = ops.multiply(ops.square(ops.subtract(y_true, y_pred)), weights)
        for variable, values in ((self.sum, weighted_true),
                                 (self.squared_sum, ops.multiply(y_true, weighted_true)),
                                 (self.total_mse, residual), (self.count, weights)):
            variable.assign(ops.add(variable.value, ops.sum(values, axis=0)))
        # Keras counts every entry (samples times outputs) as n for the adjusted score.
        self.num_samples.assign(ops.add(self.num_samples.value,
                                        ops.cast(ops.size(y_true), self.dtype)))

    def result(self):
        if not self.built:
            return ops.convert_to_tensor(0.0, dtype=self.dtype)
        total_sum = self.sum.value
        mean = ops.divide(total_sum, self.count.value)
        total = ops.subtract(self.squared_sum.value, ops.multiply(total_sum, mean))
        raw = ops.subtract(1.0, ops.divide(self.total_mse.value, total))
        raw = ops.where(ops.isinf(raw), ops.zeros_like(raw), raw)
        if self.class_aggregation == "uniform_average":
            score = ops.mean(raw)
        elif self.class_aggregation == "variance_weighted_average":
            score = ops.divide(ops.sum(ops.multiply(total, raw)), ops.sum(total))
        else:
            score = raw
        if self.num_regressors == 0:
            return score
        n = self.num_samples.value
        p = float(self.num_regressors)
        denominator = ops.subtract(ops.subtract(n, p), 1.0)
        adjusted = ops.subtract(1.0, divide_no_nan(
            ops.multiply(ops.subtract(1.0, score), ops.subtract(n, 1.0)), denominator))
        # Too few samples for the regressors: the adjustment is undefined, keep plain R2.
        return ops.where(ops.greater(denominator, 0.0), adjusted, score)

    def reset_state(self):
        for v in self.variables:
            v.assign(ops.zeros(v.shape, dtype=v.dtype))

    def get_config(self):
        config = super().get_config()
        config.update({"class_aggregation": self.class_aggregation,
                       "num_regressors": self.num_regressors})
        return config
