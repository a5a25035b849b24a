"""scikit-learn's own estimator checks on the three wrappers.

The checks that assume ``fit`` is reproducible (two fits from fresh random weights give the
same predictions) or a good score after a few epochs are expected to fail, as for Keras.
"""
import pytest

pytest.importorskip("sklearn", minversion="1.6")
# About 10 s on torch, 30 s on TensorFlow, 2 min on JAX (a compile per fresh model).
pytestmark = pytest.mark.slow

from sklearn.utils.estimator_checks import parametrize_with_checks  # noqa: E402
from sklearn_models import build_classifier, build_regressor  # noqa: E402

from kfront.wrappers import (  # noqa: E402
    SKLearnClassifier, SKLearnRegressor, SKLearnTransformer)

_NOT_REPRODUCIBLE = "assumes reproducible fits; each fit starts from new random weights"
EXPECTED_FAILED = {
    "SKLearnClassifier": {
        "check_classifier_data_not_an_array": _NOT_REPRODUCIBLE,
        "check_supervised_y_2d": _NOT_REPRODUCIBLE,
        "check_fit_idempotent": _NOT_REPRODUCIBLE,
        "check_decision_proba_consistency": _NOT_REPRODUCIBLE,
        "check_classifiers_classes": "a few epochs on tiny data may miss a class",
        "check_classifiers_train": "decision_function returns the model's raw outputs "
                                   "(probabilities), not sklearn's decision scores",
    },
    "SKLearnRegressor": {
        "check_regressor_data_not_an_array": _NOT_REPRODUCIBLE,
        "check_supervised_y_2d": _NOT_REPRODUCIBLE,
        "check_regressors_int": _NOT_REPRODUCIBLE,
        "check_fit_idempotent": _NOT_REPRODUCIBLE,
    },
    "SKLearnTransformer": {
        "check_fit_idempotent": _NOT_REPRODUCIBLE,
    },
}


def _build_transformer(X, y):
    import kfront as keras
    outputs = 1 if y.ndim == 1 else y.shape[1]
    model = keras.Sequential([keras.Input((X.shape[1],)), keras.layers.Dense(outputs)])
    model.compile(optimizer="adam", loss="mse")
    return model


@parametrize_with_checks(
    [SKLearnClassifier(build_classifier, fit_kwargs={"epochs": 5, "verbose": 0}),
     SKLearnRegressor(build_regressor, fit_kwargs={"epochs": 5, "verbose": 0}),
     SKLearnTransformer(_build_transformer, fit_kwargs={"epochs": 1, "verbose": 0})],
    expected_failed_checks=lambda est: EXPECTED_FAILED[type(est).__name__])
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)
