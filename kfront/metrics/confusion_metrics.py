"""Thresholded confusion-matrix metrics: counts, precision, recall, and rates at a target.

State is one vector of weighted counts per threshold; ``result()`` reads a scalar when a
single threshold was given.
"""
from kfront import ops
from kfront.losses.loss import divide_no_nan
from kfront.metrics.metric import Metric
from kfront.metrics.metrics_utils import (
    NEG_INF, check_fraction, confusion_counts, parse_thresholds, thresholds_for_config,
)


class _ConfusionCount(Metric):
    """The weighted count of one confusion-matrix cell at each threshold."""

    _cell = None

    def __init__(self, thresholds=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.thresholds = parse_thresholds(thresholds, default=0.5)
        self.init_thresholds = thresholds_for_config(thresholds)
        self.accumulator = self.add_variable(shape=(len(self.thresholds),),
                                             initializer="zeros", name="accumulator")

    def update_state(self, y_true, y_pred, sample_weight=None):
        counts = confusion_counts(y_true, y_pred, self.thresholds, sample_weight,
                                  dtype=self.dtype, metric_name=type(self).__name__)
        self.accumulator.assign(ops.add(self.accumulator.value, counts[self._cell]))

    def result(self):
        value = self.accumulator.value
        return value[0] if len(self.thresholds) == 1 else value

    def get_config(self):
        config = super().get_config()
        config["thresholds"] = self.init_thresholds
        return config


class TruePositives(_ConfusionCount):
    """Weighted count of positive labels predicted above the threshold(s)."""
    _cell = "tp"


class FalsePositives(_ConfusionCount):
    """Weighted count of negative labels predicted above the threshold(s)."""
    _cell = "fp"


class TrueNegatives(_ConfusionCount):
    """Weighted count of negative labels predicted at or below the threshold(s)."""
    _cell = "tn"


class FalseNegatives(_ConfusionCount):
    """Weighted count of positive labels predicted at or below the threshold(s)."""
    _cell = "fn"


class _PrecisionRecall(Metric):
    """Shared state of ``Precision`` and ``Recall``: tp and one error count per threshold.

    Args:
        thresholds: a float or list of floats in ``[0, 1]``; a prediction above it is
            positive. Defaults to 0.5, or to "any of the top k" when ``top_k`` is set.
        top_k: only the ``top_k`` highest predictions of each sample can be positive.
        class_id: compute the metric for this one class of a ``(N, classes)`` input.
    """

    _error_cell = None

    def __init__(self, thresholds=None, top_k=None, class_id=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        self.top_k = top_k
        self.class_id = class_id
        self.thresholds = parse_thresholds(thresholds, default=NEG_INF if top_k else 0.5)
        self.init_thresholds = thresholds_for_config(thresholds)
        n = len(self.thresholds)
        self.true_positives = self.add_variable((n,), "zeros", name="true_positives")
        error_name = "false_positives" if self._error_cell == "fp" else "false_negatives"
        self._errors = self.add_variable((n,), "zeros", name=error_name)
        object.__setattr__(self, error_name, self._errors)

    def update_state(self, y_true, y_pred, sample_weight=None):
        counts = confusion_counts(y_true, y_pred, self.thresholds, sample_weight,
                                  top_k=self.top_k, class_id=self.class_id, dtype=self.dtype,
                                  metric_name=type(self).__name__)
        self.true_positives.assign(ops.add(self.true_positives.value, counts["tp"]))
        self._errors.assign(ops.add(self._errors.value, counts[self._error_cell]))

    def result(self):
        tp = self.true_positives.value
        value = divide_no_nan(tp, ops.add(tp, self._errors.value))
        return value[0] if len(self.thresholds) == 1 else value

    def get_config(self):
        config = super().get_config()
        config.update({"thresholds": self.init_thresholds, "top_k": self.top_k,
                       "class_id": self.class_id})
        return config


class Precision(_PrecisionRecall):
    """``tp / (tp + fp)``: how many predicted positives are real positives."""
    _error_cell = "fp"


class Recall(_PrecisionRecall):
    """``tp / (tp + fn)``: how many real positives are predicted positive."""
    _error_cell = "fn"


class _RateAtTarget(Metric):
    """Best value of one rate among the thresholds where another rate reaches a target.

    Thresholds are ``num_thresholds`` evenly spaced points covering ``[0, 1]``.
    """

    _target_name = None

    def __init__(self, value, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        self.value = check_fraction(self._target_name, value)
        if isinstance(num_thresholds, bool) or not isinstance(num_thresholds, int) \
                or num_thresholds <= 0:
            raise ValueError("Argument `num_thresholds` must be an integer > 0. Received: "
                             f"num_thresholds={num_thresholds!r}")
        self.num_thresholds = num_thresholds
        self.class_id = class_id
        if num_thresholds == 1:
            self.thresholds = [0.5]
        else:
            inner = [(i + 1) / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            self.thresholds = [0.0] + inner + [1.0]
        for cell in ("true_positives", "false_positives", "true_negatives", "false_negatives"):
            setattr(self, cell, self.add_variable((num_thresholds,), "zeros", name=cell))

    def update_state(self, y_true, y_pred, sample_weight=None):
        counts = confusion_counts(y_true, y_pred, self.thresholds, sample_weight,
                                  class_id=self.class_id, dtype=self.dtype,
                                  metric_name=type(self).__name__)
        for cell, key in (("true_positives", "tp"), ("false_positives", "fp"),
                          ("true_negatives", "tn"), ("false_negatives", "fn")):
            variable = getattr(self, cell)
            variable.assign(ops.add(variable.value, counts[key]))

    def _rates(self):
        tp, fp = self.true_positives.value, self.false_positives.value
        tn, fn = self.true_negatives.value, self.false_negatives.value
        return {"sensitivity": divide_no_nan(tp, ops.add(tp, fn)),
                "specificity": divide_no_nan(tn, ops.add(tn, fp)),
                "precision": divide_no_nan(tp, ops.add(tp, fp))}

    def _best(self, wanted, constrained):
        rates = self._rates()
        feasible = ops.greater_equal(rates[constrained], self.value)
        # Rates are >= 0, so 0 doubles as "no threshold reaches the target".
        return ops.max(ops.where(feasible, rates[wanted], ops.zeros_like(rates[wanted])))

    def get_config(self):
        config = super().get_config()
        config.update({self._target_name: self.value, "num_thresholds": self.num_thresholds,
                       "class_id": self.class_id})
        return config


class SensitivityAtSpecificity(_RateAtTarget):
    """The best sensitivity (recall) among thresholds with specificity >= ``specificity``."""

    _target_name = "specificity"

    def __init__(self, specificity, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(specificity, num_thresholds, class_id, name=name, dtype=dtype)

    def result(self):
        return self._best("sensitivity", "specificity")


class SpecificityAtSensitivity(_RateAtTarget):
    """The best specificity among thresholds with sensitivity >= ``sensitivity``."""

    _target_name = "sensitivity"

    def __init__(self, sensitivity, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(sensitivity, num_thresholds, class_id, name=name, dtype=dtype)

    def result(self):
        return self._best("specificity", "sensitivity")


class PrecisionAtRecall(_RateAtTarget):
    """The best precision among thresholds with recall >= ``recall``."""

    _target_name = "recall"

    def __init__(self, recall, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(recall, num_thresholds, class_id, name=name, dtype=dtype)

    def result(self):
        return self._best("precision", "sensitivity")


class RecallAtPrecision(_RateAtTarget):
    """The best recall among thresholds with precision >= ``precision``."""

    _target_name = "precision"

    def __init__(self, precision, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(precision, num_thresholds, class_id, name=name, dtype=dtype)

    def result(self):
        return self._best("sensitivity", "precision")
