"""``kfront.optimizers.schedules``: learning rates as functions of the step."""
from kfront.optimizers.schedules.cosine_decay import (  # noqa: F401
    CosineDecay, CosineDecayRestarts,
)
from kfront.optimizers.schedules.exponential_decay import ExponentialDecay  # noqa: F401
from kfront.optimizers.schedules.inverse_time_decay import InverseTimeDecay  # noqa: F401
from kfront.optimizers.schedules.learning_rate_schedule import (  # noqa: F401
    LearningRateSchedule,
)
from kfront.optimizers.schedules.piecewise_constant_decay import (  # noqa: F401
    PiecewiseConstantDecay,
)
from kfront.optimizers.schedules.polynomial_decay import PolynomialDecay  # noqa: F401

__all__ = ["CosineDecay", "CosineDecayRestarts", "ExponentialDecay", "InverseTimeDecay",
           "LearningRateSchedule", "PiecewiseConstantDecay", "PolynomialDecay", "serialize",
           "deserialize"]


def serialize(learning_rate_schedule):
    """The Keras 3 config of a schedule (``{"class_name", "config", ...}``)."""
    from kfront.saving import serialization
    return serialization.serialize_object(learning_rate_schedule, "schedule")


def deserialize(config, custom_objects=None):
    """A schedule from its config (built-in, registered or in ``custom_objects``)."""
    from kfront.saving import serialization
    return serialization.deserialize_object(config, "schedule", custom_objects)
