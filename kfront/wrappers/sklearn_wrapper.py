"""``SKLearnClassifier``, ``SKLearnRegressor`` and ``SKLearnTransformer``: kfront models as
scikit-learn estimators (usable in ``Pipeline``, ``GridSearchCV``, ``cross_val_score``).

Example:

    def build(X, y, units=16):
        model = keras.Sequential([keras.Input((X.shape[1],)),
                                  keras.layers.Dense(units, activation="relu"),
                                  keras.layers.Dense(y.shape[1], activation="softmax")])
        model.compile(optimizer="adam", loss="categorical_crossentropy")
        return model

    clf = SKLearnClassifier(build, model_kwargs={"units": 32}, fit_kwargs={"epochs": 20})
    clf.fit(X, y).predict(X)
"""
import numpy as np

from kfront.wrappers import target
from kfront.wrappers.base import SKLBase
from kfront.wrappers.requirement import ClassifierMixin, RegressorMixin, TransformerMixin


class SKLearnClassifier(ClassifierMixin, SKLBase):
    """A scikit-learn classifier around a kfront model (``keras.wrappers.SKLearnClassifier``).

    The labels are one-hot encoded over ``classes_`` before training, so the model (or the
    callable building it from ``X`` and the encoded ``y``) outputs one column per class;
    ``predict`` returns the class of the largest output.

    Args:
        model: a compiled kfront ``Model`` (cloned with fresh weights before each fit unless
            ``warm_start=True``), or a callable ``model(X=X, y=y, **model_kwargs)`` returning
            one.
        warm_start: when True, ``fit`` continues from the previous fit's weights.
        model_kwargs: dict of keyword arguments for ``model`` when it is a callable.
        fit_kwargs: dict of keyword arguments for ``Model.fit`` (``fit``'s own keyword
            arguments take precedence).

    Attributes:
        model_, history_, n_features_in_, and ``classes_``: the sorted class labels.
    """

    def _encode_target(self, y, reset=False):
        target.check_target_type(y, type(self).__name__, allowed=("binary", "multiclass"))
        if reset:
            self.classes_ = np.unique(y)
            if len(self.classes_) == 1:
                raise ValueError(
                    f"{type(self).__name__}: `y` holds only one class "
                    f"({self.classes_[0].tolist()!r}); a classifier needs at least two.")
        return target.one_hot(y, self.classes_)

    def _decode_output(self, raw):
        proba = target.probabilities(raw, len(self.classes_))
        return self.classes_[np.argmax(proba, axis=1)]

    def predict_proba(self, X):
        """Class probabilities for ``X``: shape (n_samples, n_classes), columns in the order
        of ``classes_`` (a single-column model output is read as P(``classes_[1]``))."""
        return target.probabilities(self._raw_predict(X), len(self.classes_))

    def decision_function(self, X):
        """The model's raw outputs for ``X``."""
        return self._raw_predict(X)

    def _more_tags(self):  # scikit-learn < 1.6
        return {**super()._more_tags(), "poor_score": True}

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.poor_score = True
        return tags


class SKLearnRegressor(RegressorMixin, SKLBase):
    """A scikit-learn regressor around a kfront model (``keras.wrappers.SKLearnRegressor``).

    ``y`` of shape (n_samples,) or (n_samples, n_outputs) is handed to the model as is;
    ``predict`` returns the model's output, one-dimensional when ``y`` was.

    Args: as ``SKLearnClassifier``.
    Attributes: model_, history_, n_features_in_.
    """

    _validate_multi_output = True
    _validate_y_numeric = True

    def _encode_target(self, y, reset=False):
        target.check_target_type(y, type(self).__name__)
        return super()._encode_target(y, reset=reset)

    def _decode_output(self, raw):
        # scikit-learn expects regression outputs in float64, whatever the model's dtype.
        return np.asarray(super()._decode_output(raw), dtype="float64")

    def _more_tags(self):  # scikit-learn < 1.6
        return {**super()._more_tags(), "poor_score": True, "multioutput": True}

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.regressor_tags.poor_score = True
        tags.target_tags.multi_output = True
        return tags


class SKLearnTransformer(TransformerMixin, SKLBase):
    """A scikit-learn transformer around a kfront model (``keras.wrappers.SKLearnTransformer``).

    ``fit`` trains the model on ``(X, y)``; ``transform`` returns the model's outputs, e.g.
    the features of an embedding model. A transformer in scikit-learn's sense, not the
    attention architecture.

    Args: as ``SKLearnClassifier``.
    Attributes: model_, history_, n_features_in_.
    """

    _validate_multi_output = True

    def transform(self, X):
        """The fitted model's outputs for ``X`` (n_samples, n_features)."""
        return np.asarray(self._raw_predict(X))

    def _more_tags(self):  # scikit-learn < 1.6
        return {**super()._more_tags(), "preserves_dtype": []}

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = []
        return tags
