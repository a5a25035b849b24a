"""The shared behaviour of the scikit-learn wrappers: parameters, fitting, pickling."""
import copy

from kfront.wrappers import model_state
from kfront.wrappers.requirement import BaseEstimator, require_sklearn


def validate_data(estimator, X, y=None, reset=True, **kwargs):
    """scikit-learn's input validation (sets ``n_features_in_`` when ``reset``).

    ``validate_data`` is a function from scikit-learn 1.6 on and a method before.
    """
    try:
        from sklearn.utils.validation import validate_data as validate
    except ImportError:
        validate = type(estimator)._validate_data
    if y is None:
        return validate(estimator, X, reset=reset, **kwargs)
    return validate(estimator, X, y, reset=reset, **kwargs)


class SKLBase(BaseEstimator):
    """Base class of the scikit-learn wrappers (see ``SKLearnClassifier`` for the args).

    Args:
        model: a compiled kfront ``Model`` (cloned with fresh weights before each fit, unless
            ``warm_start=True``), or a callable returning one, called as
            ``model(X=X, y=y, **model_kwargs)`` with the encoded training data.
        warm_start: when True, ``fit`` continues training the model from the previous fit
            (or the given ``Model`` itself) instead of starting from a new one.
        model_kwargs: dict of keyword arguments for ``model`` when it is a callable.
        fit_kwargs: dict of keyword arguments for ``Model.fit``; the keyword arguments
            given to ``fit`` take precedence over these.

    Attributes:
        model_: the fitted model.
        history_: the ``History`` returned by ``Model.fit``.
        n_features_in_: the number of features seen in ``fit``.
    """

    _validate_multi_output = False
    _validate_y_numeric = False

    def __init__(self, model, warm_start=False, model_kwargs=None, fit_kwargs=None):
        require_sklearn(type(self).__name__)
        self.model = model
        self.warm_start = warm_start
        self.model_kwargs = model_kwargs
        self.fit_kwargs = fit_kwargs

    # ---- scikit-learn protocol ----
    def _more_tags(self):  # scikit-learn < 1.6
        return {"non_deterministic": True}

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.non_deterministic = True
        return tags

    def __sklearn_clone__(self):
        # A Model given as `model` is passed on as is: fit clones it (unless warm_start), and
        # deep-copying an engine model is neither cheap nor always possible.
        # The other parameters are deep-copied, as sklearn's clone does.
        params = self.get_params(deep=False)
        return type(self)(**{name: value if model_state.is_model(value) else copy.deepcopy(value)
                             for name, value in params.items()})

    def __getstate__(self):
        state = super().__getstate__() if hasattr(super(), "__getstate__") else dict(
            self.__dict__)
        state = dict(state)
        # Engine models may hold compiled functions that do not pickle: store the `.keras`
        # archive instead.
        for key in ("model", "model_"):
            if model_state.is_model(state.get(key)):
                state[key] = _PickledModel(model_state.model_to_bytes(state[key]))
        history = state.get("history_")
        if getattr(history, "_model", None) is not None:
            # The History keeps its metrics; its reference to the model is not pickled twice.
            history = copy.copy(history)
            history._model = None
            state["history_"] = history
        return state

    def __setstate__(self, state):
        state = dict(state)
        for key in ("model", "model_"):
            if isinstance(state.get(key), _PickledModel):
                state[key] = model_state.model_from_bytes(state[key].data)
        if hasattr(super(), "__setstate__"):
            super().__setstate__(state)
        else:
            self.__dict__.update(state)

    @property
    def epoch_(self):
        """The epochs run by the last fit."""
        history = getattr(self, "history_", None)
        return len(history.epoch) if history is not None else 0

    # ---- fitting ----
    def _get_model(self, X, y):
        owner = type(self).__name__
        if self.warm_start and hasattr(self, "model_"):
            return self.model_
        if model_state.is_model(self.model):
            return self.model if self.warm_start else model_state.clone_compiled(self.model)
        if not callable(self.model):
            raise TypeError(
                f"{owner}: `model` must be a kfront Model or a callable returning one; "
                f"received {type(self.model).__name__}: {self.model!r}")
        kwargs = self.model_kwargs or {}
        if not isinstance(kwargs, dict):
            raise TypeError(f"{owner}: `model_kwargs` must be a dict or None; received "
                            f"{type(kwargs).__name__}: {kwargs!r}")
        return self.model(X=X, y=y, **kwargs)

    def fit(self, X, y, **kwargs):
        """Fits a model on ``X`` (n_samples, n_features) and ``y``.

        Args:
            X: array-like of shape (n_samples, n_features).
            y: array-like of shape (n_samples,) or (n_samples, n_outputs).
            **kwargs: keyword arguments for ``Model.fit`` (over ``fit_kwargs``).

        Returns:
            self.
        """
        owner = type(self).__name__
        if self.fit_kwargs is not None and not isinstance(self.fit_kwargs, dict):
            raise TypeError(f"{owner}: `fit_kwargs` must be a dict or None; received "
                            f"{type(self.fit_kwargs).__name__}: {self.fit_kwargs!r}")
        if y is None:
            raise ValueError(f"{owner} requires y to be passed, but the target y is None.")
        X, y = validate_data(self, X, y, multi_output=self._validate_multi_output,
                             y_numeric=self._validate_y_numeric)
        y = self._encode_target(y, reset=True)
        model = self._get_model(X, y)
        model_state.check_compiled(model, owner)
        fit_kwargs = dict(self.fit_kwargs or {})
        fit_kwargs.update(kwargs)
        self.history_ = model.fit(X, y, **fit_kwargs)
        self.model_ = model
        return self

    def _raw_predict(self, X):
        from sklearn.utils.validation import check_is_fitted
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        return self.model_.predict(X, verbose=0)

    def predict(self, X):
        """Predictions of the fitted model for ``X`` (n_samples, n_features)."""
        return self._decode_output(self._raw_predict(X))

    # Regressors and transformers pass the target through; classifiers one-hot encode it.
    def _encode_target(self, y, reset=False):
        import numpy as np
        if reset:
            self._target_ndim = np.ndim(y)
        return y

    def _decode_output(self, raw):
        import numpy as np
        raw = np.asarray(raw)
        if getattr(self, "_target_ndim", 2) == 1 and raw.ndim == 2 and raw.shape[1] == 1:
            return raw[:, 0]
        return raw


class _PickledModel:
    """A model's ``.keras`` archive inside a pickled wrapper."""

    def __init__(self, data):
        self.data = data
