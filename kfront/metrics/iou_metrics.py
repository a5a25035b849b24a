"""Intersection-over-union metrics from a streaming confusion matrix."""
from kfront import ops
from kfront.losses.loss import divide_no_nan
from kfront.metrics.metric import Metric


def confusion_matrix(labels, predictions, num_classes, weights, dtype):
    """``(num_classes, num_classes)`` weighted counts; rows are labels, columns predictions."""
    rows = ops.one_hot(labels, num_classes, dtype=dtype)
    columns = ops.multiply(ops.one_hot(predictions, num_classes, dtype=dtype),
                           ops.expand_dims(weights, -1))
    return ops.matmul(ops.transpose(rows), columns)


class _IoUBase(Metric):
    """Accumulates a confusion matrix over class ids (or one-hot / score vectors).

    Entries whose label or prediction falls outside ``[0, num_classes)``, and entries
    labelled ``ignore_class``, are left out.
    """

    def __init__(self, num_classes, name=None, dtype=None, ignore_class=None,
                 sparse_y_true=True, sparse_y_pred=True, axis=-1):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        if isinstance(num_classes, bool) or not isinstance(num_classes, int) or num_classes < 1:
            raise ValueError("Argument `num_classes` must be a positive integer. Received: "
                             f"num_classes={num_classes!r}")
        self.num_classes = num_classes
        self.ignore_class = ignore_class
        self.sparse_y_true = sparse_y_true
        self.sparse_y_pred = sparse_y_pred
        self.axis = axis
        self.total_cm = self.add_variable((num_classes, num_classes), "zeros",
                                          name="total_confusion_matrix")

    def _class_ids(self, y_true, y_pred):
        if not self.sparse_y_true:
            y_true = ops.argmax(y_true, axis=self.axis)
        if not self.sparse_y_pred:
            y_pred = ops.argmax(y_pred, axis=self.axis)
        return y_true, y_pred

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true, y_pred = self._class_ids(ops.convert_to_tensor(y_true),
                                         ops.convert_to_tensor(y_pred))
        y_true = ops.reshape(ops.cast(y_true, "int32"), (-1,))
        y_pred = ops.reshape(ops.cast(y_pred, "int32"), (-1,))
        n_true, n_pred = ops.shape(y_true)[0], ops.shape(y_pred)[0]
        if isinstance(n_true, int) and isinstance(n_pred, int) and n_true != n_pred:
            raise ValueError(
                f"{type(self).__name__}: `y_true` and `y_pred` must hold the same number of "
                f"class ids. Received {n_true} and {n_pred}."
            )
        if sample_weight is None:
            weights = ops.ones_like(y_true, dtype=self.dtype)
        else:
            weights = ops.reshape(ops.convert_to_tensor(sample_weight, dtype=self.dtype), (-1,))
            weights = ops.multiply(weights, ops.ones_like(y_true, dtype=self.dtype))
        valid = ops.logical_and(
            ops.logical_and(ops.greater_equal(y_true, 0), ops.less(y_true, self.num_classes)),
            ops.logical_and(ops.greater_equal(y_pred, 0), ops.less(y_pred, self.num_classes)))
        if self.ignore_class is not None:
            valid = ops.logical_and(valid, ops.not_equal(y_true, self.ignore_class))
        zeros = ops.zeros_like(y_true)
        y_true = ops.where(valid, y_true, zeros)
        y_pred = ops.where(valid, y_pred, zeros)
        weights = ops.where(valid, weights, ops.zeros_like(weights))
        batch_cm = confusion_matrix(y_true, y_pred, self.num_classes, weights, self.dtype)
        self.total_cm.assign(ops.add(self.total_cm.value, batch_cm))

    def _iou_per_class(self):
        cm = self.total_cm.value
        predicted = ops.sum(cm, axis=0)
        actual = ops.sum(cm, axis=1)
        true_positives = ops.sum(ops.multiply(cm, ops.eye(self.num_classes, dtype=self.dtype)),
                                 axis=0)
        union = ops.subtract(ops.add(predicted, actual), true_positives)
        return true_positives, union

    def get_config(self):
        config = super().get_config()
        config.update({"num_classes": self.num_classes, "ignore_class": self.ignore_class,
                       "sparse_y_true": self.sparse_y_true,
                       "sparse_y_pred": self.sparse_y_pred, "axis": self.axis})
        return config


class IoU(_IoUBase):
    """The mean ``TP / (TP + FP + FN)`` over ``target_class_ids``.

    Classes that never occur (neither labelled nor predicted) are left out of the mean.

    Args:
        num_classes: the number of classes.
        target_class_ids: the class ids to average over.
        ignore_class: a label id whose entries are skipped.
        sparse_y_true / sparse_y_pred: ``False`` when that input holds one-hot or score
            vectors along ``axis`` instead of class ids.
    """

    def __init__(self, num_classes, target_class_ids, name=None, dtype=None,
                 ignore_class=None, sparse_y_true=True, sparse_y_pred=True, axis=-1):
        super().__init__(num_classes, name=name, dtype=dtype, ignore_class=ignore_class,
                         sparse_y_true=sparse_y_true, sparse_y_pred=sparse_y_pred, axis=axis)
        target_class_ids = list(target_class_ids)
        if max(target_class_ids, default=-1) >= num_classes or \
                min(target_class_ids, default=0) < 0 or not target_class_ids:
            raise ValueError(
                "Target class id must be in [0, num_classes) and at least one is needed. "
                f"Received: target_class_ids={target_class_ids}, num_classes={num_classes}"
            )
        self.target_class_ids = target_class_ids

    def result(self):
        true_positives, union = self._iou_per_class()
        ids = ops.convert_to_tensor(self.target_class_ids, dtype="int32")
        true_positives = ops.take(true_positives, ids)
        union = ops.take(union, ids)
        present = ops.sum(ops.cast(ops.greater(union, 1e-9), self.dtype))
        return divide_no_nan(ops.sum(divide_no_nan(true_positives, union)), present)

    def get_config(self):
        config = super().get_config()
        config["target_class_ids"] = self.target_class_ids
        return config


class BinaryIoU(IoU):
    """IoU of two classes from 0/1 labels and scores: a score ``>= threshold`` is class 1."""

    def __init__(self, target_class_ids=(0, 1), threshold=0.5, name=None, dtype=None):
        super().__init__(num_classes=2, target_class_ids=target_class_ids, name=name,
                         dtype=dtype)
        self.threshold = threshold

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = ops.cast(ops.greater_equal(ops.convert_to_tensor(y_pred, dtype=self.dtype),
                                            self.threshold), "int32")
        y_true = ops.cast(ops.convert_to_tensor(y_true, dtype=self.dtype), "int32")
        return super().update_state(y_true, y_pred, sample_weight)

    def get_config(self):
        return {"target_class_ids": self.target_class_ids, "threshold": self.threshold,
                "name": self.name, "dtype": self.dtype}


class MeanIoU(IoU):
    """IoU averaged over all ``num_classes`` classes."""

    def __init__(self, num_classes, name=None, dtype=None, ignore_class=None,
                 sparse_y_true=True, sparse_y_pred=True, axis=-1):
        super().__init__(num_classes, list(range(num_classes)) if isinstance(num_classes, int)
                         else [], name=name, dtype=dtype, ignore_class=ignore_class,
                         sparse_y_true=sparse_y_true, sparse_y_pred=sparse_y_pred, axis=axis)

    def get_config(self):
        config = super().get_config()
        del config["target_class_ids"]
        return config


class OneHotIoU(IoU):
    """``IoU`` for one-hot labels and per-class scores (the arg-max is the prediction)."""

    def __init__(self, num_classes, target_class_ids, name=None, dtype=None,
                 ignore_class=None, sparse_y_pred=False, axis=-1):
        super().__init__(num_classes, target_class_ids, name=name, dtype=dtype,
                         ignore_class=ignore_class, sparse_y_true=False,
                         sparse_y_pred=sparse_y_pred, axis=axis)

    def get_config(self):
        config = super().get_config()
        del config["sparse_y_true"]
        return config


class OneHotMeanIoU(MeanIoU):
    """``MeanIoU`` for one-hot labels and per-class scores (the arg-max is the prediction)."""

    def __init__(self, num_classes, name=None, dtype=None, ignore_class=None,
                 sparse_y_pred=False, axis=-1):
        super().__init__(num_classes, name=name, dtype=dtype, ignore_class=ignore_class,
                         sparse_y_true=False, sparse_y_pred=sparse_y_pred, axis=axis)

    def get_config(self):
        config = super().get_config()
        del config["sparse_y_true"]
        return config
