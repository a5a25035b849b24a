"""A small regression model and data shared by the input-form tests."""
import numpy as np

import kfront
from kfront import layers, optimizers

RNG = np.random.default_rng(3)
N = 40  # batches of 16, 16 and a partial 8
X = RNG.normal(size=(N, 5)).astype("float32")
Y = (X @ np.linspace(-1.0, 1.0, 5, dtype="float32")[:, None]).astype("float32")
SW = RNG.uniform(0.5, 2.0, size=(N,)).astype("float32")
BATCH = 16


def small_model():
    kfront.utils.set_random_seed(11)
    model = kfront.Sequential([layers.Dense(3, activation="tanh", input_shape=(5,)),
                               layers.Dense(1)])
    # Plain SGD keeps no state but the step count: resetting the weights resets training.
    model.compile(optimizer=optimizers.SGD(0.1), loss="mse")
    return model


def batches(with_weights=False):
    for start in range(0, N, BATCH):
        part = slice(start, start + BATCH)
        batch = (X[part], Y[part])
        yield batch + (SW[part],) if with_weights else batch


class Trainer:
    """Trains the one compiled model from the same initial weights for each input form."""

    def __init__(self):
        self.model = small_model()
        self.model.build((None, 5))
        self.initial = self.model.get_weights()

    def weights_after(self, *args, **kwargs):
        self.model.set_weights(self.initial)
        kwargs.setdefault("epochs", 2)
        kwargs.setdefault("verbose", 0)
        self.model.fit(*args, **kwargs)
        return self.model.get_weights()
