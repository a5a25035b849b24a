"""``compile(run_eagerly=True)``: the step runs as plain Python (no jax.jit/tf.function)."""
import numpy as np

import kfront
from kfront import layers, optimizers
from trainer_helpers import BACKEND, X, Y_REGRESSION


class CountingDense(layers.Dense):
    """A Dense layer that counts how often its Python ``call`` runs."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.calls = 0

    def call(self, inputs):
        self.calls += 1
        return super().call(inputs)


def _model(**compile_kwargs):
    kfront.utils.set_random_seed(0)
    layer = CountingDense(1)
    m = kfront.Sequential([kfront.Input(shape=(5,)), layer])
    m.compile(optimizer=optimizers.SGD(0.05), loss="mse", **compile_kwargs)
    m.predict(X[:2], verbose=0)
    return m, layer


def test_run_eagerly_runs_call_on_every_step():
    m, layer = _model(run_eagerly=True)
    m.train_on_batch(X[:16], Y_REGRESSION[:16])  # builds the compiled loss first
    before = layer.calls
    m.fit(X, Y_REGRESSION, batch_size=16, epochs=2, shuffle=False, verbose=0)  # 8 steps
    assert layer.calls - before == 8
    m.evaluate(X, Y_REGRESSION, batch_size=32, verbose=0)  # 2 steps
    assert layer.calls - before == 10


def test_run_eagerly_trains_like_the_compiled_step():
    eager, _ = _model(run_eagerly=True)
    compiled, layer = _model()
    he = eager.fit(X, Y_REGRESSION, batch_size=16, epochs=2, shuffle=False, verbose=0)
    before = layer.calls
    hc = compiled.fit(X, Y_REGRESSION, batch_size=16, epochs=2, shuffle=False, verbose=0)
    np.testing.assert_allclose(he.history["loss"], hc.history["loss"], rtol=1e-5)
    for a, b in zip(eager.weights, compiled.weights):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-5, atol=1e-7)
    if BACKEND != "torch":
        # Compiled steps run `call` only while tracing, not once per step.
        assert layer.calls - before < 8


def test_switching_run_eagerly_after_compile_takes_effect():
    m, layer = _model()
    m.fit(X, Y_REGRESSION, batch_size=32, epochs=1, verbose=0)
    m.run_eagerly = True
    before = layer.calls
    m.fit(X, Y_REGRESSION, batch_size=32, epochs=1, verbose=0)
    assert layer.calls - before == 2
