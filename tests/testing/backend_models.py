"""Functions that ``assert_backends_agree`` imports by name in its child processes."""
import numpy as np


def dense_forward(seed):
    """A seeded Dense layer on fixed inputs: the same numbers on every backend."""
    import kfront as keras
    keras.utils.set_random_seed(seed)
    layer = keras.layers.Dense(3, activation="tanh")
    x = np.linspace(-1, 1, 8, dtype="float32").reshape(2, 4)
    return {"out": layer(x), "kernel": layer.kernel}

