"""``kfront.optimizers``: optimizers by class and by name."""
from kfront.optimizers.adam import Adam  # noqa: F401
from kfront.optimizers.optimizer import Optimizer  # noqa: F401
from kfront.optimizers.rmsprop import RMSprop  # noqa: F401
from kfront.optimizers.sgd import SGD  # noqa: F401
from kfront.utils.lookup import resolve

_ALL = {"SGD": SGD, "Adam": Adam, "RMSprop": RMSprop}


def get(identifier):
    """An optimizer from a name ("adam"), a config dict, an Optimizer class or instance."""
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, type) and issubclass(identifier, Optimizer):
        return identifier()
    obj = resolve(identifier, _ALL, "optimizer", allow_callable=False)
    return obj() if isinstance(obj, type) else obj


def serialize(optimizer):
    return {"class_name": type(optimizer).__name__, "config": optimizer.get_config()}


def deserialize(config):
    return get(config)
