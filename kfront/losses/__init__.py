"""``kfront.losses``: Keras 3's losses, by class, by function and by name."""
import inspect

from kfront.losses.loss import Loss, reduce_weighted_values, squeeze_or_expand_to_same_rank  # noqa: F401
from kfront.losses.losses import (  # noqa: F401
    BCE, MAE, MSE, BinaryCrossentropy, CategoricalCrossentropy, Huber, LossFunctionWrapper,
    MeanAbsoluteError, MeanSquaredError, SparseCategoricalCrossentropy, bce, binary_crossentropy,
    categorical_crossentropy, huber, mae, mean_absolute_error, mean_squared_error, mse,
    sparse_categorical_crossentropy,
)
from kfront.losses.losses import FUNCTIONS, function_name
from kfront.utils.lookup import resolve

CLASSES = {c.__name__: c for c in (
    Loss, LossFunctionWrapper, MeanSquaredError, MeanAbsoluteError, Huber, BinaryCrossentropy,
    CategoricalCrossentropy, SparseCategoricalCrossentropy)}

# Exact names first: "categorical_crossentropy" is the function, "CategoricalCrossentropy"
# the class, as in Keras.
ALL_OBJECTS = dict(CLASSES)
ALL_OBJECTS.update(FUNCTIONS)
ALL_OBJECTS.update({"mse": mse, "MSE": mse, "mae": mae, "MAE": mae, "bce": bce, "BCE": bce,
                    "huber_loss": huber})


def serialize(loss):
    """A JSON-friendly config: ``{"module", "class_name", "config", "registered_name"}``."""
    if loss is None:
        return None
    if isinstance(loss, Loss):
        return {"module": "kfront.losses", "class_name": type(loss).__name__,
                "config": loss.get_config(), "registered_name": None}
    name = function_name(loss)
    if name is not None:
        return {"module": "kfront.losses", "class_name": "function", "config": name,
                "registered_name": "function"}
    raise ValueError(
        f"Cannot serialize loss {loss!r}: only kfront.losses.Loss instances and built-in "
        "loss functions can be serialized."
    )


def deserialize(config, custom_objects=None):
    """The loss described by ``config`` (from ``serialize``, or a plain name)."""
    table = dict(ALL_OBJECTS)
    table.update(custom_objects or {})
    if isinstance(config, str):
        return _lookup(config, table)
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(
            f"Could not interpret loss config: {config!r}. Expected a name or a dict with "
            "'class_name' and 'config'."
        )
    if config["class_name"] == "function":
        return _lookup(config["config"], table)
    cls = _lookup(config["class_name"], table)
    if not inspect.isclass(cls):
        return cls
    return cls.from_config(dict(config.get("config") or {}))


def get(identifier):
    """A loss from ``None``, a name ("mse", "CategoricalCrossentropy"), a config dict,
    a ``Loss`` class or instance, or a callable ``fn(y_true, y_pred)``.

    >>> kfront.losses.get("mse") is kfront.losses.mean_squared_error
    True
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        obj = deserialize(identifier)
    elif isinstance(identifier, str):
        obj = _lookup(identifier, ALL_OBJECTS)
    else:
        obj = identifier
    if inspect.isclass(obj):
        obj = obj()
    if not callable(obj):
        raise ValueError(
            f"Could not interpret loss identifier: {identifier!r}. Expected a loss name, a "
            "config dict, a Loss instance or a callable fn(y_true, y_pred)."
        )
    return obj


def _lookup(name, table):
    if name in table:
        return table[name]
    return resolve(name, table, "loss")
