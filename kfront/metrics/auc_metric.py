"""``AUC``: area under the ROC or precision-recall curve, from thresholded counts."""
from kfront import config
from kfront import ops
from kfront.losses.loss import divide_no_nan
from kfront.metrics.metric import Metric
from kfront.metrics.metrics_utils import confusion_counts, parse_thresholds

CURVES = ("ROC", "PR")
SUMMATION_METHODS = ("interpolation", "minoring", "majoring")
_CELLS = (("true_positives", "tp"), ("false_positives", "fp"), ("true_negatives", "tn"),
          ("false_negatives", "fn"))


def _choice(argument, value, choices):
    text = getattr(value, "value", value)  # enum members pass their value
    if not isinstance(text, str) or text.lower() not in [c.lower() for c in choices]:
        raise ValueError(f"Invalid `{argument}` argument value {value!r}. Expected one of: "
                         f"{list(choices)}")
    return next(c for c in choices if c.lower() == text.lower())


class AUC(Metric):
    """Approximates the area under the ROC or PR curve with a Riemann sum over thresholds.

    Args:
        num_thresholds: how many thresholds (> 1) split ``[0, 1]``; more is closer to the
            exact area. Ignored when ``thresholds`` is given.
        curve: "ROC" (true vs false positive rate) or "PR" (precision vs recall).
        summation_method: "interpolation" (trapezoids; Davis & Goadrich interpolation for
            PR), "minoring" (lower sum) or "majoring" (upper sum).
        thresholds: explicit thresholds in ``[0, 1]``; ``-epsilon`` and ``1 + epsilon`` are
            added so that every prediction falls inside.
        multi_label: one curve per label (columns of a ``(N, labels)`` input), averaged;
            otherwise all entries form one curve.
        num_labels: the number of labels with ``multi_label``, to create state up front.
        label_weights: per-label weights (average weights with ``multi_label``, entry
            weights otherwise).
        from_logits: apply a sigmoid to predictions first.
    """

    def __init__(self, num_thresholds=200, curve="ROC", summation_method="interpolation",
                 name=None, dtype=None, thresholds=None, multi_label=False, num_labels=None,
                 label_weights=None, from_logits=False):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        self.curve = _choice("curve", curve, CURVES)
        self.summation_method = _choice("summation_method", summation_method,
                                        SUMMATION_METHODS)
        self._init_from_thresholds = thresholds is not None
        if thresholds is not None:
            inner = sorted(parse_thresholds(thresholds))
            self.num_thresholds = len(inner) + 2
        else:
            if isinstance(num_thresholds, bool) or not isinstance(num_thresholds, int) \
                    or num_thresholds <= 1:
                raise ValueError("Argument `num_thresholds` must be an integer > 1. "
                                 f"Received: num_thresholds={num_thresholds!r}")
            self.num_thresholds = num_thresholds
            inner = [(i + 1) / (num_thresholds - 1) for i in range(num_thresholds - 2)]
        eps = config.epsilon()
        self._thresholds = [0.0 - eps] + inner + [1.0 + eps]
        self.multi_label = multi_label
        self.num_labels = num_labels
        self.label_weights = None if label_weights is None else \
            ops.convert_to_tensor(label_weights, dtype=self.dtype)
        self._label_weights_list = None if label_weights is None else \
            [float(w) for w in ops.convert_to_numpy(self.label_weights)]
        self._from_logits = from_logits
        self.built = False
        if multi_label:
            if num_labels:
                self.build(None, (None, num_labels))
        else:
            if num_labels:
                raise ValueError("`num_labels` is needed only when `multi_label` is True.")
            self.build(None, None)

    @property
    def thresholds(self):
        return list(self._thresholds)

    def build(self, y_true_shape, y_pred_shape):
        """Creates the per-threshold counts (per label with ``multi_label``)."""
        if self.built:
            return
        if self.multi_label:
            if y_pred_shape is None or len(y_pred_shape) != 2 or y_pred_shape[1] is None:
                raise ValueError(
                    "AUC: `y_pred` must have rank 2 with a known number of labels when "
                    f"`multi_label=True`. Received: y_pred.shape={y_pred_shape}"
                )
            self._num_labels = int(y_pred_shape[1])
            shape = (self.num_thresholds, self._num_labels)
        else:
            shape = (self.num_thresholds,)
        for cell, _ in _CELLS:
            setattr(self, cell, self.add_variable(shape, "zeros", name=cell))
        self.built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        if not self.built:
            self.build(None, tuple(ops.shape(y_pred)))
        y_pred = ops.convert_to_tensor(y_pred, dtype=self.dtype)
        if self._from_logits:
            y_pred = ops.sigmoid(y_pred)
        counts = confusion_counts(
            y_true, y_pred, self._thresholds, sample_weight, multi_label=self.multi_label,
            label_weights=None if self.multi_label else self.label_weights, dtype=self.dtype,
            metric_name="AUC")
        for cell, key in _CELLS:
            variable = getattr(self, cell)
            variable.assign(ops.add(variable.value, counts[key]))

    def _average_labels(self, per_threshold_terms):
        if not self.multi_label:
            return ops.sum(per_threshold_terms)
        by_label = ops.sum(per_threshold_terms, axis=0)
        if self.label_weights is None:
            return ops.mean(by_label)
        return divide_no_nan(ops.sum(ops.multiply(by_label, self.label_weights)),
                             ops.sum(self.label_weights))

    def _interpolate_pr_auc(self, tp, fp, fn):
        # Precision varies along each segment as TP and TP+FP change linearly: the area
        # of a segment has a closed form (Davis & Goadrich 2006, section 4).
        dtp = ops.subtract(tp[:-1], tp[1:])
        p = ops.add(tp, fp)
        dp = ops.subtract(p[:-1], p[1:])
        slope = divide_no_nan(dtp, ops.maximum(dp, 0.0))
        intercept = ops.subtract(tp[1:], ops.multiply(slope, p[1:]))
        both_positive = ops.logical_and(ops.greater(p[:-1], 0), ops.greater(p[1:], 0))
        ratio = ops.where(both_positive, divide_no_nan(p[:-1], ops.maximum(p[1:], 0.0)),
                          ops.ones_like(p[1:]))
        area = ops.multiply(slope, ops.add(dtp, ops.multiply(intercept, ops.log(ratio))))
        return divide_no_nan(area, ops.maximum(ops.add(tp[1:], fn[1:]), 0.0))

    def result(self):
        if not self.built:
            return ops.convert_to_tensor(0.0, dtype=self.dtype)
        tp, fp = self.true_positives.value, self.false_positives.value
        tn, fn = self.true_negatives.value, self.false_negatives.value
        if self.curve == "PR" and self.summation_method == "interpolation":
            return self._average_labels(self._interpolate_pr_auc(tp, fp, fn))
        recall = divide_no_nan(tp, ops.add(tp, fn))
        if self.curve == "ROC":
            x, y = divide_no_nan(fp, ops.add(fp, tn)), recall
        else:
            x, y = recall, divide_no_nan(tp, ops.add(tp, fp))
        if self.summation_method == "interpolation":
            heights = ops.divide(ops.add(y[:-1], y[1:]), 2.0)
        elif self.summation_method == "minoring":
            heights = ops.minimum(y[:-1], y[1:])
        else:
            heights = ops.maximum(y[:-1], y[1:])
        return self._average_labels(ops.multiply(ops.subtract(x[:-1], x[1:]), heights))

    def reset_state(self):
        if self.built:
            super().reset_state()

    def get_config(self):
        config_ = super().get_config()
        config_.update({"num_thresholds": self.num_thresholds, "curve": self.curve,
                        "summation_method": self.summation_method,
                        "multi_label": self.multi_label, "num_labels": self.num_labels,
                        "label_weights": self._label_weights_list,
                        "from_logits": self._from_logits})
        if self._init_from_thresholds:
            # The stored thresholds include the two end points added around the user's.
            config_["thresholds"] = self.thresholds[1:-1]
        return config_
