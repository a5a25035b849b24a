"""Files written by Keras 3 (.keras, .weights.h5) and tf.keras (.h5) load and match."""
import os

import numpy as np
import pytest

import kfront as keras
from saving_models import finish_python, start_python

_KERAS3 = r'''
import os, sys
os.environ["KERAS_BACKEND"] = "numpy"
import numpy as np
import keras
keras.utils.set_random_seed(0)
d = sys.argv[1] if len(sys.argv) > 1 else DIR
x = np.random.default_rng(0).normal(size=(6, 4)).astype("float32")
np.save(os.path.join(d, "x.npy"), x)
inp = keras.Input((4,), name="x")
a = keras.layers.Dense(5, activation="relu", kernel_initializer="he_normal")(inp)
b = keras.layers.Dense(5, activation="tanh")(inp)
h = keras.layers.Concatenate()([a, b])
h = keras.layers.BatchNormalization(
    moving_mean_initializer=keras.initializers.RandomNormal(seed=1),
    moving_variance_initializer="ones")(h)
h = keras.layers.Dropout(0.2)(h)
out = keras.layers.Dense(3, activation="softmax")(keras.layers.Add()([h, keras.layers.Dense(10)(h)]))
f = keras.Model(inp, out)
f.compile("adam", "categorical_crossentropy", metrics=["accuracy"])
f.save(os.path.join(d, "functional.keras"))
np.save(os.path.join(d, "functional.npy"), f.predict(x, verbose=0))
s = keras.Sequential([keras.Input((4,)), keras.layers.Dense(6, activation="sigmoid"),
                      keras.layers.LayerNormalization(), keras.layers.Dense(2)])
s.save(os.path.join(d, "sequential.keras"))
s.save_weights(os.path.join(d, "sequential.weights.h5"))
np.save(os.path.join(d, "sequential.npy"), s.predict(x, verbose=0))
# The other direction: a file kfront wrote.
k = keras.saving.load_model(os.path.join(d, "kfront.keras"))
np.save(os.path.join(d, "kfront_in_keras.npy"), k.predict(x, verbose=0))
'''

_TF_KERAS = r'''
import os
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import numpy as np
import tf_keras as keras
d = DIR
x = np.random.default_rng(0).normal(size=(6, 4)).astype("float32")
inp = keras.Input((4,))
h = keras.layers.Dense(5, activation="relu")(inp)
h = keras.layers.Concatenate()([h, keras.layers.Dense(3)(inp)])
h = keras.layers.BatchNormalization()(h)
out = keras.layers.Dense(2, activation="softmax")(h)
f = keras.Model(inp, out)
f.compile("adam", "mse", metrics=["mae"])
rng = np.random.default_rng(1)
f.set_weights([rng.uniform(0.5, 1.5, w.shape).astype("float32") for w in f.get_weights()])
f.save(os.path.join(d, "tfk_functional.h5"))
np.save(os.path.join(d, "tfk_functional.npy"), f.predict(x, verbose=0))
s = keras.Sequential([keras.layers.Dense(3, input_shape=(4,), activation="tanh"),
                      keras.layers.Dense(1)])
s.save(os.path.join(d, "tfk_sequential.h5"))
s.save_weights(os.path.join(d, "tfk_sequential_weights.h5"))
np.save(os.path.join(d, "tfk_sequential.npy"), s.predict(x, verbose=0))
'''


def _has(module):
    import importlib.util
    return importlib.util.find_spec(module) is not None


def _require(module):
    # Found, not imported: the real packages are only ever run in subprocesses.
    if not _has(module):
        pytest.skip(f"{module} is not installed")


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = str(tmp_path_factory.mktemp("interop"))
    from saving_models import functional_model
    model = functional_model()
    model.compile("adam", "mse", metrics=["mae"])
    model.save(os.path.join(d, "kfront.keras"))
    np.save(os.path.join(d, "kfront.npy"),
            keras.ops.convert_to_numpy(model(_x(d), training=False)))
    procs = []
    if _has("keras"):
        procs.append(start_python(_KERAS3.replace("DIR", repr(d))))
    if _has("tf_keras"):
        procs.append(start_python(_TF_KERAS.replace("DIR", repr(d))))
    for proc in procs:
        finish_python(proc, timeout=180)
    return d


def _x(d):
    return np.random.default_rng(0).normal(size=(6, 4)).astype("float32")


def _check(model, d, name):
    got = keras.ops.convert_to_numpy(model(_x(d), training=False))
    # 1e-5 relative: engines round LayerNormalization's variance differently.
    np.testing.assert_allclose(got, np.load(os.path.join(d, f"{name}.npy")), rtol=1e-5,
                               atol=1e-5)


def test_keras3_functional_archive(files):
    _require("keras")
    model = keras.models.load_model(os.path.join(files, "functional.keras"))
    _check(model, files, "functional")
    assert type(model.optimizer).__name__ == "Adam"
    assert any(isinstance(layer, keras.layers.BatchNormalization) for layer in model.layers)


def test_keras3_sequential_archive_and_weights(files):
    _require("keras")
    model = keras.models.load_model(os.path.join(files, "sequential.keras"))
    _check(model, files, "sequential")
    fresh = keras.Sequential([keras.Input((4,)), keras.layers.Dense(6, activation="sigmoid"),
                              keras.layers.LayerNormalization(), keras.layers.Dense(2)])
    fresh.load_weights(os.path.join(files, "sequential.weights.h5"))
    _check(fresh, files, "sequential")


def test_tf_keras_h5_models_and_weights(files):
    _require("tf_keras")
    model = keras.models.load_model(os.path.join(files, "tfk_functional.h5"))
    _check(model, files, "tfk_functional")
    assert model.compiled and type(model.optimizer).__name__ == "Adam"
    seq = keras.models.load_model(os.path.join(files, "tfk_sequential.h5"))
    _check(seq, files, "tfk_sequential")
    fresh = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="tanh"),
                              keras.layers.Dense(1)])
    fresh.load_weights(os.path.join(files, "tfk_sequential_weights.h5"))
    _check(fresh, files, "tfk_sequential")


def test_kfront_files_load_in_keras3(files):
    """The other direction: Keras 3 reads a .keras file kfront wrote."""
    _require("keras")
    np.testing.assert_allclose(np.load(os.path.join(files, "kfront_in_keras.npy")),
                               np.load(os.path.join(files, "kfront.npy")), atol=1e-5)
