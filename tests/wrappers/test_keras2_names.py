"""The Keras 2 names keras.wrappers.scikit_learn.KerasClassifier / KerasRegressor."""
import numpy as np
import pytest


def _keras2_build(units=16):
    # Keras 2 style: no X / y; the input size is fixed by the caller.
    import kfront as keras
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(units, activation="relu"),
                              keras.layers.Dense(3, activation="softmax")])
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss="categorical_crossentropy")
    return model


def test_keras_classifier_builds_sklearn_classifier(blobs):
    from kfront.wrappers import SKLearnClassifier
    from kfront.wrappers.scikit_learn import KerasClassifier
    X, y = blobs
    with pytest.warns(DeprecationWarning, match=r"write kfront.wrappers.SKLearnClassifier\("
                                                r"model=build_fn, model_kwargs=\{'units': 8\}"):
        clf = KerasClassifier(build_fn=_keras2_build, units=8, epochs=40, batch_size=32,
                              verbose=0)
    assert isinstance(clf, SKLearnClassifier)
    assert clf.model_kwargs == {"units": 8}
    assert clf.fit_kwargs == {"epochs": 40, "batch_size": 32, "verbose": 0}
    clf.fit(X, y)
    assert clf.score(X, y) >= 0.95
    assert clf.model_.layers[0].units == 8


def test_keras_regressor_builds_sklearn_regressor(linear):
    import kfront as keras
    from kfront.wrappers import SKLearnRegressor
    from kfront.wrappers.scikit_learn import KerasRegressor
    X, y = linear

    def build(X, y):  # a build_fn naming X and y gets them
        model = keras.Sequential([keras.Input((X.shape[1],)), keras.layers.Dense(1)])
        model.compile(optimizer=keras.optimizers.Adam(0.1), loss="mse")
        return model

    with pytest.warns(DeprecationWarning, match=r"SKLearnRegressor"):
        reg = KerasRegressor(build, epochs=60, verbose=0)
    assert isinstance(reg, SKLearnRegressor)
    assert np.mean((reg.fit(X, y).predict(X) - y) ** 2) < 0.05 * np.var(y)


def test_keras2_unknown_argument_and_missing_build_fn():
    from kfront.wrappers.scikit_learn import KerasClassifier, KerasRegressor
    with pytest.raises(ValueError, match=r"KerasClassifier: unknown argument 'nb_epoch': it is "
                                         r"neither an argument of `build_fn` \(\['units'\]\)"):
        KerasClassifier(_keras2_build, nb_epoch=3)
    with pytest.raises(TypeError, match=r"KerasRegressor: `build_fn` must be a callable"):
        KerasRegressor(epochs=3)


def test_keras2_sparse_loss_is_refused(blobs):
    import kfront as keras
    from kfront.wrappers.scikit_learn import KerasClassifier
    X, y = blobs

    def build():
        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        return model

    with pytest.warns(DeprecationWarning):
        clf = KerasClassifier(build, epochs=1)
    with pytest.raises(ValueError, match=r"loss must take one-hot targets"):
        clf.fit(X, y)


def test_keras2_wrapper_clones(blobs):
    from sklearn.base import clone

    from kfront.wrappers.scikit_learn import KerasClassifier
    with pytest.warns(DeprecationWarning):
        clf = KerasClassifier(_keras2_build, units=4, epochs=1)
    assert clone(clf).get_params() == clf.get_params()
