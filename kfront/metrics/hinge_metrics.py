"""Running means of the hinge losses."""
from kfront.losses.hinge_losses import categorical_hinge, hinge, squared_hinge
from kfront.metrics.reduction_metrics import LossMeanMetric as _LossMean


class Hinge(_LossMean):
    """The running mean of ``mean(maximum(1 - y_true * y_pred, 0), axis=-1)``."""

    def __init__(self, name="hinge", dtype=None):
        super().__init__(hinge, name, dtype)


class SquaredHinge(_LossMean):
    """The running mean of ``mean(square(maximum(1 - y_true * y_pred, 0)), axis=-1)``."""

    def __init__(self, name="squared_hinge", dtype=None):
        super().__init__(squared_hinge, name, dtype)


class CategoricalHinge(_LossMean):
    """The running mean of the categorical hinge loss."""

    def __init__(self, name="categorical_hinge", dtype=None):
        super().__init__(categorical_hinge, name, dtype)
