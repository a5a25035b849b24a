"""Running means of the probabilistic losses: divergences and crossentropies."""
from kfront.losses.losses import (
    binary_crossentropy, categorical_crossentropy, sparse_categorical_crossentropy,
)
from kfront.losses.probabilistic_losses import kl_divergence, poisson
from kfront.metrics.reduction_metrics import LossMeanMetric as _LossMean


class KLDivergence(_LossMean):
    """The running mean of ``sum(y_true * log(y_true / y_pred), axis=-1)``."""

    def __init__(self, name="kl_divergence", dtype=None):
        super().__init__(kl_divergence, name, dtype)


class Poisson(_LossMean):
    """The running mean of ``mean(y_pred - y_true * log(y_pred), axis=-1)``."""

    def __init__(self, name="poisson", dtype=None):
        super().__init__(poisson, name, dtype)


class BinaryCrossentropy(_LossMean):
    """The running mean of the binary crossentropy."""

    _config_keys = ("from_logits", "label_smoothing")

    def __init__(self, name="binary_crossentropy", dtype=None, from_logits=False,
                 label_smoothing=0):
        super().__init__(binary_crossentropy, name, dtype, from_logits=from_logits,
                         label_smoothing=label_smoothing)


class CategoricalCrossentropy(_LossMean):
    """The running mean of the categorical crossentropy."""

    _config_keys = ("from_logits", "label_smoothing", "axis")

    def __init__(self, name="categorical_crossentropy", dtype=None, from_logits=False,
                 label_smoothing=0, axis=-1):
        super().__init__(categorical_crossentropy, name, dtype, from_logits=from_logits,
                         label_smoothing=label_smoothing, axis=axis)


class SparseCategoricalCrossentropy(_LossMean):
    """The running mean of the sparse categorical crossentropy."""

    _config_keys = ("from_logits", "axis")

    def __init__(self, name="sparse_categorical_crossentropy", dtype=None, from_logits=False,
                 axis=-1):
        super().__init__(sparse_categorical_crossentropy, name, dtype, from_logits=from_logits,
                         axis=axis)
