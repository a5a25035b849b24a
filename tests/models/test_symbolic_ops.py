"""kfront.ops and Python operators on symbolic tensors become nodes of a Functional model."""
import numpy as np
import pytest

import kfront as keras
from kfront import layers, ops

RNG = np.random.default_rng(0)
XV = RNG.normal(size=(5, 4)).astype("float32")
YV = RNG.normal(size=(5, 4)).astype("float32")


@pytest.fixture
def xy():
    return keras.Input(shape=(4,), name="x"), keras.Input(shape=(4,), name="y")


def run(inputs, output):
    return keras.Model(list(inputs), output).predict([XV, YV], verbose=0)


CASES = {
    "add": (lambda x, y: x + y, lambda x, y: x + y, (None, 4)),
    "sub_scalar": (lambda x, y: 1.0 - y, lambda x, y: 1.0 - y, (None, 4)),
    "mul_div": (lambda x, y: x * 2.0 / (y * y + 1.0), lambda x, y: x * 2 / (y * y + 1),
                (None, 4)),
    "neg_pow": (lambda x, y: -(x ** 2), lambda x, y: -(x ** 2), (None, 4)),
    "concatenate": (lambda x, y: ops.concatenate([x, y], axis=-1),
                    lambda x, y: np.concatenate([x, y], -1), (None, 8)),
    "slice": (lambda x, y: x[:, :2], lambda x, y: x[:, :2], (None, 2)),
    "column": (lambda x, y: x[:, 1], lambda x, y: x[:, 1], (None,)),
    "relu": (lambda x, y: ops.relu(x), lambda x, y: np.maximum(x, 0), (None, 4)),
    "sum_keepdims": (lambda x, y: ops.sum(x * y, axis=-1, keepdims=True),
                     lambda x, y: (x * y).sum(-1, keepdims=True), (None, 1)),
    "matmul_transpose": (lambda x, y: ops.matmul(x, ops.transpose(y)),
                         lambda x, y: x @ y.T, (None, None)),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_symbolic_op_matches_numpy(name, xy):
    sym, ref, shape = CASES[name]
    out = sym(*xy)
    if name != "matmul_transpose":
        assert out.shape == shape
    np.testing.assert_allclose(run(xy, out), ref(XV, YV), rtol=1e-5, atol=1e-5)


def test_ops_mixed_with_layers(xy):
    x, y = xy
    dense = layers.Dense(3, name="proj")
    h = ops.relu(dense(x + y))
    out = ops.concatenate([h, h[:, :1] * 0.5], axis=-1)
    model = keras.Model([x, y], out)
    w, b = dense.get_weights()
    want_h = np.maximum((XV + YV) @ w + b, 0)
    np.testing.assert_allclose(model.predict([XV, YV], verbose=0),
                               np.concatenate([want_h, want_h[:, :1] * 0.5], -1),
                               rtol=1e-5, atol=1e-6)
    assert "proj" in [layer.name for layer in model.layers]


def test_symbolic_tensor_has_no_value():
    x = keras.Input(shape=(2,))
    with pytest.raises(TypeError, match="symbolic KerasTensor has no value"):
        np.asarray(x)
    with pytest.raises(TypeError, match="cannot be used as a Python bool"):
        bool(x)



def test_repeated_ops_get_unique_names(xy):
    x, y = xy
    out = (x * y) * (x * 2.0)
    model = keras.Model([x, y], out)
    names = [layer.name for layer in model.layers]
    assert len(names) == len(set(names)) == 5
    np.testing.assert_allclose(model.predict([XV, YV], verbose=0), XV * YV * XV * 2, rtol=1e-5)


@pytest.mark.parametrize("expr, fn", [
    (lambda x: x > 0.5, lambda a: a > 0.5),
    (lambda x: x <= 0.5, lambda a: a <= 0.5),
    (lambda x: x != 0.25, lambda a: a != 0.25),
    (lambda x: ~(x < 0.5), lambda a: ~(a < 0.5)),
    (lambda x: (x > 0.1) & (x < 0.9), lambda a: (a > 0.1) & (a < 0.9)),
    (lambda x: x // 0.3, lambda a: a // 0.3),
    (lambda x: x % 0.3, lambda a: a % 0.3),
    (lambda x: 2.0 ** x, lambda a: 2.0 ** a),
])
def test_python_operators_on_symbolic_tensors_build_graph_nodes(expr, fn):
    x = keras.Input(shape=(3,))
    model = keras.Model(x, expr(x))
    a = np.array([[0.0, 0.25, 0.75]], "float32")
    np.testing.assert_allclose(np.asarray(model.predict(a, verbose=0), dtype="float32"),
                               np.asarray(fn(a), dtype="float32"), rtol=1e-5, atol=1e-6)
