"""``predict`` on arrays that fit in one batch, with ``verbose=0`` and no callbacks, calls the
compiled step directly; it must give exactly what the general loop gives."""
import numpy as np
import pytest

import kfront
from kfront.trainers import trainer as trainer_module

RNG = np.random.default_rng(7)


def _mlp():
    kfront.utils.set_random_seed(1)
    return kfront.Sequential([kfront.Input((4,)), kfront.layers.Dense(8, activation="relu"),
                              kfront.layers.Dense(3)])


@pytest.fixture
def loop_calls(monkeypatch):
    """Counts the predict calls that went through the general loop (a data adapter)."""
    calls = []
    original = trainer_module.data_adapter.get_data_adapter

    def spy(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)
    monkeypatch.setattr(trainer_module.data_adapter, "get_data_adapter", spy)
    return calls


def test_one_sample_equals_the_loop_and_numpy(loop_calls):
    model = _mlp()
    x = RNG.normal(size=(1, 4)).astype("float32")
    fast = model.predict(x, verbose=0)
    assert loop_calls == []
    looped = model.predict(x, verbose=0, steps=1)
    assert len(loop_calls) == 1
    assert isinstance(fast, np.ndarray) and fast.shape == (1, 3)
    np.testing.assert_array_equal(fast, looped)
    w0, b0, w1, b1 = model.get_weights()
    want = np.maximum(x @ w0 + b0, 0) @ w1 + b1
    np.testing.assert_allclose(fast, want, rtol=1e-5, atol=1e-6)


def test_float64_and_int_inputs_are_converted_as_in_the_loop(loop_calls):
    model = _mlp()
    x = RNG.normal(size=(5, 4))  # float64: fed as floatx, as the loop does
    fast = model.predict(x, verbose=0)
    assert loop_calls == [] and fast.dtype == np.float32
    np.testing.assert_array_equal(fast, model.predict(x, verbose=0, steps=1))


def test_more_than_one_batch_or_watchers_take_the_loop(loop_calls):
    model = _mlp()
    x = RNG.normal(size=(40, 4)).astype("float32")
    out = model.predict(x, verbose=0)  # 40 > the default batch size of 32
    assert len(loop_calls) == 1 and out.shape == (40, 3)
    model.predict(x[:8], verbose=0, batch_size=4)
    assert len(loop_calls) == 2
    model.predict(x[:2], verbose=0, callbacks=[kfront.callbacks.Callback()])
    assert len(loop_calls) == 3
    model.predict([[0.0, 1.0, 2.0, 3.0]], verbose=0)  # a list, not arrays: the loop
    assert len(loop_calls) == 4
    # Different batch sizes may take different matmul kernels: float32 rounding apart.
    np.testing.assert_allclose(model.predict(x[:8], verbose=0, batch_size=8),
                               model.predict(x[:8], verbose=0, batch_size=4), rtol=1e-6)


def test_dict_inputs_and_list_outputs():
    kfront.utils.set_random_seed(2)
    a, b = kfront.Input((3,), name="a"), kfront.Input((2,), name="b")
    h = kfront.layers.Concatenate()([a, b])
    model = kfront.Model({"a": a, "b": b}, [kfront.layers.Dense(2)(h), kfront.layers.Dense(1)(h)])
    data = {"a": RNG.normal(size=(3, 3)).astype("float32"),
            "b": RNG.normal(size=(3, 2)).astype("float32")}
    fast = model.predict(data, verbose=0)
    looped = model.predict(data, verbose=0, steps=1)
    assert isinstance(fast, list) and [o.shape for o in fast] == [(3, 2), (3, 1)]
    for f, s in zip(fast, looped):
        np.testing.assert_array_equal(f, s)


def test_mismatched_lengths_are_refused_as_in_the_loop():
    model = kfront.Model(*(lambda a, b: ({"a": a, "b": b}, kfront.layers.Concatenate()([a, b])))(
        kfront.Input((1,), name="a"), kfront.Input((1,), name="b")))
    with pytest.raises(ValueError, match="cardinality"):
        model.predict({"a": np.zeros((2, 1), "float32"), "b": np.zeros((3, 1), "float32")},
                      verbose=0)


class _CountingLayer(kfront.layers.Layer):
    """Writes a variable in every call (training or not)."""

    def build(self, input_shape):
        self.calls = self.add_weight(shape=(), initializer="zeros", trainable=False,
                                     name="calls")

    def call(self, x):
        self.calls.assign(self.calls + 1.0)
        return x


def test_state_written_in_predict_is_kept():
    # The compiled predict step returns only the state it wrote (see backends/jax/training.py).
    layer = _CountingLayer()
    # Built from an Input: shape inference traces the write and must drop it.
    model = kfront.Sequential([kfront.Input((2,)), layer, kfront.layers.Dense(1)])
    x = np.ones((1, 2), "float32")
    model.predict(x, verbose=0)
    model.predict(np.ones((40, 2), "float32"), verbose=0)  # compiled once each before counting
    start = float(layer.calls.numpy())
    before = [w.copy() for w in model.get_weights()]
    for _ in range(3):
        model.predict(x, verbose=0)
    model.predict(np.ones((40, 2), "float32"), verbose=0)  # two batches through the loop
    assert float(layer.calls.numpy()) == start + 5.0
    for w, b in zip(model.get_weights()[1:], before[1:]):
        np.testing.assert_array_equal(w, b)


class _CountingSteps(kfront.Sequential):
    """Counts the Python runs of its predict step: one per call when the step runs eagerly,
    one per trace when it is compiled (JAX, TensorFlow)."""

    runs = 0

    def predict_step(self, data):
        type(self).runs += 1
        return super().predict_step(data)


def test_repeated_calls_follow_weights_shapes_dtypes_and_compile(loop_calls):
    # Serving repeats one input shape: predict keeps the last one's step, and must still
    # see new weights, other shapes and dtypes, and a recompiled or now-eager model.
    kfront.utils.set_random_seed(3)
    model = _CountingSteps([kfront.Input((4,)), kfront.layers.Dense(3)])
    x = RNG.normal(size=(1, 4)).astype("float32")

    def want(a):
        w, b = model.get_weights()
        return a.astype("float32") @ w + b

    for a in (x, x, RNG.normal(size=(2, 4)).astype("float32"), x, x.astype("float64"),
              np.ones((1, 4), "int32"), x):
        np.testing.assert_allclose(model.predict(a, verbose=0), want(a), rtol=1e-5, atol=1e-6)
    model.set_weights([np.full((4, 3), 0.5, "float32"), np.arange(3, dtype="float32")])
    np.testing.assert_allclose(model.predict(x, verbose=0), want(x), rtol=1e-5, atol=1e-6)
    assert loop_calls == []

    model.compile(loss="mse", run_eagerly=True)
    before = _CountingSteps.runs
    for _ in range(3):
        model.predict(x, verbose=0)
    assert _CountingSteps.runs == before + 3  # eager: the step's Python runs each time
    model.run_eagerly = False  # (a traced step on TensorFlow: its Python runs once)
    model.predict(x, verbose=0)
    model.predict(x, verbose=0)
    before = _CountingSteps.runs
    model.run_eagerly = True
    model.predict(x, verbose=0)
    assert _CountingSteps.runs == before + 1


def test_object_arrays_are_checked_on_every_call():
    model = _mlp()
    numbers = np.array([[0.5, 1.0, 2.0, 3.0]], dtype=object)  # numbers in objects: converted
    np.testing.assert_array_equal(model.predict(numbers, verbose=0),
                                  model.predict(numbers.astype("float32"), verbose=0))
    with pytest.raises(ValueError, match="must hold numbers"):
        model.predict(np.array([["a", 1.0, 2.0, 3.0]], dtype=object), verbose=0)


@pytest.mark.skipif(kfront.backend.backend() != "torch", reason="torch's gradient mode")
def test_torch_records_no_gradient_in_predict_and_restores_the_mode_after_an_error():
    import torch

    class Fails(kfront.layers.Layer):
        armed = False
        seen = []

        def call(self, x):
            if self.armed:
                self.seen.append(torch.is_grad_enabled())
                raise RuntimeError("failed inside predict")
            return x

    layer = Fails()
    model = kfront.Sequential([kfront.Input((2,)), layer])
    layer.armed = True
    with pytest.raises(RuntimeError, match="failed inside predict"):
        model.predict(np.zeros((1, 2), "float32"), verbose=0)
    assert layer.seen == [False]
    assert torch.is_grad_enabled()
