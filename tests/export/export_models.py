"""The models the export tests export, their inputs, and one runner per artifact format
(each in the engine that serves that format)."""
import numpy as np
import pytest

import kfront as keras

def slow_on(*backends):
    """``slow`` on the given backends (where the check runs in a child process and another
    default check covers the route), a no-op mark elsewhere."""
    slow = keras.config.backend() in backends
    return pytest.mark.slow if slow else pytest.mark.skipif(False, reason="not slow here")


SUFFIX = {"tf_saved_model": "", "onnx": ".onnx", "torch": ".pt2"}


def mlp():
    inputs = keras.Input((6,))
    x = keras.layers.Dense(16, activation="relu")(inputs)
    return keras.Model(inputs, keras.layers.Dense(3)(x))


def convnet():
    return keras.Sequential([
        keras.Input((10, 10, 3)),
        keras.layers.Conv2D(4, 3, activation="relu"),
        keras.layers.MaxPooling2D(2),
        keras.layers.Flatten(),
        keras.layers.Dense(2),
    ])


def lstm():
    inputs = keras.Input((5, 3))
    x = keras.layers.LSTM(4)(inputs)
    return keras.Model(inputs, keras.layers.Dense(2)(x))


def two_inputs():
    a, b = keras.Input((4,), name="a"), keras.Input((3,), name="b")
    x = keras.layers.Concatenate()([keras.layers.Dense(5)(a), b])
    return keras.Model([a, b], keras.layers.Dense(2, activation="tanh")(x))


MODELS = {"mlp": mlp, "convnet": convnet, "lstm": lstm, "two_inputs": two_inputs}


def batch(name, n, seed=0):
    """Model ``name``'s positional arguments for a batch of ``n`` samples."""
    rng = np.random.default_rng(seed)
    shapes = {"mlp": [(6,)], "convnet": [(10, 10, 3)], "lstm": [(5, 3)],
              "two_inputs": [[(4,), (3,)]]}[name]

    def make(shape):
        return rng.normal(size=(n,) + shape).astype("float32")
    return [[make(s) for s in arg] if isinstance(arg, list) else make(arg) for arg in shapes]


def _flat(args):
    out = []
    for a in args:
        out.extend(a if isinstance(a, list) else [a])
    return out


def run_artifact(fmt, path, args):
    """Runs an exported artifact on NumPy positional arguments; a NumPy output."""
    if fmt == "tf_saved_model":
        import tensorflow as tf
        loaded = tf.saved_model.load(path)  # kept: `serve` reads the variables it owns
        return np.asarray(loaded.serve(*args))
    if fmt == "onnx":
        import onnxruntime
        session = onnxruntime.InferenceSession(path, providers=["CPUExecutionProvider"])
        names = [i.name for i in session.get_inputs()]
        return session.run(None, dict(zip(names, _flat(args))))[0]
    import torch
    program = torch.export.load(path).module()
    with torch.no_grad():
        return program(*[torch.from_numpy(a) for a in _flat(args)]).numpy()


def check_export(model_name, fmt, tmp_path):
    """Exports a seeded model in ``fmt``, then serves batches of 7 and 1: both must equal
    ``model.predict`` to 1e-5."""
    keras.utils.set_random_seed(7)
    model = MODELS[model_name]()
    path = str(tmp_path / f"{model_name}{SUFFIX[fmt]}")
    model.export(path, format=fmt, verbose=False)
    for n in (7, 1):
        args = batch(model_name, n)
        expected = model.predict(args[0] if len(args) == 1 else args, verbose=0)
        served = run_artifact(fmt, path, args)
        assert served.shape == expected.shape
        np.testing.assert_allclose(served, expected, rtol=0, atol=1e-5)
