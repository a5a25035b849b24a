"""The wrappers inside scikit-learn's Pipeline, GridSearchCV and cross_val_score."""
import numpy as np

from sklearn_models import FIT, build_classifier, build_regressor


def test_pipeline_with_standard_scaler(linear):
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from kfront.wrappers import SKLearnRegressor
    X, y = linear
    X = X * 100.0 + 50.0  # scaled back to unit variance by the pipeline
    pipe = make_pipeline(StandardScaler(), SKLearnRegressor(
        build_regressor, fit_kwargs={**FIT, "epochs": 60})).fit(X, y)
    assert np.mean((pipe.predict(X) - y) ** 2) < 0.05 * np.var(y)


def test_grid_search_over_model_kwargs(blobs):
    from sklearn.model_selection import GridSearchCV

    from kfront.wrappers import SKLearnClassifier
    X, y = blobs
    search = GridSearchCV(
        SKLearnClassifier(build_classifier, fit_kwargs={**FIT, "epochs": 15}),
        {"model_kwargs": [{"units": 1, "learning_rate": 1e-4}, {"units": 16}]}, cv=2)
    search.fit(X, y)
    # A single hidden unit barely trained cannot split three blobs; 16 units can.
    assert search.best_params_ == {"model_kwargs": {"units": 16}}
    assert search.best_score_ >= 0.9
    assert search.best_estimator_.score(X, y) >= 0.9


def test_cross_val_score(blobs):
    from sklearn.model_selection import cross_val_score

    from kfront.wrappers import SKLearnClassifier
    X, y = blobs
    scores = cross_val_score(SKLearnClassifier(build_classifier, fit_kwargs=FIT), X, y, cv=3)
    assert scores.shape == (3,) and scores.min() >= 0.9
