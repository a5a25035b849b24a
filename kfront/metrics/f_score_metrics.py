"""``FBetaScore`` and ``F1Score``: per-class or averaged F-scores from streaming counts."""
from kfront import config
from kfront import ops
from kfront.metrics.metric import Metric
from kfront.metrics.metrics_utils import align_inputs, sample_weight_like

AVERAGES = (None, "micro", "macro", "weighted")


class FBetaScore(Metric):
    """``(1 + beta^2) * precision * recall / (beta^2 * precision + recall)``.

    Works on ``(batch, classes)`` inputs, multi-class or multi-label.

    Args:
        average: None (one score per class), "micro" (from counts pooled over classes),
            "macro" (mean of class scores) or "weighted" (class scores weighted by the
            (sample-weighted) number of true instances).
        beta: weight of recall relative to precision (a float > 0).
        threshold: predictions above it are positive; ``None`` marks the largest
            prediction of each row as the positive one.
    """

    def __init__(self, average=None, beta=1.0, threshold=None, name="fbeta_score",
                 dtype=None):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        if average not in AVERAGES:
            raise ValueError("Invalid `average` argument value. Expected one of: "
                             f"{{None, 'micro', 'macro', 'weighted'}}. Received: "
                             f"average={average!r}")
        if not isinstance(beta, float) or isinstance(beta, bool):
            raise ValueError("Invalid `beta` argument value. It should be a Python float. "
                             f"Received: beta={beta!r} of type '{type(beta)}'")
        if beta <= 0.0:
            raise ValueError(f"Invalid `beta` argument value. It should be > 0. Received: "
                             f"beta={beta}")
        if threshold is not None:
            if not isinstance(threshold, float) or isinstance(threshold, bool):
                raise ValueError("Invalid `threshold` argument value. It should be a Python "
                                 f"float. Received: threshold={threshold!r} of type "
                                 f"'{type(threshold)}'")
            if not 0.0 < threshold <= 1.0:
                raise ValueError("Invalid `threshold` argument value. It should verify "
                                 f"0 < threshold <= 1. Received: threshold={threshold}")
        self.average = average
        self.beta = beta
        self.threshold = threshold
        # Micro averaging pools the counts of every class into scalars.
        self.axis = None if average == "micro" else 0
        self.built = False

    def build(self, y_true_shape, y_pred_shape):
        """Creates the count variables for ``y_pred_shape[-1]`` classes."""
        if self.built:
            return
        y_true_shape = tuple(y_true_shape) if y_true_shape is not None else None
        y_pred_shape = tuple(y_pred_shape)
        if len(y_pred_shape) != 2 or (y_true_shape is not None and len(y_true_shape) != 2) \
                or y_pred_shape[-1] is None:
            raise ValueError(
                f"{type(self).__name__} expects 2D inputs with shape (batch_size, output_dim) "
                f"and a known output_dim. Received input shapes: y_pred.shape={y_pred_shape} "
                f"and y_true.shape={y_true_shape}."
            )
        shape = () if self.average == "micro" else (y_pred_shape[-1],)
        for name in ("true_positives", "false_positives", "false_negatives",
                     "intermediate_weights"):
            setattr(self, name, self.add_variable(shape, "zeros", name=name))
        self.built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = ops.convert_to_tensor(y_pred, dtype=self.dtype)
        y_true = ops.convert_to_tensor(y_true, dtype=self.dtype)
        if not self.built:
            self.build(ops.shape(y_true), ops.shape(y_pred))
        y_true, y_pred = align_inputs(type(self).__name__, y_true, y_pred, self.dtype)
        if self.threshold is None:
            row_max = ops.max(y_pred, axis=-1, keepdims=True)
            predicted = ops.logical_and(ops.greater_equal(y_pred, row_max),
                                        ops.greater(ops.abs(y_pred), 1e-9))
        else:
            predicted = ops.greater(y_pred, self.threshold)
        predicted = ops.cast(predicted, self.dtype)
        weights = sample_weight_like(sample_weight, y_true, y_pred, self.dtype)

        def add(variable, values):
            variable.assign(ops.add(variable.value,
                                    ops.sum(ops.multiply(values, weights), axis=self.axis)))

        add(self.true_positives, ops.multiply(predicted, y_true))
        add(self.false_positives, ops.multiply(predicted, ops.subtract(1.0, y_true)))
        add(self.false_negatives, ops.multiply(ops.subtract(1.0, predicted), y_true))
        add(self.intermediate_weights, y_true)

    def result(self):
        if not self.built:
            return ops.convert_to_tensor(0.0, dtype=self.dtype)
        eps = config.epsilon()
        tp = self.true_positives.value
        precision = ops.divide(tp, ops.add(ops.add(tp, self.false_positives.value), eps))
        recall = ops.divide(tp, ops.add(ops.add(tp, self.false_negatives.value), eps))
        beta2 = self.beta ** 2
        score = ops.multiply(
            ops.divide(ops.multiply(precision, recall),
                       ops.add(ops.add(ops.multiply(beta2, precision), recall), eps)),
            1.0 + beta2)
        if self.average == "weighted":
            support = self.intermediate_weights.value
            return ops.sum(ops.multiply(score, ops.divide(support,
                                                          ops.add(ops.sum(support), eps))))
        if self.average is not None:
            return ops.mean(score)
        return score

    def reset_state(self):
        if self.built:
            super().reset_state()

    def get_config(self):
        config_ = super().get_config()
        config_.update({"average": self.average, "beta": self.beta,
                        "threshold": self.threshold})
        return config_


class F1Score(FBetaScore):
    """The harmonic mean of precision and recall (``FBetaScore`` with ``beta=1``)."""

    def __init__(self, average=None, threshold=None, name="f1_score", dtype=None):
        super().__init__(average=average, beta=1.0, threshold=threshold, name=name,
                         dtype=dtype)

    def get_config(self):
        config_ = super().get_config()
        del config_["beta"]
        return config_
