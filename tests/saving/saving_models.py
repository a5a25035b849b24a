"""Models, data and a subprocess runner shared by the saving tests."""
import os
import subprocess
import sys

import numpy as np

import kfront as keras

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def functional_model():
    inp = keras.Input((4,), name="x")
    a = keras.layers.Dense(5, activation="relu", name="d1")(inp)
    b = keras.layers.Dense(3, activation="tanh", name="d2")(inp)
    c = keras.layers.Concatenate(name="cat")([a, b])
    out = keras.layers.Dense(2, name="out")(keras.layers.Dropout(0.25, seed=3, name="drop")(c))
    return keras.Model(inp, out, name="net")


def sequential_model():
    return keras.Sequential([keras.Input((4,)), keras.layers.Dense(6, activation="relu"),
                             keras.layers.Dense(2)], name="seq")


def call(model, x):
    """The model's inference output as NumPy (a direct call: nothing to compile)."""
    return keras.ops.convert_to_numpy(model(x, training=False))


def data(n=16, seed=0):
    rng = np.random.default_rng(seed)
    return (rng.normal(size=(n, 4)).astype("float32"),
            rng.normal(size=(n, 2)).astype("float32"))


def start_python(code, backend=None):
    """Starts ``code`` in a fresh interpreter (a backend is chosen once per process)."""
    env = dict(os.environ, OMP_NUM_THREADS="1", TF_CPP_MIN_LOG_LEVEL="3",
               PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    if backend:
        env["KFRONT_BACKEND"] = backend
    return subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=ROOT)


def finish_python(proc, timeout=120):
    """Waits for a ``start_python`` process; its stdout, or an AssertionError."""
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise AssertionError("subprocess timed out") from None
    if proc.returncode != 0:
        raise AssertionError(f"subprocess failed:\n{out[-3000:]}\n{err[-3000:]}")
    return out


def run_python(code, backend=None, timeout=120):
    return finish_python(start_python(code, backend), timeout)


def portable_model():
    """A model with trainable weights, BatchNorm statistics and Adam slots."""
    keras.utils.set_random_seed(42)
    inp = keras.Input((4,), name="x")
    h = keras.layers.Dense(8, activation="relu", name="h")(inp)
    h = keras.layers.BatchNormalization(name="bn")(h)
    model = keras.Model(inp, keras.layers.Dense(2, name="out")(h), name="portable")
    # Eager steps on torch and TF (compiling costs more than these few steps); JAX is
    # slow op by op, so it compiles.
    model.compile(optimizer="adam", loss="mse", metrics=["mae"],
                  jit_compile=keras.backend.backend() == "jax")
    return model


def portable_run(directory):
    """Trains one epoch, saves ``<backend>.kfront``, then records predictions and the
    weights after one more epoch in ``<backend>.npz``."""
    backend = keras.backend.backend()
    x, y = data(32, seed=5)
    model = portable_model()
    model.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0)
    model.save(os.path.join(directory, f"{backend}.kfront"))
    pred = keras.ops.convert_to_numpy(model(x, training=False))
    model.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0)
    np.savez(os.path.join(directory, f"{backend}.npz"), pred=pred,
             *[np.asarray(w) for w in model.get_weights()])
