"""The kfront top-level names Keras 3 exports: base classes as re-exports, Function and
Operation graphs, name_scope paths, StatelessScope values, SymbolicScope."""
import numpy as np
import pytest

import kfront as keras
from kfront.backend.name_scope import in_symbolic_scope


def _np(x):
    return keras.ops.convert_to_numpy(x)


def test_base_classes_are_the_namespace_classes():
    assert keras.Loss is keras.losses.Loss and keras.Metric is keras.metrics.Metric
    assert keras.Optimizer is keras.optimizers.Optimizer
    assert keras.Regularizer is keras.regularizers.Regularizer
    assert keras.Initializer is keras.initializers.Initializer
    assert keras.InputSpec is keras.layers.InputSpec
    assert keras.KerasTensor is keras.backend.KerasTensor
    assert isinstance(keras.Input((2,)), keras.KerasTensor)
    assert keras.DTypePolicy is keras.dtype_policies.DTypePolicy
    assert keras.tree.flatten is keras.utils.tree.flatten


class Affine(keras.Operation):
    def __init__(self, scale, shift, name=None):
        super().__init__(name=name)
        self.scale, self.shift = scale, shift

    def call(self, x):
        return x * self.scale + self.shift


class SpecOnly(keras.Operation):
    def call(self, x):
        return keras.ops.sum(x, axis=-1)

    def compute_output_spec(self, x):
        return keras.KerasTensor(x.shape[:-1], dtype=x.dtype)


def test_operation_runs_eagerly_and_in_a_function():
    x = np.arange(6, dtype="float32").reshape(2, 3)
    op = Affine(2.0, 1.0, name="affine")
    np.testing.assert_allclose(_np(op(keras.ops.convert_to_tensor(x))), x * 2 + 1)
    inp = keras.Input((3,))
    dense = keras.layers.Dense(2, kernel_initializer="ones", bias_initializer="zeros")
    hidden = dense(inp)
    out = Affine(3.0, -1.0)(hidden)
    assert isinstance(out, keras.KerasTensor) and out.shape == (None, 2)
    summed = SpecOnly()(out)
    assert summed.shape == (None,)
    fn = keras.Function(inp, {"out": out, "sum": summed})
    result = fn(x)
    expected = (x @ np.ones((3, 2))) * 3.0 - 1.0
    np.testing.assert_allclose(_np(result["out"]), expected, rtol=1e-6)
    np.testing.assert_allclose(_np(result["sum"]), expected.sum(-1), rtol=1e-6)
    assert [type(o).__name__ for o in fn.operations] == ["Dense", "Affine", "SpecOnly"]
    assert op.get_config() == {"name": "affine"}
    with pytest.raises(NotImplementedError, match="must implement `call"):
        keras.Operation()(x)
    with pytest.raises(ValueError, match="cannot contain character `/`"):
        keras.Operation(name="a/b")
    with pytest.raises(ValueError, match="expects 1 input"):
        fn([x, x])
    with pytest.raises(ValueError, match="must be symbolic tensors"):
        keras.Function(x, out)


def test_name_scope_prefixes_variable_paths():
    with keras.name_scope("encoder"):
        v = keras.Variable(0.0, name="w")
        with keras.name_scope("block"):
            layer = keras.layers.Dense(2, name="proj")
            layer.build((None, 3))
        with keras.name_scope("head", override_parent="top"):
            w = keras.Variable(1.0, name="w")
    assert v.path == "encoder/w"
    assert layer.kernel.path == "encoder/block/proj/kernel"
    assert w.path == "top/head/w"
    assert keras.Variable(0.0, name="free").path == "free"
    owner = object()
    with keras.name_scope("x", caller=owner):
        with keras.name_scope("x", caller=owner):  # the same caller re-entering: one level
            assert keras.Variable(0.0, name="v").path == "x/v"
    with pytest.raises(ValueError, match="cannot contain character `/`"):
        keras.name_scope("a/b")


def test_stateless_scope_reads_given_values_and_keeps_assignments():
    layer = keras.layers.Dense(2, kernel_initializer="ones", bias_initializer="zeros")
    x = np.ones((1, 3), "float32")
    layer.build((None, 3))
    zeros = np.zeros((3, 2), "float32")
    with keras.StatelessScope([(layer.kernel, zeros)]) as scope:
        np.testing.assert_allclose(_np(layer(x)), np.zeros((1, 2)))
        layer.bias.assign(np.full((2,), 5.0, "float32"))
        np.testing.assert_allclose(_np(scope.get_current_value(layer.bias)), [5.0, 5.0])
    np.testing.assert_allclose(_np(layer.bias), [0.0, 0.0])  # storage untouched
    np.testing.assert_allclose(_np(layer(x)), np.full((1, 2), 3.0))
    with pytest.raises(ValueError, match=r"shape \(3, 2\); received a value of shape \(2,\)"):
        keras.StatelessScope([(layer.kernel, np.zeros(2))])
    with pytest.raises(ValueError, match="must be kfront.Variable instances"):
        keras.StatelessScope([("kernel", zeros)])
    with pytest.raises(ValueError, match="collect_losses=True"):
        keras.StatelessScope(collect_losses=True)


def test_symbolic_scope():
    assert not in_symbolic_scope()
    with keras.SymbolicScope():
        assert in_symbolic_scope()
    assert not in_symbolic_scope()
