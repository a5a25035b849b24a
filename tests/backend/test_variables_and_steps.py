"""The training half of the adapter contract: Variables, value_and_grad, compile_step."""
import numpy as np
import pytest

import kfront
from kfront import ops
from kfront.backend.loader import adapter
from kfront.backend.scope import StatelessScope

B = adapter()


def test_variable_from_initializer_array_and_scalar():
    v = kfront.Variable(kfront.initializers.Constant(2.0), shape=(2, 3), name="w")
    assert v.shape == (2, 3) and v.dtype == "float32" and v.trainable
    np.testing.assert_array_equal(v.numpy(), np.full((2, 3), 2.0, "float32"))
    a = kfront.Variable(np.arange(4, dtype="float64"), trainable=False)
    assert a.dtype == "float32" and not a.trainable
    i = kfront.Variable(np.arange(3, dtype="int32"))
    assert i.dtype == "int32"
    s = kfront.Variable(0, dtype="int32")
    assert s.shape == () and int(s) == 0


def test_variable_assign_and_arithmetic():
    v = kfront.Variable(np.ones((2,), "float32"), name="v")
    v.assign(np.array([3.0, 4.0]))
    v.assign_add(np.array([1.0, 1.0]))
    v.assign_sub(np.array([0.5, 0.5]))
    np.testing.assert_allclose(v.numpy(), [3.5, 4.5])
    np.testing.assert_allclose(ops.convert_to_numpy(v * 2.0), [7.0, 9.0])
    np.testing.assert_allclose(ops.convert_to_numpy(1.0 - v), [-2.5, -3.5])
    np.testing.assert_allclose(ops.convert_to_numpy(ops.sum(v)), 8.0)
    np.testing.assert_allclose(np.asarray(v), [3.5, 4.5])


def test_variable_errors():
    v = kfront.Variable(np.zeros((2, 2), "float32"), name="kernel")
    with pytest.raises(ValueError, match=r"shape \(3,\) to variable 'kernel' of shape \(2, 2\)"):
        v.assign(np.zeros((3,)))
    with pytest.raises(ValueError, match="needs `shape`"):
        kfront.Variable(kfront.initializers.Zeros())
    with StatelessScope():
        with pytest.raises(RuntimeError, match="inside a compiled step"):
            kfront.Variable(np.zeros(2))


def test_stateless_scope_reads_and_writes_without_touching_storage():
    v = kfront.Variable(np.array([1.0, 2.0], "float32"))
    with StatelessScope({v: B.convert_to_tensor(np.array([5.0, 6.0], "float32"))}) as scope:
        np.testing.assert_allclose(ops.convert_to_numpy(v.value), [5.0, 6.0])
        v.assign(np.array([7.0, 8.0]))
        np.testing.assert_allclose(ops.convert_to_numpy(v.value), [7.0, 8.0])
    assert scope.assigned_variables() == [v]
    np.testing.assert_allclose(v.numpy(), [1.0, 2.0])


def test_value_and_grad_matches_analytic_gradient():
    w0 = np.array([[1.0, -2.0], [0.5, 3.0]], "float32")
    b0 = np.array([0.1, -0.2], "float32")
    x = np.array([[1.0, 2.0], [-1.0, 0.5], [0.3, 0.3]], "float32")
    w, b = kfront.Variable(w0), kfront.Variable(b0)
    frozen = kfront.Variable(np.float32(2.0), trainable=False)

    def loss():
        y = ops.matmul(x, w) + b
        return ops.sum(ops.square(y)) * frozen, y

    (value, y), (gw, gb) = kfront.backend.value_and_grad(loss, [w, b], has_aux=True)
    y_ref = x @ w0 + b0
    np.testing.assert_allclose(ops.convert_to_numpy(value), 2.0 * np.sum(y_ref ** 2), rtol=1e-5)
    np.testing.assert_allclose(ops.convert_to_numpy(y), y_ref, rtol=1e-6)
    np.testing.assert_allclose(ops.convert_to_numpy(gw), 4.0 * x.T @ y_ref, rtol=1e-5)
    np.testing.assert_allclose(ops.convert_to_numpy(gb), 4.0 * y_ref.sum(0), rtol=1e-5)


def test_value_and_grad_of_unused_variable_is_zero():
    used, unused = kfront.Variable(np.float32(3.0)), kfront.Variable(np.ones(3, "float32"))
    value, (g_used, g_unused) = kfront.backend.value_and_grad(lambda: used * used, [used, unused])
    assert float(ops.convert_to_numpy(value)) == 9.0
    assert float(ops.convert_to_numpy(g_used)) == 6.0
    np.testing.assert_array_equal(ops.convert_to_numpy(g_unused), np.zeros(3))


@pytest.mark.parametrize("jit", [False, True])
def test_compiled_step_updates_state_each_call(jit):
    counter = kfront.Variable(0, dtype="int32", trainable=False)
    w = kfront.Variable(np.array([1.0, 1.0], "float32"))

    def step(data):
        value, (g,) = kfront.backend.value_and_grad(lambda: ops.sum(ops.square(w * data)), [w])
        w.assign(w.value - 0.1 * g)
        counter.assign(counter.value + 1)
        return {"loss": value}

    run = B.compile_step(step, [counter, w], "train", jit)
    data = B.convert_to_tensor(np.array([1.0, 2.0], "float32"))
    w_ref = np.array([1.0, 1.0])
    for _ in range(3):
        out = run(data)
        expected_loss = np.sum((w_ref * [1.0, 2.0]) ** 2)
        np.testing.assert_allclose(ops.convert_to_numpy(out["loss"]), expected_loss, rtol=1e-5)
        w_ref = w_ref - 0.1 * 2 * w_ref * np.array([1.0, 4.0])
    assert int(counter.numpy()) == 3
    np.testing.assert_allclose(w.numpy(), w_ref, rtol=1e-5)


def test_compute_output_spec_keeps_unknown_dims_unknown():
    x = kfront.backend.KerasTensor((None, 3, 4))
    spec = B.compute_output_spec(lambda t: ops.reshape(t, (-1, 12)), x)
    assert spec.shape == (None, 12) and spec.dtype == "float32"
    spec = B.compute_output_spec(lambda t: ops.sum(t, axis=1), x)
    assert spec.shape == (None, 4)
