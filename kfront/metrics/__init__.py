"""``kfront.metrics``: Keras 3's metrics, by class, by function and by name."""
import inspect

from kfront.losses.losses import FUNCTIONS as _LOSS_FUNCTIONS
from kfront.losses.losses import (  # noqa: F401
    binary_crossentropy, categorical_crossentropy, huber, mean_absolute_error,
    mean_squared_error, sparse_categorical_crossentropy,
)
from kfront.metrics.accuracy_metrics import (  # noqa: F401
    Accuracy, BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy,
    SparseTopKCategoricalAccuracy, TopKCategoricalAccuracy, accuracy, binary_accuracy,
    categorical_accuracy, sparse_categorical_accuracy, sparse_top_k_categorical_accuracy,
    top_k_categorical_accuracy,
)
from kfront.losses.hinge_losses import categorical_hinge, hinge, squared_hinge  # noqa: F401
from kfront.losses.probabilistic_losses import kl_divergence, poisson  # noqa: F401
from kfront.losses.regression_losses import (  # noqa: F401
    log_cosh, mean_absolute_percentage_error, mean_squared_logarithmic_error,
)
from kfront.metrics.auc_metric import AUC
from kfront.metrics.confusion_metrics import (
    FalseNegatives, FalsePositives, Precision, PrecisionAtRecall, Recall, RecallAtPrecision,
    SensitivityAtSpecificity, SpecificityAtSensitivity, TrueNegatives, TruePositives,
)
from kfront.metrics.f_score_metrics import F1Score, FBetaScore
from kfront.metrics.hinge_metrics import CategoricalHinge, Hinge, SquaredHinge
from kfront.metrics.iou_metrics import BinaryIoU, IoU, MeanIoU, OneHotIoU, OneHotMeanIoU
from kfront.metrics.metric import Metric
from kfront.metrics.probabilistic_metrics import (
    BinaryCrossentropy, CategoricalCrossentropy, KLDivergence, Poisson,
    SparseCategoricalCrossentropy,
)
from kfront.metrics.reduction_metrics import Mean, MeanMetricWrapper, Sum
from kfront.metrics.regression_metrics import (  # noqa: F401
    CosineSimilarity, LogCoshError, MeanAbsoluteError, MeanAbsolutePercentageError,
    MeanSquaredError, MeanSquaredLogarithmicError, R2Score, RootMeanSquaredError,
    cosine_similarity,
)
from kfront.utils.lookup import resolve
from kfront.utils.naming import to_snake_case

CLASSES = {c.__name__: c for c in (
    Metric, Mean, Sum, MeanMetricWrapper, MeanSquaredError, MeanAbsoluteError,
    RootMeanSquaredError, Accuracy, BinaryAccuracy, CategoricalAccuracy,
    SparseCategoricalAccuracy, TopKCategoricalAccuracy, SparseTopKCategoricalAccuracy,
    MeanAbsolutePercentageError, MeanSquaredLogarithmicError, LogCoshError, CosineSimilarity,
    R2Score, KLDivergence, Poisson, BinaryCrossentropy, CategoricalCrossentropy,
    SparseCategoricalCrossentropy, Hinge, SquaredHinge, CategoricalHinge, TruePositives,
    FalsePositives, TrueNegatives, FalseNegatives, Precision, Recall, AUC,
    SensitivityAtSpecificity, SpecificityAtSensitivity, PrecisionAtRecall, RecallAtPrecision,
    FBetaScore, F1Score, IoU, BinaryIoU, MeanIoU, OneHotIoU, OneHotMeanIoU)}

# Functions a MeanMetricWrapper may name in its config (``cosine_similarity`` is the
# metric's positive similarity, not the loss).
FUNCTIONS = dict(_LOSS_FUNCTIONS)
FUNCTIONS.update({f.__name__: f for f in (
    accuracy, binary_accuracy, categorical_accuracy, sparse_categorical_accuracy,
    top_k_categorical_accuracy, sparse_top_k_categorical_accuracy, cosine_similarity)})

# Names that ``get`` resolves to a metric class: "CategoricalAccuracy",
# "categorical_accuracy", and the short aliases.
ALL_OBJECTS = dict(CLASSES)
ALL_OBJECTS.update({to_snake_case(name): cls for name, cls in CLASSES.items()})
ALL_OBJECTS.update({"mse": MeanSquaredError, "MSE": MeanSquaredError, "mae": MeanAbsoluteError,
                    "MAE": MeanAbsoluteError, "acc": Accuracy, "rmse": RootMeanSquaredError,
                    "mape": MeanAbsolutePercentageError, "MAPE": MeanAbsolutePercentageError,
                    "msle": MeanSquaredLogarithmicError, "MSLE": MeanSquaredLogarithmicError,
                    "bce": BinaryCrossentropy, "BCE": BinaryCrossentropy,
                    "logcosh": LogCoshError, "mean_iou": MeanIoU, "iou": IoU,
                    "binary_iou": BinaryIoU, "one_hot_iou": OneHotIoU,
                    "one_hot_mean_iou": OneHotMeanIoU, "fbeta_score": FBetaScore})
# Loss function names not taken above give the running mean of that loss.
_NAMES = dict(ALL_OBJECTS)
_NAMES.update({k: v for k, v in _LOSS_FUNCTIONS.items() if k not in ALL_OBJECTS})


def serialize(metric):
    """A JSON-friendly config: ``{"module", "class_name", "config", "registered_name"}``."""
    if metric is None:
        return None
    if isinstance(metric, Metric):
        return {"module": "kfront.metrics", "class_name": type(metric).__name__,
                "config": metric.get_config(), "registered_name": None}
    name = getattr(metric, "__name__", None)
    if FUNCTIONS.get(name) is metric:
        return {"module": "kfront.metrics", "class_name": "function", "config": name,
                "registered_name": "function"}
    raise ValueError(
        f"Cannot serialize metric {metric!r}: only kfront.metrics.Metric instances and "
        "built-in metric functions can be serialized."
    )


def deserialize(config, custom_objects=None):
    """The metric described by ``config`` (from ``serialize``, or a plain name)."""
    if isinstance(config, str):
        if custom_objects and config in custom_objects:
            return custom_objects[config]
        return get(config)
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(
            f"Could not interpret metric config: {config!r}. Expected a name or a dict with "
            "'class_name' and 'config'."
        )
    if config["class_name"] == "function":
        name = config["config"]
        if custom_objects and name in custom_objects:
            return custom_objects[name]
        if name not in FUNCTIONS:
            raise ValueError(
                f"Unknown metric function: {name!r}. Expected one of: {sorted(FUNCTIONS)}."
            )
        return FUNCTIONS[name]
    table = dict(CLASSES)
    table.update(custom_objects or {})
    cls = _lookup(config["class_name"], table)
    return cls.from_config(dict(config.get("config") or {}))


def get(identifier):
    """A metric from ``None``, a name ("accuracy", "mse", "CategoricalAccuracy"), a config
    dict, a ``Metric`` class or instance, or a callable ``fn(y_true, y_pred)``.

    Names of loss functions ("binary_crossentropy", ...) give the running mean of that
    loss. Choosing between accuracies from the loss ("accuracy" with a sparse loss) is
    the job of ``Model.compile``; here "accuracy" is exact-match ``Accuracy``.
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        obj = deserialize(identifier)
    elif isinstance(identifier, str):
        obj = _lookup(identifier, _NAMES)
        if any(obj is f for f in _LOSS_FUNCTIONS.values()):
            return MeanMetricWrapper(obj, name=obj.__name__)
    else:
        obj = identifier
    if inspect.isclass(obj):
        _check_no_required_arguments(obj, identifier)
        obj = obj()
    if not callable(obj):
        raise ValueError(
            f"Could not interpret metric identifier: {identifier!r}. Expected a metric name, "
            "a config dict, a Metric instance or a callable fn(y_true, y_pred)."
        )
    return obj


def _check_no_required_arguments(cls, identifier):
    """Refuses names of metrics that cannot exist without arguments (``MeanIoU``)."""
    required = [p.name for p in inspect.signature(cls.__init__).parameters.values()
                if p.name != "self" and p.default is inspect.Parameter.empty
                and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
    if required:
        example = ", ".join(f"{name}=..." for name in required)
        raise ValueError(
            f"Metric {identifier!r} needs the argument(s) {required}: pass an instance such "
            f"as kfront.metrics.{cls.__name__}({example}) instead of a name."
        )


def _lookup(name, table):
    if name in table:
        return table[name]
    return resolve(name, table, "metric")


# The public names, for `from ... import *` and for linters that check re-exports.
__all__ = [
    'AUC', 'Accuracy', 'BinaryAccuracy', 'BinaryCrossentropy', 'BinaryIoU',
    'CategoricalAccuracy', 'CategoricalCrossentropy', 'CategoricalHinge',
    'CosineSimilarity', 'F1Score', 'FBetaScore', 'FalseNegatives', 'FalsePositives',
    'Hinge', 'IoU', 'KLDivergence', 'LogCoshError', 'Mean', 'MeanAbsoluteError',
    'MeanAbsolutePercentageError', 'MeanIoU', 'MeanMetricWrapper', 'MeanSquaredError',
    'MeanSquaredLogarithmicError', 'Metric', 'OneHotIoU', 'OneHotMeanIoU', 'Poisson',
    'Precision', 'PrecisionAtRecall', 'R2Score', 'Recall', 'RecallAtPrecision',
    'RootMeanSquaredError', 'SensitivityAtSpecificity', 'SparseCategoricalAccuracy',
    'SparseCategoricalCrossentropy', 'SparseTopKCategoricalAccuracy',
    'SpecificityAtSensitivity', 'SquaredHinge', 'Sum', 'TopKCategoricalAccuracy',
    'TrueNegatives', 'TruePositives', 'accuracy', 'binary_accuracy', 'binary_crossentropy',
    'categorical_accuracy', 'categorical_crossentropy', 'categorical_hinge',
    'cosine_similarity', 'deserialize', 'get', 'hinge', 'huber', 'kl_divergence',
    'log_cosh', 'mean_absolute_error', 'mean_absolute_percentage_error',
    'mean_squared_error', 'mean_squared_logarithmic_error', 'poisson', 'serialize',
    'sparse_categorical_accuracy', 'sparse_categorical_crossentropy',
    'sparse_top_k_categorical_accuracy', 'squared_hinge', 'top_k_categorical_accuracy',
]

# Correlation metrics, and the focal crossentropies Keras exports from keras.metrics too.
from kfront.losses.probabilistic_losses import (  # noqa: E402,F401
    binary_focal_crossentropy, categorical_focal_crossentropy,
)
from kfront.metrics.correlation_metrics import (  # noqa: E402,F401
    ConcordanceCorrelation, PearsonCorrelation, concordance_correlation, pearson_correlation,
)
CLASSES.update({c.__name__: c for c in (PearsonCorrelation, ConcordanceCorrelation)})
FUNCTIONS.update({f.__name__: f for f in (pearson_correlation, concordance_correlation)})
ALL_OBJECTS.update({name: cls for name, cls in CLASSES.items()})
ALL_OBJECTS.update({to_snake_case(name): cls for name, cls in CLASSES.items()})
_NAMES.update(ALL_OBJECTS)
__all__ += ['ConcordanceCorrelation', 'PearsonCorrelation', 'binary_focal_crossentropy',
            'categorical_focal_crossentropy', 'concordance_correlation', 'pearson_correlation']
