"""``kfront.losses``: Keras 3's losses, by class, by function and by name."""
import inspect
import warnings

from kfront.losses.loss import Loss, reduce_weighted_values, squeeze_or_expand_to_same_rank  # noqa: F401
from kfront.losses.losses import (  # noqa: F401
    BCE, MAE, MSE, BinaryCrossentropy, CategoricalCrossentropy, Huber, LossFunctionWrapper,
    MeanAbsoluteError, MeanSquaredError, SparseCategoricalCrossentropy, bce, binary_crossentropy,
    categorical_crossentropy, huber, mae, mean_absolute_error, mean_squared_error, mse,
    sparse_categorical_crossentropy,
)
from kfront.losses.losses import FUNCTIONS, function_name
from kfront.losses import hinge_losses, probabilistic_losses, regression_losses
from kfront.losses import segmentation_losses
from kfront.losses.hinge_losses import (  # noqa: F401
    CategoricalHinge, Hinge, SquaredHinge, categorical_hinge, hinge, squared_hinge,
)
from kfront.losses.probabilistic_losses import (  # noqa: F401
    KLD, BinaryFocalCrossentropy, CategoricalFocalCrossentropy, KLDivergence, Poisson,
    binary_focal_crossentropy, categorical_focal_crossentropy, kl_divergence, kld,
    poisson,
)
from kfront.losses.regression_losses import (  # noqa: F401
    MAPE, MSLE, CosineSimilarity, LogCosh, MeanAbsolutePercentageError,
    MeanSquaredLogarithmicError, cosine_similarity, log_cosh, mape,
    mean_absolute_percentage_error, mean_squared_logarithmic_error, msle,
)
from kfront.losses.segmentation_losses import Dice, Tversky, dice, tversky  # noqa: F401
from kfront.utils.lookup import resolve

# One registry of built-in functions, shared with ``losses.function_name`` (and so with
# every wrapper's config), filled from each family module.
for _family in (regression_losses, probabilistic_losses, hinge_losses, segmentation_losses):
    FUNCTIONS.update(_family.FUNCTIONS)

CLASSES = {c.__name__: c for c in (
    Loss, LossFunctionWrapper, MeanSquaredError, MeanAbsoluteError, Huber, BinaryCrossentropy,
    CategoricalCrossentropy, SparseCategoricalCrossentropy, MeanAbsolutePercentageError,
    MeanSquaredLogarithmicError, LogCosh, CosineSimilarity, KLDivergence, Poisson,
    BinaryFocalCrossentropy, CategoricalFocalCrossentropy, Hinge, SquaredHinge,
    CategoricalHinge, Dice, Tversky)}

# CTC (losses/ctc.py).
from kfront.losses.ctc import CTC, ctc, FUNCTIONS as _CTC_FUNCTIONS  # noqa: E402,F401
FUNCTIONS.update(_CTC_FUNCTIONS)
CLASSES["CTC"] = CTC

# Exact names first: "categorical_crossentropy" is the function, "CategoricalCrossentropy"
# the class, as in Keras.
ALL_OBJECTS = dict(CLASSES)
ALL_OBJECTS.update(FUNCTIONS)
ALL_OBJECTS.update({"mse": mse, "MSE": mse, "mae": mae, "MAE": mae, "bce": bce, "BCE": bce,
                    "huber_loss": huber, "kld": kld, "KLD": kld, "mape": mape, "MAPE": mape,
                    "msle": msle, "MSLE": msle})
# Keras 2 names that Keras 3 dropped: still resolved, with a DeprecationWarning.
_KERAS_2_NAMES = {"logcosh": "log_cosh", "kullback_leibler_divergence": "kl_divergence"}


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


def _keras_2_name(name):
    new = _KERAS_2_NAMES[name]
    warnings.warn(f"The loss name {name!r} is from Keras 2; Keras 3 calls it {new!r}.",
                  DeprecationWarning, stacklevel=3)
    return FUNCTIONS[new]


def __getattr__(name):
    if name in _KERAS_2_NAMES:
        return _keras_2_name(name)
    raise AttributeError(f"module 'kfront.losses' has no attribute {name!r}")


def _lookup(name, table):
    if isinstance(name, str) and name in _KERAS_2_NAMES and name not in table:
        return _keras_2_name(name)
    if name in table:
        return table[name]
    return resolve(name, table, "loss")


# The public names, for `from ... import *` and for linters that check re-exports.
__all__ = [
    'BCE', 'BinaryCrossentropy', 'BinaryFocalCrossentropy', 'CategoricalCrossentropy',
    'CategoricalFocalCrossentropy', 'CategoricalHinge', 'CosineSimilarity', 'Dice', 'Hinge',
    'Huber', 'KLD', 'KLDivergence', 'LogCosh', 'Loss', 'LossFunctionWrapper', 'MAE', 'MAPE',
    'MSE', 'MSLE', 'MeanAbsoluteError', 'MeanAbsolutePercentageError', 'MeanSquaredError',
    'MeanSquaredLogarithmicError', 'Poisson', 'SparseCategoricalCrossentropy',
    'SquaredHinge', 'Tversky', 'bce', 'binary_crossentropy', 'binary_focal_crossentropy',
    'categorical_crossentropy', 'categorical_focal_crossentropy', 'categorical_hinge',
    'cosine_similarity', 'deserialize', 'dice', 'get', 'hinge', 'huber', 'kl_divergence',
    'kld', 'log_cosh', 'mae', 'mape',
    'mean_absolute_error', 'mean_absolute_percentage_error', 'mean_squared_error',
    'mean_squared_logarithmic_error', 'mse', 'msle', 'poisson', 'reduce_weighted_values',
    'serialize', 'sparse_categorical_crossentropy', 'squared_hinge',
    'squeeze_or_expand_to_same_rank', 'tversky',
]
__all__ += ["CTC", "ctc"]

# Circle and generalized crossentropy: classes, functions and names, in one place.
from kfront.losses import losses_extra  # noqa: E402
from kfront.losses.losses_extra import (  # noqa: E402,F401
    CategoricalGeneralizedCrossEntropy, Circle, categorical_generalized_cross_entropy, circle,
)
FUNCTIONS.update(losses_extra.FUNCTIONS)
CLASSES.update({c.__name__: c for c in (Circle, CategoricalGeneralizedCrossEntropy)})
ALL_OBJECTS.update(CLASSES)
ALL_OBJECTS.update(FUNCTIONS)
__all__ += ['CategoricalGeneralizedCrossEntropy', 'Circle', 'categorical_generalized_cross_entropy',
            'circle']
