"""``kfront.optimizers``: optimizers by class and by name, and learning-rate schedules."""
from kfront.optimizers import legacy, schedules  # noqa: F401
from kfront.optimizers.adadelta import Adadelta  # noqa: F401
from kfront.optimizers.adagrad import Adagrad  # noqa: F401
from kfront.optimizers.adam import Adam  # noqa: F401
from kfront.optimizers.adamax import Adamax  # noqa: F401
from kfront.optimizers.adamw import AdamW  # noqa: F401
from kfront.optimizers.ftrl import Ftrl  # noqa: F401
from kfront.optimizers.lamb import Lamb  # noqa: F401
from kfront.optimizers.lion import Lion  # noqa: F401
from kfront.optimizers.loss_scale_optimizer import LossScaleOptimizer  # noqa: F401
from kfront.optimizers.nadam import Nadam  # noqa: F401
from kfront.optimizers.optimizer import Optimizer  # noqa: F401
from kfront.optimizers.rmsprop import RMSprop  # noqa: F401
from kfront.optimizers.sgd import SGD  # noqa: F401
from kfront.utils.lookup import resolve

__all__ = ["legacy", "schedules", "Optimizer", "SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta",
           "Adamax", "Nadam", "Ftrl", "Lion", "Lamb", "LossScaleOptimizer", "get", "serialize",
           "deserialize"]

_ALL = {cls.__name__: cls for cls in (SGD, Adam, AdamW, RMSprop, Adagrad, Adadelta, Adamax,
                                      Nadam, Ftrl, Lion, Lamb, LossScaleOptimizer)}


def get(identifier):
    """An optimizer from a name ("adamw"), a config dict, an Optimizer class or instance."""
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, type) and issubclass(identifier, Optimizer):
        return identifier()
    if isinstance(identifier, dict):
        return deserialize(identifier)
    obj = resolve(identifier, _ALL, "optimizer", allow_callable=False)
    return obj() if isinstance(obj, type) else obj


def serialize(optimizer):
    """The Keras 3 config of an optimizer (``{"class_name", "config", ...}``), JSON-ready."""
    from kfront.saving import serialization
    return serialization.serialize_object(optimizer, "optimizer")


def deserialize(config, custom_objects=None):
    """An optimizer from its config (or name)."""
    from kfront.saving.saving_lib import deserialize_optimizer
    return deserialize_optimizer(config, custom_objects)

# Adafactor, Muon, ScheduleFreeAdamW and the per-variable MultiOptimizer.
from kfront.optimizers.adafactor import Adafactor  # noqa: E402,F401
from kfront.optimizers.multi_optimizer import MultiOptimizer, OptimizerMap  # noqa: E402,F401
from kfront.optimizers.muon import Muon  # noqa: E402,F401
from kfront.optimizers.schedule_free_adamw import ScheduleFreeAdamW  # noqa: E402,F401

_ALL.update({cls.__name__: cls for cls in (Adafactor, Muon, ScheduleFreeAdamW)})
__all__ += ["Adafactor", "Muon", "MultiOptimizer", "OptimizerMap", "ScheduleFreeAdamW"]
