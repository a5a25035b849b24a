"""Shared pieces for the callback tests (imported by them; not a test module): one tiny regression problem and model shape, so
each backend compiles few step functions."""
import numpy as np

import kfront


def make_data(n=32, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, size=(n, 3)).astype("float32")
    y = (x @ np.array([[1.0], [-2.0], [0.5]], "float32") + 0.3).astype("float32")
    return x, y


def make_model(optimizer=None, seed=1, metrics=None):
    """A built, compiled ``Dense(1)`` on 3 features."""
    kfront.utils.set_random_seed(seed)
    model = kfront.Sequential([kfront.layers.Input((3,)), kfront.layers.Dense(1)])
    model.compile(optimizer=optimizer or kfront.optimizers.SGD(0.1), loss="mse",
                  metrics=metrics)
    return model


class WeightsRecorder(kfront.callbacks.Callback):
    """Keeps a copy of the weights at the end of every epoch."""

    def __init__(self):
        super().__init__()
        self.weights = []

    def on_epoch_end(self, epoch, logs=None):
        self.weights.append([np.array(w) for w in self.model.get_weights()])


class ScriptedLogs(kfront.callbacks.Callback):
    """Writes ``values[epoch]`` into the epoch logs under ``key`` (placed before the
    callback under test, which sees the same logs dict)."""

    def __init__(self, key, values):
        super().__init__()
        self.key, self.values = key, values

    def on_epoch_end(self, epoch, logs=None):
        logs[self.key] = self.values[epoch]

