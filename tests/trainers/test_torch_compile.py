"""``compile(jit_compile=True)`` on torch: whole steps under ``torch.compile``."""
import os
import warnings

import numpy as np
import pytest

BACKEND = os.environ.get("KFRONT_BACKEND", "torch")
pytestmark = pytest.mark.skipif(BACKEND != "torch", reason="torch.compile is torch's")

import kfront  # noqa: E402
from kfront import layers, optimizers  # noqa: E402

RNG = np.random.default_rng(0)
# 20 full batches of 16 and a last one of 5: the partial batch must reuse the graph.
X = RNG.normal(size=(325, 12)).astype("float32")
Y = RNG.integers(0, 3, size=(325,))


def _mlp(jit_compile, metrics=None):
    kfront.utils.set_random_seed(1)
    model = kfront.Sequential([kfront.Input((12,)), layers.Dense(16, activation="relu"),
                               layers.Dense(3)])
    model.compile(optimizer=optimizers.Adam(0.01),
                  loss=kfront.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=metrics, jit_compile=jit_compile)
    return model


class _Losses(kfront.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.losses = []

    def on_train_batch_end(self, batch, logs=None):
        self.losses.append(float(logs["loss"]))


def _curve(model):
    seen = _Losses()
    model.fit(X, Y, batch_size=16, epochs=1, shuffle=False, verbose=0, callbacks=[seen])
    return np.array(seen.losses)


def test_a_dense_train_step_compiles_with_no_graph_break():
    import torch
    model = _mlp(jit_compile=False, metrics=["accuracy"])
    model.fit(X[:16], Y[:16], batch_size=16, verbose=0)  # builds model, optimizer, metrics
    batch = (torch.from_numpy(X[:16]), torch.from_numpy(Y[:16]))
    with torch._dynamo.config.patch(trace_autograd_ops=True), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        explained = torch._dynamo.explain(model.train_step)(batch)
    assert [r.reason.splitlines()[0] for r in explained.break_reasons] == []
    assert explained.graph_count == 1


@pytest.mark.slow
def test_compiled_steps_match_eager_and_compile_once():
    import torch
    from torch._dynamo.utils import counters
    eager = _mlp(jit_compile=False, metrics=["accuracy"])
    torch._dynamo.reset()
    counters.clear()
    compiled = _mlp(jit_compile=True, metrics=["accuracy"])
    with warnings.catch_warnings():
        # No fallback warning: the compiler ran.
        warnings.filterwarnings("error", message="jit_compile=True")
        curve = _curve(compiled)
    reference = _curve(eager)
    assert len(curve) == 21
    np.testing.assert_allclose(curve, reference, rtol=0, atol=1e-5)
    # One train graph for the 20 full batches and the partial last one.
    assert counters["stats"]["unique_graphs"] == 1
    for a, b in zip(compiled.get_weights(), eager.get_weights()):
        np.testing.assert_allclose(a, b, atol=1e-5)
    # Test and predict steps are compiled too, and agree.
    np.testing.assert_allclose(compiled.evaluate(X, Y, batch_size=64, verbose=0),
                               eager.evaluate(X, Y, batch_size=64, verbose=0), atol=1e-5)
    np.testing.assert_allclose(compiled.predict(X, batch_size=64, verbose=0),
                               eager.predict(X, batch_size=64, verbose=0), atol=1e-5)
    graphs = counters["stats"]["unique_graphs"]
    assert graphs == 3
    # A second fit reuses the compiled steps.
    _curve(compiled)
    assert counters["stats"]["unique_graphs"] == graphs


def test_without_a_c_compiler_the_steps_run_eagerly_with_a_warning(monkeypatch):
    from kfront.backends.torch import compiled_step
    monkeypatch.setattr(compiled_step, "compiler_unavailable",
                        lambda: "no C compiler on PATH")
    model = _mlp(jit_compile=True)
    with pytest.warns(RuntimeWarning, match="torch.compile is unavailable "
                                            r"\(no C compiler on PATH\); the steps run eagerly"):
        curve = _curve(model)
    np.testing.assert_allclose(curve, _curve(_mlp(jit_compile=False)), atol=1e-6)


def test_a_compiler_failure_falls_back_to_eager_once(monkeypatch):
    import torch
    from kfront.backends.torch import compiled_step

    class Broken(Exception):
        pass

    calls = []

    def broken_compile(fn, **kwargs):
        assert kwargs == {"dynamic": True}

        def run(data):
            calls.append(1)
            raise Broken("inductor: cannot build kernel")
        return run

    monkeypatch.setattr(torch, "compile", broken_compile)
    monkeypatch.setattr(compiled_step, "_compiler_errors", lambda: (Broken,))
    model = _mlp(jit_compile=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        curve = _curve(model)
    said = [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)]
    assert said == ["jit_compile=True: torch.compile is unavailable (Broken: inductor: "
                    "cannot build kernel); the steps run eagerly."]
    assert calls == [1]  # tried once, then eager for the rest of the epoch
    np.testing.assert_allclose(curve, _curve(_mlp(jit_compile=False)), atol=1e-6)


def test_auto_means_eager_on_torch():
    assert _mlp(jit_compile="auto").jit_compile is False
    assert _mlp(jit_compile=True).jit_compile is True
