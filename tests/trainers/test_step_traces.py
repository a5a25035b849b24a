"""Compiled steps are traced once per batch shape and kept: not per epoch, not per ``fit``.

A layer counts the times its Python ``call`` runs; inside a ``jax.jit`` or ``tf.function``
step that is once per trace. (torch's compiled steps are counted in test_torch_compile.py.)
"""
import os

import numpy as np
import pytest

BACKEND = os.environ.get("KFRONT_BACKEND", "torch")
pytestmark = pytest.mark.skipif(BACKEND == "torch",
                                reason="torch steps run eagerly unless jit_compile=True")

import kfront  # noqa: E402
from kfront import layers  # noqa: E402

RNG = np.random.default_rng(0)
X = RNG.normal(size=(100, 4)).astype("float32")  # batches of 32: three full, one of 4
Y = RNG.normal(size=(100, 1)).astype("float32")
VAL = (X[:50], Y[:50])  # validation batches of 32 and 18


class Counting(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.calls = 0

    def call(self, x):
        self.calls += 1
        return x


def _model():
    counter = Counting()
    model = kfront.Sequential([kfront.Input((4,)), counter, layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    counter.calls = 0  # building the model called it symbolically
    return model, counter


def test_steps_are_traced_once_per_batch_shape_and_kept_across_fit_calls():
    model, counter = _model()
    model.fit(X, Y, batch_size=32, epochs=3, validation_data=VAL, verbose=0)
    # One eager call builds the loss and metrics; then one train trace per batch shape
    # (32 and 4) and one validation trace per batch shape (32 and 18), for all 3 epochs.
    assert counter.calls == 1 + 2 + 2
    counter.calls = 0
    model.fit(X, Y, batch_size=32, epochs=2, validation_data=VAL, verbose=0)
    assert counter.calls == 0
    model.evaluate(X[:64], Y[:64], batch_size=32, verbose=0)  # the validation trace
    assert counter.calls == 0
    model.predict(X, batch_size=32, verbose=0)
    model.predict(X, batch_size=32, verbose=0)
    assert counter.calls == 2  # predict steps for 32 and 4, traced once


def test_recompiling_the_model_traces_its_steps_again():
    model, counter = _model()
    model.fit(X[:64], Y[:64], batch_size=32, epochs=1, verbose=0)
    counter.calls = 0
    model.compile(optimizer="sgd", loss="mse")
    model.fit(X[:64], Y[:64], batch_size=32, epochs=1, verbose=0)
    assert counter.calls == 1 + 1  # the new loss is built eagerly, then one train trace
