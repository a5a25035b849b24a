"""Clear errors for wrong arguments, unfitted use and a missing scikit-learn."""
import sys

import numpy as np
import pytest

from sklearn_models import build_classifier


def test_model_neither_callable_nor_model(blobs):
    from kfront.wrappers import SKLearnClassifier
    X, y = blobs
    with pytest.raises(TypeError, match=r"SKLearnClassifier: `model` must be a kfront Model "
                                        r"or a callable returning one; received int: 3"):
        SKLearnClassifier(model=3).fit(X, y)


def test_callable_returning_something_else(blobs):
    from kfront.wrappers import SKLearnRegressor
    X, y = blobs
    with pytest.raises(TypeError, match=r"the callable returned str: 'oops'"):
        SKLearnRegressor(model=lambda X, y: "oops").fit(X, y)


def test_uncompiled_model(blobs):
    import kfront as keras
    from kfront.wrappers import SKLearnRegressor
    X, y = blobs
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
    with pytest.raises(RuntimeError, match=r"needs to be compiled, with a loss and an optimizer"):
        SKLearnRegressor(model=lambda X, y: model).fit(X, y)


def test_bad_kwargs_types(blobs):
    from kfront.wrappers import SKLearnClassifier
    X, y = blobs
    with pytest.raises(TypeError, match=r"`model_kwargs` must be a dict or None; received list"):
        SKLearnClassifier(build_classifier, model_kwargs=[1]).fit(X, y)
    with pytest.raises(TypeError, match=r"`fit_kwargs` must be a dict or None; received int"):
        SKLearnClassifier(build_classifier, fit_kwargs=5).fit(X, y)


def test_predict_before_fit(blobs):
    from sklearn.exceptions import NotFittedError

    from kfront.wrappers import SKLearnClassifier, SKLearnTransformer
    X, _ = blobs
    with pytest.raises(NotFittedError, match=r"SKLearnClassifier instance is not fitted yet"):
        SKLearnClassifier(build_classifier).predict(X)
    with pytest.raises(NotFittedError, match=r"SKLearnTransformer instance is not fitted yet"):
        SKLearnTransformer(build_classifier).transform(X)


def test_classifier_target_errors(blobs):
    from kfront.wrappers import SKLearnClassifier
    X, y = blobs
    with pytest.raises(ValueError, match=r"`y` holds only one class \(0\)"):
        SKLearnClassifier(build_classifier).fit(X, np.zeros(len(X), dtype=int))
    with pytest.raises(ValueError, match=r"Unknown label type|continuous"):
        SKLearnClassifier(build_classifier).fit(X, np.linspace(0, 1, len(X)))


def test_wrong_feature_count_after_fit(blobs):
    from kfront.wrappers import SKLearnClassifier
    X, y = blobs
    clf = SKLearnClassifier(build_classifier, fit_kwargs={"epochs": 1, "verbose": 0}).fit(X, y)
    with pytest.raises(ValueError, match=r"X has 3 features, but SKLearnClassifier is "
                                         r"expecting 4 features"):
        clf.predict(X[:, :3])


def test_missing_sklearn_names_the_extra(monkeypatch):
    from kfront.wrappers import SKLearnClassifier, SKLearnRegressor, SKLearnTransformer
    monkeypatch.setitem(sys.modules, "sklearn", None)
    for cls in (SKLearnClassifier, SKLearnRegressor, SKLearnTransformer):
        with pytest.raises(ImportError, match=rf"{cls.__name__} requires scikit-learn.*"
                                              r'pip install "kfront\[sklearn\]"'):
            cls(build_classifier)


def test_kfront_imports_without_sklearn():
    import subprocess
    # sklearn blocked before anything is imported: kfront and kfront.wrappers still load.
    code = ("import sys; sys.modules['sklearn'] = None; import kfront, kfront.wrappers; "
            "assert 'SKLearnClassifier' in dir(kfront.wrappers); "
            "from kfront.wrappers import SKLearnClassifier\n"
            "try:\n    SKLearnClassifier(None)\nexcept ImportError as e:\n    print(e)")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                         text=True).stdout
    assert 'pip install "kfront[sklearn]"' in out
