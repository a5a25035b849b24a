"""How NumPy batches reach a step: through the adapter's optional ``batch_array``.

On JAX (CPU) a batch stays a NumPy array in the dtype JAX would give it, and ``jax.jit``
copies it in; on torch (CPU) a tensor shares a writable array of the right dtype, unless a
copy is asked for; elsewhere it becomes an engine tensor. Either way: the same dtypes, the same
numbers, and eager code (``run_eagerly``, JAX without ``jit_compile``) sees engine tensors.
"""
import numpy as np
import pytest

import kfront
from kfront.backend.loader import adapter
from kfront.trainers.data_adapters import data_adapter_utils
from trainer_helpers import BACKEND, X, Y_REGRESSION, linear_model

_B = adapter()


def _dtype_name(a):
    return a.dtype.name if isinstance(a, np.ndarray) else _B.dtype(a)


@pytest.mark.parametrize("array, expected", [
    (np.ones((2, 3), "float64"), "float32"),   # float data in floatx, as layers expect
    (np.ones((2, 3), "float32"), "float32"),
    (np.ones((2,), "uint8"), "uint8"),
    (np.ones((2,), "bool"), "bool"),
])
def test_batch_leaves_get_the_dtype_layers_expect(array, expected):
    out = data_adapter_utils.to_tensor(array)
    assert _dtype_name(out) == expected
    np.testing.assert_array_equal(np.asarray(_B.convert_to_numpy(out)), array.astype(expected))


def test_int64_labels_follow_the_engine_integer_rule():
    out = data_adapter_utils.to_tensor(np.arange(4, dtype="int64"))
    # JAX runs without 64-bit types: int64 data is int32 there, as convert_to_tensor gives.
    assert _dtype_name(out) == _B.dtype(_B.convert_to_tensor(np.arange(4, dtype="int64")))


def test_jax_on_cpu_keeps_batches_numpy():
    if BACKEND != "jax":
        pytest.skip("only the JAX adapter has batch_array")
    out = data_adapter_utils.to_tensor(np.ones((2, 3), "float64"))
    assert type(out) is np.ndarray and out.dtype == np.float32


def test_torch_shares_an_array_unless_a_copy_is_needed():
    if BACKEND != "torch":
        pytest.skip("torch's batch_array")
    import warnings
    import torch
    from kfront.backends.torch import core
    if core.DEVICE.type != "cpu":
        pytest.skip("a move to the GPU copies anyway")
    arr = np.arange(6, dtype="float32").reshape(2, 3)
    assert core.batch_array(arr, "float32").data_ptr() == arr.ctypes.data
    assert core.batch_array(arr, "float32", copy=True).data_ptr() != arr.ctypes.data
    assert core.batch_array(arr.astype("float64"), "float32").dtype == torch.float32
    frozen = arr.copy()
    frozen.flags.writeable = False
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # torch warns when it shares a read-only array
        out = core.batch_array(frozen, "float32")
    assert out.data_ptr() != frozen.ctypes.data
    np.testing.assert_array_equal(out.numpy(), arr)
    # What predict returns never shares the input (an identity model returns its input).
    model = kfront.Sequential([kfront.Input((3,)), kfront.layers.Activation("linear")])
    got = model.predict(arr, verbose=0)
    np.testing.assert_array_equal(got, arr)
    assert not np.shares_memory(got, arr)


def test_object_arrays_are_refused():
    with pytest.raises((TypeError, ValueError), match="(?i)object|convert"):
        data_adapter_utils.to_tensor(np.array([{"a": 1}, None], dtype=object))


class _Recording(kfront.Model):
    """A linear model whose train step records what kind of batch it was given."""

    def __init__(self):
        super().__init__()
        self.dense = kfront.layers.Dense(1)
        self.seen = []

    def call(self, x):
        return self.dense(x)

    def train_step(self, data):
        x, y = data
        self.seen.append((_B.is_tensor(x), _B.is_tensor(y)))
        return super().train_step(data)


@pytest.mark.parametrize("compile_kwargs", [{"run_eagerly": True}, {"jit_compile": False}])
def test_eager_steps_see_engine_tensors(compile_kwargs):
    if "jit_compile" in compile_kwargs and BACKEND != "jax":
        pytest.skip("jit_compile=False is the eager step on JAX only")
    model = _Recording()
    model.compile(optimizer="sgd", loss="mse", **compile_kwargs)
    model.fit(X[:8], Y_REGRESSION[:8], batch_size=4, epochs=1, verbose=0)
    assert model.seen and all(seen == (True, True) for seen in model.seen)


def _trained(monkeypatch, batch_array):
    monkeypatch.setattr(data_adapter_utils, "_batch_array", batch_array)
    model = linear_model(seed=3)
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(X, Y_REGRESSION.astype("float64"), batch_size=16, epochs=2,
                        shuffle=False, verbose=0)
    return history.history["loss"], model.get_weights(), model.predict(X[:3], verbose=0)


def test_numbers_match_tensor_batches(monkeypatch):
    fast = _trained(monkeypatch, data_adapter_utils._batch_array)
    tensors = _trained(monkeypatch, lambda arr, dtype, copy: _B.convert_to_tensor(arr, dtype))
    np.testing.assert_allclose(fast[0], tensors[0], rtol=1e-6)
    for a, b in zip(fast[1], tensors[1]):
        np.testing.assert_allclose(a, b, rtol=1e-6)
    np.testing.assert_allclose(fast[2], tensors[2], rtol=1e-6)


def _fit_from(generator):
    model = linear_model(seed=5)
    model.compile(optimizer="sgd", loss="mse")
    model.fit(generator(), steps_per_epoch=4, epochs=1, verbose=0)
    return model.get_weights()


def test_a_generator_refilling_one_buffer_trains_like_fresh_batches():
    # Batches wait in the prefetch queue while the generator runs on: a batch kept as NumPy
    # must not be the generator's buffer, or later batches overwrite it.
    def fresh():
        for i in range(0, 64, 16):
            yield X[i:i + 16].copy(), Y_REGRESSION[i:i + 16].copy()

    def refilled():
        x, y = np.empty((16, 5), "float32"), np.empty((16, 1), "float32")
        for i in range(0, 64, 16):
            x[:], y[:] = X[i:i + 16], Y_REGRESSION[i:i + 16]
            yield x, y

    for a, b in zip(_fit_from(refilled), _fit_from(fresh)):
        np.testing.assert_allclose(a, b, rtol=1e-6)
