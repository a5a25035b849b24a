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


def _explain_one_graph(model, x, y):
    """Builds ``model`` with one fit batch, traces its train step with torch's explain and
    checks it is one graph with no break; returns the explanation."""
    import torch
    model.fit(x, y, batch_size=len(x), verbose=0)  # builds model, optimizer, metrics
    batch = (torch.from_numpy(x), torch.from_numpy(y))
    with torch._dynamo.config.patch(trace_autograd_ops=True), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        explained = torch._dynamo.explain(model.train_step)(batch)
    assert [r.reason.splitlines()[0] for r in explained.break_reasons] == []
    assert explained.graph_count == 1
    return explained


def test_a_dense_train_step_compiles_with_no_graph_break():
    model = _mlp(jit_compile=False, metrics=["accuracy"])
    _explain_one_graph(model, X[:16], Y[:16])


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


def _lstm_model(jit_compile):
    kfront.utils.set_random_seed(2)
    model = kfront.Sequential([kfront.Input((30,), dtype="int32"), layers.Embedding(50, 6),
                               layers.LSTM(5), layers.Dense(2)])
    model.compile(optimizer=optimizers.Adam(0.01),
                  loss=kfront.losses.SparseCategoricalCrossentropy(from_logits=True),
                  jit_compile=jit_compile)
    return model


LSTM_X = RNG.integers(0, 50, size=(53, 30)).astype("int32")
LSTM_Y = RNG.integers(0, 2, size=(53,))


def test_the_compiled_lstm_layer_runs_torch_lstm_kernels_and_gradients():
    import torch
    from kfront.backends.torch import rnn_compiled
    if not rnn_compiled.can_fuse_lstm(torch.zeros(1)):
        pytest.skip("torch was built without oneDNN")
    gen = torch.Generator().manual_seed(0)
    x = torch.randn(7, 3, 4, generator=gen)
    w_ih, w_hh = torch.randn(8, 4, generator=gen), torch.randn(8, 2, generator=gen)
    b_ih, b_hh = torch.randn(8, generator=gen), torch.randn(8, generator=gen)
    h, c = torch.randn(1, 3, 2, generator=gen), torch.randn(1, 3, 2, generator=gen)
    inputs = [t.requires_grad_() for t in (x, w_ih, w_hh, b_ih, b_hh, h, c)]

    def loss_and_grads(outputs):
        y, h_n, c_n = outputs
        loss = (y * y).sum() + 2 * h_n.sum() + 3 * c_n.sum()
        return [loss, *torch.autograd.grad(loss, inputs)]

    expected = loss_and_grads(torch.lstm(x, (h, c), [w_ih, w_hh, b_ih, b_hh], True, 1, 0.0,
                                         True, False, False))
    got = loss_and_grads(rnn_compiled.lstm_layer(*inputs))
    for a, b in zip(got, expected):
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-5,
                                   atol=1e-6)
    # A workspace that is gone (its forward's token freed) is rebuilt by the backward.
    outputs = rnn_compiled.lstm_layer(*inputs)
    rnn_compiled._WORKSPACES.clear()
    for a, b in zip(loss_and_grads(outputs), expected):
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-5,
                                   atol=1e-6)


def test_an_lstm_train_step_compiles_to_one_graph_with_no_graph_break():
    model = _lstm_model(jit_compile=False)
    explained = _explain_one_graph(model, LSTM_X[:8], LSTM_Y[:8])
    # The recurrence is one operator, not one graph node per time step.
    targets = [str(n.target) for g in explained.graphs for n in g.graph.nodes]
    assert sum("lstm_layer" in t for t in targets) == 1
    assert len(targets) < 200


@pytest.mark.slow
def test_a_compiled_lstm_trains_as_eager_does():
    import torch
    from torch._dynamo.utils import counters
    torch._dynamo.reset()
    counters.clear()
    compiled = _lstm_model(jit_compile=True)
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message="jit_compile=True")
        seen = _Losses()
        compiled.fit(LSTM_X, LSTM_Y, batch_size=8, shuffle=False, verbose=0, callbacks=[seen])
    eager = _lstm_model(jit_compile=False)
    reference = _Losses()
    eager.fit(LSTM_X, LSTM_Y, batch_size=8, shuffle=False, verbose=0, callbacks=[reference])
    assert len(seen.losses) == 7
    np.testing.assert_allclose(seen.losses, reference.losses, rtol=0, atol=1e-5)
    assert counters["stats"]["unique_graphs"] == 1
    for a, b in zip(compiled.get_weights(), eager.get_weights()):
        np.testing.assert_allclose(a, b, atol=1e-5)


def test_the_compiled_call_traces_autograd_ops_and_restores_the_setting(monkeypatch):
    import torch
    from kfront.backends.torch import compiled_step
    seen = []

    def recording_compile(fn, **kwargs):
        def run(data):
            seen.append(torch._dynamo.config.trace_autograd_ops)
            if data == "broken":
                raise ValueError("the step's own error")
            return fn(data)
        return run

    monkeypatch.setattr(torch, "compile", recording_compile)
    before = torch._dynamo.config.trace_autograd_ops
    step = compiled_step.compile_step_function(lambda data: data * 2)
    assert [step(1), step(2)] == [2, 4]  # the first call runs eagerly
    assert seen == [True]
    assert torch._dynamo.config.trace_autograd_ops == before
    with pytest.raises(ValueError, match="the step's own error"):
        step("broken")
    assert seen == [True, True]
    assert torch._dynamo.config.trace_autograd_ops == before
