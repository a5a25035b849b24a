"""Optimizer state crosses the file boundary with Keras: a model trained by Keras 3 (.keras)
or tf.keras (.h5) continues training in kfront as it would have in Keras, and a model kfront
trained continues in Keras 3 as it would have in kfront."""
import os

import numpy as np
import pytest

import kfront as keras
from saving_models import finish_python, start_python

_REFERENCE = r'''
import os, sys
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
os.environ["KERAS_BACKEND"] = "tensorflow"
import numpy as np
d = DIR
x, y = np.load(os.path.join(d, "x.npy")), np.load(os.path.join(d, "y.npy"))

def save_continued(model, name):
    model.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0)
    np.savez(os.path.join(d, name), *model.get_weights())

if "KERAS3" in sys.argv:
    import keras
    keras.utils.set_random_seed(0)
    m = keras.Sequential([keras.Input((4,)), keras.layers.Dense(5, activation="tanh",
                          name="dense"), keras.layers.Dense(2, name="dense_1")])
    m.compile(keras.optimizers.Adam(0.05), "mse")
    m.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    m.save(os.path.join(d, "keras3.keras"))
    save_continued(m, "keras3_continued.npz")
    k = keras.saving.load_model(os.path.join(d, "kfront.keras"))
    np.save(os.path.join(d, "kfront_iterations_in_keras.npy"), k.optimizer.iterations.numpy())
    save_continued(k, "kfront_continued_in_keras.npz")
else:
    import tf_keras as keras
    keras.utils.set_random_seed(0)
    m = keras.Sequential([keras.layers.Dense(5, activation="tanh", input_shape=(4,),
                          name="dense"), keras.layers.Dense(2, name="dense_1")])
    m.compile(keras.optimizers.Adam(0.05), "mse")
    m.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    m.save(os.path.join(d, "tf_keras.h5"))
    save_continued(m, "tf_keras_continued.npz")
'''


def _has(module):
    import importlib.util
    return importlib.util.find_spec(module) is not None


def _model():
    keras.utils.set_random_seed(3)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(5, activation="tanh",
                                                                   name="dense"),
                              keras.layers.Dense(2, name="dense_1")])
    model.compile(keras.optimizers.Adam(0.05), "mse")
    return model


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    if not (_has("keras") and _has("tf_keras") and _has("tensorflow")):
        pytest.skip("needs keras, tf_keras and tensorflow")
    d = str(tmp_path_factory.mktemp("optimizer_interop"))
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(32, 4)).astype("float32"), rng.normal(size=(32, 2)).astype("float32")
    np.save(os.path.join(d, "x.npy"), x)
    np.save(os.path.join(d, "y.npy"), y)
    model = _model()
    model.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    model.save(os.path.join(d, "kfront.keras"))
    model.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0)
    np.savez(os.path.join(d, "kfront_continued.npz"), *model.get_weights())
    code = _REFERENCE.replace("DIR", repr(d))
    procs = [start_python(code.replace("sys.argv", "['KERAS3']")),
             start_python(code.replace("sys.argv", "['TF_KERAS']"))]
    for proc in procs:
        finish_python(proc, timeout=300)
    return d, x, y


def _continue(path, x, y):
    model = keras.models.load_model(path)
    assert int(model.optimizer.iterations.numpy()) == 8  # 2 epochs of 4 batches
    model.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0)
    return model.get_weights()


def _assert_weights(got, npz):
    with np.load(npz) as want:
        assert len(got) == len(want.files)
        for i, w in enumerate(got):
            np.testing.assert_allclose(w, want[f"arr_{i}"], rtol=1e-5, atol=1e-6)


def test_keras3_archive_continues_with_its_adam_state(files):
    d, x, y = files
    _assert_weights(_continue(os.path.join(d, "keras3.keras"), x, y),
                    os.path.join(d, "keras3_continued.npz"))


def test_tf_keras_h5_continues_with_its_adam_state(files):
    d, x, y = files
    _assert_weights(_continue(os.path.join(d, "tf_keras.h5"), x, y),
                    os.path.join(d, "tf_keras_continued.npz"))


def test_kfront_archive_continues_in_keras3(files):
    d, _, _ = files
    assert int(np.load(os.path.join(d, "kfront_iterations_in_keras.npy"))) == 8
    with np.load(os.path.join(d, "kfront_continued.npz")) as ours:
        _assert_weights([ours[k] for k in ours.files],
                        os.path.join(d, "kfront_continued_in_keras.npz"))


def test_without_state_training_would_differ(files):
    """The checks above have teeth: a fresh Adam on the same weights ends elsewhere."""
    d, x, y = files
    model = keras.models.load_model(os.path.join(d, "keras3.keras"))
    model.compile(keras.optimizers.Adam(0.05), "mse")
    model.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0)
    with np.load(os.path.join(d, "keras3_continued.npz")) as want:
        assert not np.allclose(model.get_weights()[0], want["arr_0"], rtol=1e-3)
