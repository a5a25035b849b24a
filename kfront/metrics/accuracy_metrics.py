"""Accuracy metrics: per-sample 0/1 match functions and their running means."""
from kfront import config
from kfront import ops
from kfront.losses.loss import squeeze_or_expand_to_same_rank
from kfront.metrics.reduction_metrics import BuiltinMeanMetric


def accuracy(y_true, y_pred):
    """1.0 where ``y_true == y_pred`` exactly, else 0.0."""
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, dtype=ops.dtype(y_pred))
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    return ops.cast(ops.equal(y_true, y_pred), config.floatx())


def binary_accuracy(y_true, y_pred, threshold=0.5):
    """1.0 where ``y_pred > threshold`` agrees with the 0/1 target, else 0.0."""
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    y_pred = ops.cast(ops.greater(y_pred, threshold), ops.dtype(y_true))
    return ops.cast(ops.equal(y_true, y_pred), config.floatx())


def categorical_accuracy(y_true, y_pred):
    """1.0 where the arg-max of one-hot ``y_true`` equals the arg-max of ``y_pred``."""
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true)
    true_ids = ops.argmax(y_true, axis=-1)
    if len(ops.shape(true_ids)) == len(ops.shape(y_pred)) and ops.shape(true_ids)[-1] == 1:
        true_ids = ops.squeeze(true_ids, -1)
    pred_ids = ops.argmax(y_pred, axis=-1)
    return ops.cast(ops.equal(ops.cast(true_ids, "int32"), ops.cast(pred_ids, "int32")),
                    config.floatx())


def sparse_categorical_accuracy(y_true, y_pred):
    """1.0 where the integer ``y_true`` equals the arg-max of ``y_pred``.

    ``y_true`` may keep a trailing dimension of 1.
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true)
    true_shape = ops.shape(y_true)
    if len(true_shape) == len(ops.shape(y_pred)) and true_shape[-1] == 1:
        y_true = ops.squeeze(y_true, -1)
    pred_ids = ops.argmax(y_pred, axis=-1)
    # Float labels (e.g. 3.0) compare by value with the integer arg-max.
    matches = ops.equal(y_true, ops.cast(pred_ids, ops.dtype(y_true)))
    return ops.cast(matches, config.floatx())


def _top_k_matches(targets, y_pred, k):
    pred_shape = ops.shape(y_pred)
    target_shape = ops.shape(targets)
    if len(pred_shape) > 2:
        y_pred = ops.reshape(y_pred, (-1, pred_shape[-1]))
    if len(target_shape) > 1:
        targets = ops.reshape(targets, (-1,))
    matches = ops.cast(ops.in_top_k(ops.cast(targets, "int32"), y_pred, k), config.floatx())
    if len(target_shape) > 1:
        matches = ops.reshape(matches, target_shape)
    return matches


def top_k_categorical_accuracy(y_true, y_pred, k=5):
    """1.0 where the arg-max of one-hot ``y_true`` is among the ``k`` largest of ``y_pred``."""
    y_pred = ops.convert_to_tensor(y_pred)
    return _top_k_matches(ops.argmax(ops.convert_to_tensor(y_true), axis=-1), y_pred, k)


def sparse_top_k_categorical_accuracy(y_true, y_pred, k=5, from_sorted_ids=False):
    """1.0 where the integer ``y_true`` is among the ``k`` largest entries of ``y_pred``.

    With ``from_sorted_ids=True``, ``y_pred`` already holds class ids, best first.
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true)
    if not from_sorted_ids:
        return _top_k_matches(y_true, y_pred, k)
    target_shape = ops.shape(y_true)
    targets = ops.reshape(ops.cast(y_true, ops.dtype(y_pred)), (-1, 1))
    ids = ops.reshape(y_pred, (-1, ops.shape(y_pred)[-1]))[:, :k]
    matches = ops.cast(ops.any(ops.equal(targets, ids), axis=1), config.floatx())
    return ops.reshape(matches, target_shape) if len(target_shape) > 1 else matches


class Accuracy(BuiltinMeanMetric):
    """How often predictions equal labels exactly."""

    def __init__(self, name="accuracy", dtype=None):
        super().__init__(accuracy, name=name, dtype=dtype)
        self._direction = "up"


class BinaryAccuracy(BuiltinMeanMetric):
    """How often ``y_pred > threshold`` matches 0/1 labels."""

    _config_keys = ("threshold",)

    def __init__(self, name="binary_accuracy", dtype=None, threshold=0.5):
        super().__init__(binary_accuracy, name=name, dtype=dtype, threshold=threshold)
        self.threshold = threshold
        self._direction = "up"


class CategoricalAccuracy(BuiltinMeanMetric):
    """How often the predicted class (arg-max) matches one-hot labels."""

    def __init__(self, name="categorical_accuracy", dtype=None):
        super().__init__(categorical_accuracy, name=name, dtype=dtype)
        self._direction = "up"


class SparseCategoricalAccuracy(BuiltinMeanMetric):
    """How often the predicted class (arg-max) matches integer labels."""

    def __init__(self, name="sparse_categorical_accuracy", dtype=None):
        super().__init__(sparse_categorical_accuracy, name=name, dtype=dtype)
        self._direction = "up"


class TopKCategoricalAccuracy(BuiltinMeanMetric):
    """How often the one-hot label is among the ``k`` highest predictions."""

    _config_keys = ("k",)

    def __init__(self, k=5, name="top_k_categorical_accuracy", dtype=None):
        super().__init__(top_k_categorical_accuracy, name=name, dtype=dtype, k=k)
        self.k = k
        self._direction = "up"


class SparseTopKCategoricalAccuracy(BuiltinMeanMetric):
    """How often the integer label is among the ``k`` highest predictions."""

    _config_keys = ("k",)

    def __init__(self, k=5, name="sparse_top_k_categorical_accuracy", dtype=None,
                 from_sorted_ids=False):
        super().__init__(sparse_top_k_categorical_accuracy, name=name, dtype=dtype, k=k,
                         from_sorted_ids=from_sorted_ids)
        self.k = k
        self.from_sorted_ids = from_sorted_ids
        self._direction = "up"

    def get_config(self):
        config_ = super().get_config()
        if self.from_sorted_ids:
            config_["from_sorted_ids"] = True
        return config_
