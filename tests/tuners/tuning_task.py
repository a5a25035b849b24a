"""A small regression whose best learning rate is known, for the tuner tests."""
import numpy as np

import kfront as keras

rng = np.random.default_rng(0)
X = rng.normal(size=(256, 8)).astype("float32")
W = rng.normal(size=(8, 1)).astype("float32")
# The noise floor (0.25) keeps the best score away from zero, so "within 5%" means something.
Y = (X @ W + 0.5 * rng.normal(size=(256, 1))).astype("float32")
GRID = [1e-3, 3e-3, 1e-2, 3e-2, 1e-1, 3e-1]
FIT = dict(epochs=4, batch_size=32, validation_split=0.25, shuffle=False, verbose=0)


def build(hp):
    model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(1)])
    model.compile(keras.optimizers.SGD(hp.Float("lr", 1e-3, 0.3, sampling="log")), "mse")
    return model


def grid_optimum():
    best = np.inf
    for i, lr in enumerate(GRID):
        keras.utils.set_random_seed(i)
        hp = keras.tuners.HyperParameters()
        hp.values["lr"] = lr
        hp.Float("lr", 1e-3, 0.3, sampling="log")
        history = build(hp).fit(X, Y, **FIT)
        best = min(best, min(history.history["val_loss"]))
    return best
