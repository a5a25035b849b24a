"""The activations Keras 3 added (celu, glu, shrinks, sparse ones, squareplus, threshold):
arguments, use by name in layers, serialization, against the installed Keras."""
import warnings

import numpy as np
import pytest

import kfront as keras
from kfront import layers

NEW = ["celu", "glu", "hard_shrink", "hard_tanh", "soft_shrink", "sparse_plus",
       "sparse_sigmoid", "sparsemax", "squareplus", "tanh_shrink", "threshold"]
X = np.linspace(-3, 3, 24, dtype="float32").reshape(3, 8)


def to_np(x):
    return np.asarray(keras.ops.convert_to_numpy(x))


@pytest.fixture(scope="module")
def reference():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import keras as reference
    return reference.activations


@pytest.mark.parametrize("name, kwargs", [
    ("celu", {}), ("celu", {"alpha": 0.5}), ("glu", {}), ("glu", {"axis": 0}),
    ("hard_shrink", {}), ("hard_shrink", {"threshold": 1.5}), ("hard_tanh", {}),
    ("soft_shrink", {}), ("soft_shrink", {"threshold": 2.0}), ("sparse_plus", {}),
    ("sparse_sigmoid", {}), ("squareplus", {}), ("squareplus", {"b": 1}), ("tanh_shrink", {}),
    ("threshold", {"threshold": 0.5, "default_value": 9.0}),
    # Keras 3.15's sparsemax agrees with the definition only while one entry dominates
    # each slice: with a larger support its threshold is off and rows no longer sum to 1.
    ("sparsemax", {}),
])
def test_matches_keras(reference, name, kwargs):
    # Sparsemax: steps of 1.3 leave one entry per row in the support (see test below).
    x = {"sparsemax": X * 5, "glu": X[:2]}.get(name, X)
    want = np.asarray(getattr(reference, name)(x, **kwargs))
    got = to_np(getattr(keras.activations, name)(x, **kwargs))
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def test_sparsemax_sums_to_one_along_axis():
    out = to_np(keras.activations.sparsemax(X / 4, axis=0))
    np.testing.assert_allclose(out.sum(0), 1.0, rtol=1e-6)


@pytest.mark.parametrize("name", [n for n in NEW if n not in ("threshold", "glu")])
def test_dense_takes_the_activation_by_name(name):
    layer = layers.Dense(4, activation=name, kernel_initializer="ones", bias_initializer="zeros")
    out = to_np(layer(X[:, :2]))
    want = to_np(keras.activations.get(name)(X[:, :2].sum(1, keepdims=True) * np.ones((1, 4),
                                                                                     "float32")))
    np.testing.assert_allclose(out, want, rtol=1e-6)
    assert layer.get_config()["activation"] == name


@pytest.mark.parametrize("name", NEW)
def test_serialize_round_trip(name):
    fn = keras.activations.get(name)
    assert keras.activations.serialize(fn) == name
    assert keras.activations.deserialize(name) is fn


def test_model_with_new_activations_saves_and_loads(tmp_path):
    model = keras.Sequential([keras.Input((8,)), layers.Dense(6, activation="celu"),
                              layers.Dense(4, activation="sparse_plus"),
                              layers.Activation("sparsemax")])
    path = tmp_path / "act.keras"
    model.save(path)
    loaded = keras.models.load_model(path)
    np.testing.assert_allclose(to_np(loaded(X)), to_np(model(X)), rtol=1e-6)
    assert loaded.layers[0].get_config()["activation"] == "celu"


def test_threshold_needs_its_arguments():
    with pytest.raises(TypeError, match="threshold"):
        keras.activations.threshold(X)


def test_glu_odd_axis_errors():
    with pytest.raises(ValueError, match=r"divisible by 2.*axis=0"):
        keras.activations.glu(X, axis=0)
