"""SKLearnClassifier / SKLearnRegressor / SKLearnTransformer: training, predictions,
parameters, cloning and pickling."""
import pickle

import numpy as np
import pytest

from sklearn_models import FIT, build_classifier, build_regressor


def test_classifier_learns_separable_blobs(blobs):
    from kfront.wrappers import SKLearnClassifier
    X, y = blobs
    clf = SKLearnClassifier(build_classifier, fit_kwargs=FIT).fit(X, y)
    assert clf.score(X, y) >= 0.95
    np.testing.assert_array_equal(clf.classes_, [0, 1, 2])
    assert clf.n_features_in_ == 4
    proba = clf.predict_proba(X)
    assert proba.shape == (len(X), 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, atol=1e-5)
    np.testing.assert_array_equal(clf.predict(X), clf.classes_[proba.argmax(axis=1)])
    assert clf.epoch_ == FIT["epochs"]


def test_classifier_keeps_string_labels(blobs):
    from kfront.wrappers import SKLearnClassifier
    X, y = blobs
    labels = np.array(["ant", "bee", "cat"])[y]
    clf = SKLearnClassifier(build_classifier, fit_kwargs=FIT).fit(X, labels)
    np.testing.assert_array_equal(clf.classes_, ["ant", "bee", "cat"])
    assert np.mean(clf.predict(X) == labels) >= 0.95


def test_regressor_reaches_low_mse(linear):
    from kfront.wrappers import SKLearnRegressor
    X, y = linear
    reg = SKLearnRegressor(build_regressor, fit_kwargs={**FIT, "epochs": 60}).fit(X, y)
    pred = reg.predict(X)
    assert pred.shape == y.shape
    assert np.mean((pred - y) ** 2) < 0.05 * np.var(y)


def test_regressor_from_compiled_model_instance_is_cloned(linear):
    import kfront as keras
    from kfront.wrappers import SKLearnRegressor
    X, y = linear
    model = build_regressor(X, y)
    before = [w.copy() for w in model.get_weights()]
    reg = SKLearnRegressor(model, fit_kwargs={**FIT, "epochs": 60}).fit(X, y)
    assert reg.model_ is not model and isinstance(reg.model_, keras.Model)
    for w0, w1 in zip(before, model.get_weights()):  # the given model is left untouched
        np.testing.assert_array_equal(w0, w1)
    assert np.mean((reg.predict(X) - y) ** 2) < 0.05 * np.var(y)


def test_warm_start_continues_from_previous_fit(linear):
    from kfront.wrappers import SKLearnRegressor
    X, y = linear
    reg = SKLearnRegressor(build_regressor, warm_start=True,
                           fit_kwargs={**FIT, "epochs": 2}).fit(X, y)
    first = reg.model_
    reg.fit(X, y)
    assert reg.model_ is first
    cold = SKLearnRegressor(build_regressor, fit_kwargs={**FIT, "epochs": 2}).fit(X, y)
    model = cold.model_
    cold.fit(X, y)
    assert cold.model_ is not model


def test_transformer_outputs_learned_features(blobs):
    import kfront as keras
    from kfront.wrappers import SKLearnTransformer
    X, y = blobs

    def build(X, y):
        # An encoder trained to map the inputs to a 2-D code; `transform` returns the code.
        model = keras.Sequential([keras.Input((X.shape[1],)),
                                  keras.layers.Dense(8, activation="relu", name="hidden"),
                                  keras.layers.Dense(y.shape[1], name="features")])
        model.compile(optimizer=keras.optimizers.Adam(0.05), loss="mse")
        return model

    Y = np.eye(3, dtype="float32")[y][:, :2]
    trs = SKLearnTransformer(build, fit_kwargs={**FIT, "epochs": 30}).fit(X, Y)
    out = trs.transform(X)
    w1, b1 = trs.model_.get_layer("hidden").get_weights()
    w2, b2 = trs.model_.get_layer("features").get_weights()
    np.testing.assert_allclose(out, np.maximum(X @ w1 + b1, 0) @ w2 + b2, rtol=1e-4,
                               atol=1e-4)
    assert np.mean((out - Y) ** 2) < 0.05  # the features learned the 2-D code
    assert trs.fit_transform(X, Y).shape == (len(X), 2)


def test_get_set_params_and_fit_kwargs_precedence(blobs):
    from kfront.wrappers import SKLearnClassifier
    X, y = blobs
    clf = SKLearnClassifier(build_classifier, model_kwargs={"units": 4},
                            fit_kwargs={"epochs": 3, "verbose": 0})
    assert clf.get_params() == {"model": build_classifier, "warm_start": False,
                                "model_kwargs": {"units": 4},
                                "fit_kwargs": {"epochs": 3, "verbose": 0}}
    clf.set_params(model_kwargs={"units": 5})
    clf.fit(X, y, epochs=2)
    assert clf.epoch_ == 2
    assert clf.fit_kwargs == {"epochs": 3, "verbose": 0}  # not changed by fit's kwargs
    assert clf.model_.layers[0].units == 5


def test_clone_and_pickle_round_trip(blobs):
    from sklearn.base import clone

    from kfront.wrappers import SKLearnClassifier
    X, y = blobs
    clf = SKLearnClassifier(build_classifier, model_kwargs={"units": 8}, fit_kwargs=FIT)
    copy = clone(clf)
    assert copy is not clf and copy.get_params() == clf.get_params()
    assert not hasattr(copy, "model_")
    clf.fit(X, y)
    restored = pickle.loads(pickle.dumps(clf))
    np.testing.assert_allclose(restored.predict_proba(X), clf.predict_proba(X), atol=1e-6)
    np.testing.assert_array_equal(restored.predict(X), clf.predict(X))
    np.testing.assert_array_equal(restored.classes_, clf.classes_)
    assert restored.history_.history.keys() == clf.history_.history.keys()
    restored.fit(X, y, epochs=1)  # the restored model is compiled and trains on


def test_pickle_unfitted_wrapper_of_model_instance(linear):
    from kfront.wrappers import SKLearnRegressor
    X, y = linear
    reg = SKLearnRegressor(build_regressor(X, y), fit_kwargs={**FIT, "epochs": 1})
    restored = pickle.loads(pickle.dumps(reg))
    restored.fit(X, y)
    assert restored.predict(X).shape == y.shape


def test_clone_copies_kwargs_and_keeps_the_given_model(linear):
    from sklearn.base import clone

    from kfront.wrappers import SKLearnRegressor
    X, y = linear
    model = build_regressor(X, y)
    reg = SKLearnRegressor(model, fit_kwargs={"epochs": 1})
    copy = clone(reg)
    assert copy.model is model
    assert copy.fit_kwargs == reg.fit_kwargs and copy.fit_kwargs is not reg.fit_kwargs
