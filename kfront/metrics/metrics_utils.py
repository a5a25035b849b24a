"""Shared pieces of the classification metrics: input alignment, thresholds, confusion counts.

Everything here runs inside compiled steps, so it uses ``kfront.ops`` only and compares
all thresholds at once (a ``(thresholds, values)`` grid) instead of looping over them.
"""
import numbers

from kfront import ops
from kfront.losses.loss import squeeze_or_expand_to_same_rank

# Stands for "not among the top k": below any threshold a user may pick.
NEG_INF = -1e10


def _static_shape(x):
    shape = ops.shape(x)
    return None if shape is None else tuple(shape)


def align_inputs(metric_name, y_true, y_pred, dtype, true_dtype=None):
    """Converts and rank-aligns ``y_true``/``y_pred``; refuses shapes that cannot pair up.

    Shapes that differ only by a trailing 1 are aligned (as in Keras); any other static
    mismatch is a ``ValueError`` naming the metric and both shapes.
    """
    y_pred = ops.convert_to_tensor(y_pred, dtype=dtype)
    y_true = ops.convert_to_tensor(y_true, dtype=true_dtype or dtype)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    s_true, s_pred = _static_shape(y_true), _static_shape(y_pred)
    if s_true is not None and s_pred is not None:
        mismatch = len(s_true) != len(s_pred) or any(
            a is not None and b is not None and a != b for a, b in zip(s_true, s_pred))
        if mismatch:
            raise ValueError(
                f"{metric_name}: `y_true` and `y_pred` must have the same shape. Received: "
                f"y_true.shape={s_true}, y_pred.shape={s_pred}"
            )
    return y_true, y_pred


def sample_weight_like(sample_weight, y_true, y_pred, dtype):
    """``sample_weight`` (scalar, per sample, or per element) broadcast to ``y_pred``'s shape.

    A per-sample weight of shape ``(N,)`` applies to every entry of that sample's row.
    """
    ones = ops.ones_like(y_pred, dtype=dtype)
    if sample_weight is None:
        return ones
    sample_weight = ops.convert_to_tensor(sample_weight, dtype=dtype)
    if len(ops.shape(sample_weight)) > 0:
        sample_weight = ops.expand_dims(sample_weight, -1)
        _, sample_weight = squeeze_or_expand_to_same_rank(y_true, sample_weight,
                                                          expand_rank_1=False)
    return ops.multiply(sample_weight, ones)


def parse_thresholds(thresholds, default=0.5):
    """A list of thresholds from ``None`` (``[default]``), a float, or a list of floats.

    Raises ``ValueError`` for values outside ``[0, 1]``.
    """
    if thresholds is None:
        return [default]
    try:
        values = [thresholds] if isinstance(thresholds, numbers.Real) else list(thresholds)
    except TypeError:
        values = [thresholds]
    invalid = [t for t in values if isinstance(t, bool) or not isinstance(t, numbers.Real)
               or not 0.0 <= t <= 1.0]
    if invalid or not values:
        raise ValueError(
            f"Threshold values must be in [0, 1]. Received: thresholds={thresholds!r}"
        )
    return [float(t) for t in values]


def thresholds_for_config(thresholds):
    """The user's ``thresholds`` as plain Python floats (arrays become lists), for configs."""
    if thresholds is None:
        return None
    if isinstance(thresholds, numbers.Real):
        return float(thresholds)
    return [float(t) for t in thresholds]


def check_fraction(name, value):
    """Refuses a target rate (recall, precision, ...) outside ``[0, 1]``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 <= value <= 1:
        raise ValueError(f"Argument `{name}` must be in the range [0, 1]. Received: "
                         f"{name}={value!r}")
    return value


def filter_top_k(x, k):
    """Keeps the ``k`` largest entries of the last axis; the others become ``NEG_INF``."""
    _, indices = ops.top_k(x, k, sorted=False)
    mask = ops.sum(ops.one_hot(indices, ops.shape(x)[-1], dtype=ops.dtype(x)), axis=-2)
    return ops.add(ops.multiply(x, mask), ops.multiply(NEG_INF, ops.subtract(1.0, mask)))


def confusion_counts(y_true, y_pred, thresholds, sample_weight=None, multi_label=False,
                     label_weights=None, top_k=None, class_id=None, dtype="float32",
                     metric_name="metric"):
    """Weighted true/false positive/negative counts at each threshold.

    A prediction is positive at threshold ``t`` when ``y_pred > t``; any non-zero label is
    positive. Returns ``{"tp", "fp", "tn", "fn"}``, each of shape ``(len(thresholds),)``,
    or ``(len(thresholds), num_labels)`` with ``multi_label``.
    """
    y_true, y_pred = align_inputs(metric_name, y_true, y_pred, dtype)
    weights = sample_weight_like(sample_weight, y_true, y_pred, dtype)
    if top_k is not None:
        y_pred = filter_top_k(y_pred, top_k)
    if class_id is not None:
        if len(ops.shape(y_pred)) < 2:
            raise ValueError(
                f"{metric_name}: when `class_id` is given, `y_pred` must have shape "
                f"(num_samples, num_classes). Received: y_pred.shape={_static_shape(y_pred)}"
            )
        y_true = y_true[..., class_id]
        y_pred = y_pred[..., class_id]
        weights = weights[..., class_id]
    labels = ops.cast(ops.not_equal(y_true, 0), dtype)
    if label_weights is not None and not multi_label:
        weights = ops.multiply(weights, ops.convert_to_tensor(label_weights, dtype=dtype))
    thresholds = ops.convert_to_tensor(thresholds, dtype=dtype)
    if multi_label:
        if len(ops.shape(y_pred)) != 2:
            raise ValueError(
                f"{metric_name}: `y_pred` must have rank 2 when `multi_label=True`. "
                f"Received: y_pred.shape={_static_shape(y_pred)}"
            )
        grid = ops.greater(ops.expand_dims(y_pred, 0), ops.reshape(thresholds, (-1, 1, 1)))
    else:
        y_pred, labels, weights = (ops.reshape(t, (-1,)) for t in (y_pred, labels, weights))
        grid = ops.greater(ops.expand_dims(y_pred, 0), ops.reshape(thresholds, (-1, 1)))
    predicted = ops.cast(grid, dtype)
    not_predicted = ops.subtract(1.0, predicted)
    positives = ops.expand_dims(ops.multiply(labels, weights), 0)
    negatives = ops.expand_dims(ops.multiply(ops.subtract(1.0, labels), weights), 0)

    def count(pred, label):
        return ops.sum(ops.multiply(pred, label), axis=1)

    return {"tp": count(predicted, positives), "fp": count(predicted, negatives),
            "tn": count(not_predicted, negatives), "fn": count(not_predicted, positives)}
