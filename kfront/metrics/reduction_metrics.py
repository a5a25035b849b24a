"""Streaming reductions: ``Sum``, ``Mean``, and ``MeanMetricWrapper`` (the mean of a function)."""
from kfront import ops
from kfront.losses.loss import squeeze_or_expand_to_same_rank
from kfront.metrics.metric import Metric


def reduce_to_samplewise_values(values, sample_weight, reduce_fn, dtype):
    """Weights ``values`` and reduces every axis but the first.

    Returns ``(values per sample, sample weights per sample or None)``.
    """
    values = ops.cast(values, dtype)
    if sample_weight is not None:
        sample_weight = ops.convert_to_tensor(sample_weight, dtype=dtype)
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
        weight_ndim = len(ops.shape(sample_weight))
        values_ndim = len(ops.shape(values))
        if values_ndim > weight_ndim:
            values = reduce_fn(values, axis=tuple(range(weight_ndim, values_ndim)))
        sample_weight = _broadcast_like(sample_weight, values)
        values = ops.multiply(values, sample_weight)
        if weight_ndim > 1:
            sample_weight = reduce_fn(sample_weight, axis=tuple(range(1, weight_ndim)))
    values_ndim = len(ops.shape(values))
    if values_ndim > 1:
        values = reduce_fn(values, axis=tuple(range(1, values_ndim)))
    return values, sample_weight


def _broadcast_like(x, target):
    shape = tuple(ops.shape(target))
    if None in shape:  # unknown dims inside a traced graph
        return ops.multiply(x, ops.ones_like(target, dtype=ops.dtype(x)))
    return ops.broadcast_to(x, shape)


def _count(values, dtype):
    shape = ops.shape(values)
    if len(shape) == 0:
        return ops.convert_to_tensor(1.0, dtype=dtype)
    if isinstance(shape[0], int):
        return ops.convert_to_tensor(float(shape[0]), dtype=dtype)
    return ops.sum(ops.ones_like(values, dtype=dtype))


class Sum(Metric):
    """The (weighted) sum of all values seen."""

    def __init__(self, name="sum", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable(shape=(), initializer="zeros", dtype=self.dtype,
                                       name="total")

    def update_state(self, values, sample_weight=None):
        values, _ = reduce_to_samplewise_values(values, sample_weight, ops.sum, self.dtype)
        self.total.assign(ops.add(self.total, ops.sum(values)))

    def result(self):
        return ops.cast(self.total, self.dtype)


class Mean(Metric):
    """The (weighted) mean of all values seen: ``sum(w * x) / sum(w)``.

    Values with more than one axis are first averaged per sample (over all axes but
    the first), so each sample counts once.
    """

    def __init__(self, name="mean", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable(shape=(), initializer="zeros", dtype=self.dtype,
                                       name="total")
        self.count = self.add_variable(shape=(), initializer="zeros", dtype=self.dtype,
                                       name="count")

    def update_state(self, values, sample_weight=None):
        if type(sample_weight) in (int, float):
            values = ops.cast(values, self.dtype)
            if not ops.shape(values):
                # One value weighted by a count (the loss tracker: a batch's loss times its
                # size): five small ops in every step instead of eleven.
                self.total.assign(self.total.value + values * sample_weight)
                self.count.assign(self.count.value + sample_weight)
                return
        values, sample_weight = reduce_to_samplewise_values(values, sample_weight, ops.mean,
                                                            self.dtype)
        self.total.assign(ops.add(self.total, ops.sum(values)))
        if sample_weight is not None:
            num_samples = ops.sum(sample_weight)
        else:
            num_samples = _count(values, self.dtype)
        self.count.assign(ops.add(self.count, ops.cast(num_samples, self.dtype)))

    def result(self):
        # 0 before any weight arrives. Nothing differentiates a metric's result, so the
        # guard of divide_no_nan for the gradient (two more ops in every step) is not needed.
        count = self.count.value
        quotient = ops.divide(self.total.value, count)
        return ops.where(ops.equal(count, 0), ops.zeros_like(quotient), quotient)


def function_name(fn):
    """The registered name of a built-in loss or metric function, else None."""
    from kfront.metrics import FUNCTIONS
    name = getattr(fn, "__name__", None)
    return name if FUNCTIONS.get(name) is fn else None


class MeanMetricWrapper(Mean):
    """The running mean of ``fn(y_true, y_pred, **kwargs)`` over samples.

    >>> m = MeanMetricWrapper(kfront.losses.mean_squared_error, name="mse")
    """

    def __init__(self, fn, name=None, dtype=None, **kwargs):
        super().__init__(name=name or getattr(fn, "__name__", None), dtype=dtype)
        if isinstance(fn, str):
            from kfront.metrics import FUNCTIONS
            if fn not in FUNCTIONS:
                raise ValueError(
                    f"Unknown metric function: {fn!r}. Expected one of: {sorted(FUNCTIONS)}."
                )
            fn = FUNCTIONS[fn]
        if not callable(fn):
            raise ValueError(f"MeanMetricWrapper: `fn` must be callable. Received: fn={fn!r}")
        self._fn = fn
        self._fn_kwargs = kwargs
        from kfront.losses import FUNCTIONS as LOSS_FUNCTIONS
        if getattr(fn, "__name__", None) in LOSS_FUNCTIONS:
            self._direction = "down"

    def update_state(self, y_true, y_pred, sample_weight=None):
        values = self._fn(y_true, y_pred, **self._fn_kwargs)
        return super().update_state(values, sample_weight=sample_weight)

    def get_config(self):
        config = super().get_config()
        config["fn"] = function_name(self._fn) or self._fn
        config.update(self._fn_kwargs)
        return config

    @classmethod
    def from_config(cls, config):
        if cls is MeanMetricWrapper and callable(config.get("fn")):
            from kfront.saving.serialization import check_declared_arguments
            extra = {k: v for k, v in config.items() if k not in ("fn", "name", "dtype")}
            check_declared_arguments(config["fn"], extra, "MeanMetricWrapper")
        return cls(**config)


class BuiltinMeanMetric(MeanMetricWrapper):
    """A built-in mean-of-function metric whose config is its constructor arguments."""

    _config_keys = ()

    def get_config(self):
        config = {"name": self.name, "dtype": self.dtype}
        config.update({k: getattr(self, k) for k in self._config_keys})
        return config


class LossMeanMetric(BuiltinMeanMetric):
    """The running mean of a built-in loss function; keyword arguments become attributes."""

    def __init__(self, fn, name, dtype, **kwargs):
        super().__init__(fn, name=name, dtype=dtype, **kwargs)
        self._direction = "down"
        for key, value in kwargs.items():
            setattr(self, key, value)
