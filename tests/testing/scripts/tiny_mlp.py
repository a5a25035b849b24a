"""A short stand-in for examples/digits_mlp.py: fit, evaluate and one recorded prediction.
With ``--diverge`` it also records a number that depends on the backend."""
import sys

import numpy as np

import kfront as keras
from kfront import testing

keras.utils.set_random_seed(7)
x = np.random.default_rng(0).normal(size=(64, 8)).astype("float32")
y = (x.sum(axis=1) > 0).astype("int32")
model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(8, activation="relu"),
                          keras.layers.Dense(2, activation="softmax")])
model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(x, y, batch_size=16, epochs=2, verbose=0)
model.evaluate(x, y, verbose=0)
testing.record("probs", model.predict(x[:4], verbose=0))
if "--diverge" in sys.argv[1:]:
    testing.record("engine_number", {"torch": 1.0, "jax": 2.0, "tensorflow": 3.0}[
        keras.backend.backend()])
