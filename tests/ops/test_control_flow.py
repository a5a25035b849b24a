"""Control flow, scans, maps, custom gradients, slicing, scatter and segment reductions:
inside compiled steps, under ``kfront.backend.value_and_grad``, on symbolic tensors, and
their errors. Values are checked against NumPy (tests/backend/cases_control_flow.py checks
the eager values of every op)."""
import numpy as np
import pytest

import kfront as keras
from kfront import ops
from kfront.utils import tree

BACKEND = keras.backend.backend()
f32 = np.float32
RNG = np.random.default_rng(5)
XS = RNG.uniform(-1, 1, (4, 3)).astype(f32)
W0 = RNG.uniform(-1, 1, (3,)).astype(f32)


def to_np(x):
    return np.asarray(ops.convert_to_numpy(x))


def compiled(fn):
    """``fn`` as a compiled step runs it: ``jax.jit``, ``tf.function`` (as fit: autograph
    off), eager on torch."""
    if BACKEND == "jax":
        import jax
        return jax.jit(fn)
    if BACKEND == "tensorflow":
        import tensorflow as tf
        return tf.function(fn, autograph=False)
    return fn


# ---------------------------------------------------------------------------------------------
# Every op inside a compiled step gives its eager value.

def _scan_cumsum(x):
    return ops.scan(lambda c, row: (c + row, c * row), ops.zeros((3,)), x)


COMPILED = {
    "cond_tensor_pred": lambda x: ops.cond(ops.sum(x) > 0, lambda: x * 2.0, lambda: x - 1.0),
    "cond_false": lambda x: ops.cond(ops.sum(x) > 100, lambda: x * 2.0, lambda: x - 1.0),
    "switch": lambda x: ops.switch(ops.cast(ops.sum(x) > 0, "int32") + 1,
                                   [lambda a: a, lambda a: a * 3.0, lambda a: -a], x),
    "while_loop": lambda x: ops.while_loop(lambda i, v: ops.sum(v) < 50.0,
                                           lambda i, v: (i + 1, v * 1.5 + 1.0), (0, x)),
    "while_loop_max_iter": lambda x: ops.while_loop(lambda v: ops.sum(v) < 1e6,
                                                    lambda v: v * 1.5 + 1.0, x,
                                                    maximum_iterations=4),
    "fori_loop": lambda x: ops.fori_loop(0, 5, lambda i, v: v * 0.5 + ops.cast(i, "float32"), x),
    "scan": _scan_cumsum,
    "scan_reverse": lambda x: ops.scan(lambda c, row: (c + row, c), ops.zeros((3,)), x,
                                       reverse=True),
    "map": lambda x: ops.map(lambda row: ops.sum(row * row), x),
    "vectorized_map": lambda x: ops.vectorized_map(lambda row: row * ops.sum(row), x),
    "associative_scan": lambda x: ops.associative_scan(ops.add, x, axis=0),
    "vectorize": lambda x: ops.vectorize(lambda a, b: a * b)(x, x[0]),
    "slice": lambda x: ops.slice(x, [1, 0], [2, -1]),
    "slice_tensor_start": lambda x: ops.slice(x, ops.convert_to_tensor([2, 1]), [2, 2]),
    "slice_update": lambda x: ops.slice_update(x, [1, 1], ops.ones((2, 2))),
    "scatter": lambda x: ops.scatter(ops.convert_to_tensor([[0, 1], [3, 2]]), x[0, :2], (4, 3)),
    "scatter_update_mul": lambda x: ops.scatter_update(x, ops.convert_to_tensor([[1], [1]]),
                                                       x[:2], reduction="mul"),
    "segment_max": lambda x: ops.segment_max(x, ops.convert_to_tensor([0, 0, 2, 2]),
                                             num_segments=3),
    "segment_sum": lambda x: ops.segment_sum(x, ops.convert_to_tensor([1, 0, 1, 0]),
                                             num_segments=2),
}


def _flat(out):
    return [to_np(o) for o in tree.flatten(out)] if isinstance(
        out, (tuple, list, dict)) else [to_np(out)]


@pytest.mark.parametrize("name", sorted(COMPILED))
def test_compiled_step_matches_eager(name):
    fn = COMPILED[name]
    x = ops.convert_to_tensor(XS)
    eager = _flat(fn(x))
    traced = _flat(compiled(fn)(x))
    assert len(eager) == len(traced)
    for e, t in zip(eager, traced):
        np.testing.assert_allclose(t, e, rtol=1e-6, atol=1e-6)


def test_tensorflow_dims_unknown_until_run():
    if BACKEND != "tensorflow":
        pytest.skip("only TensorFlow traces with dims unknown until the step runs")
    import tensorflow as tf

    @tf.function(input_signature=[tf.TensorSpec((None, 3), tf.float32)], autograph=False)
    def fn(x):
        carry, ys = _scan_cumsum(x)  # the number of steps is a tensor here
        return carry, ys, ops.associative_scan(ops.add, x, axis=1)

    got = [t.numpy() for t in fn(tf.constant(XS))]
    want = [to_np(t) for t in _scan_cumsum(ops.convert_to_tensor(XS))] + [np.cumsum(XS, 1)]
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=1e-6, atol=1e-6)


# ---------------------------------------------------------------------------------------------
# Gradients through control flow, against NumPy derivatives.

def _grad(fn, value):
    v = keras.Variable(value)
    loss, grads = keras.backend.value_and_grad(lambda: fn(v), [v])
    return float(to_np(loss)), to_np(grads[0])


def _numeric_grad(fn_np, value, eps=1e-3):
    value = value.astype(np.float64)
    grad = np.zeros_like(value)
    for i in np.ndindex(value.shape):
        up, down = value.copy(), value.copy()
        up[i] += eps
        down[i] -= eps
        grad[i] = (fn_np(up) - fn_np(down)) / (2 * eps)
    return grad


def _np_scan_loss(w):
    c = np.zeros(3)
    total = 0.0
    for row in XS.astype(np.float64):
        c = np.tanh(c * w + row)
        total += (c ** 2).sum()
    return total


def _np_fori_loss(w):
    s = w.copy()
    for i in range(4):
        s = s * 0.5 + np.sin(s) * i
    return s.sum()


GRADIENTS = {
    "scan": (lambda w: ops.sum(ops.scan(
        lambda c, row: (ops.tanh(c * w + row), ops.sum(ops.tanh(c * w + row) ** 2)),
        ops.zeros((3,)), ops.convert_to_tensor(XS))[1]), _np_scan_loss),
    "fori_loop": (lambda w: ops.sum(ops.fori_loop(
        0, 4, lambda i, s: s * 0.5 + ops.sin(s) * ops.cast(i, "float32"), w)), _np_fori_loss),
    "cond_true": (lambda w: ops.cond(ops.sum(w) < 10.0, lambda: ops.sum(w ** 3),
                                     lambda: ops.sum(w)), lambda w: (w ** 3).sum()),
    "cond_false": (lambda w: ops.cond(ops.sum(w) > 10.0, lambda: ops.sum(w ** 3),
                                      lambda: ops.sum(ops.exp(w))), lambda w: np.exp(w).sum()),
    "switch": (lambda w: ops.switch(1, [lambda a: ops.sum(a), lambda a: ops.sum(a * a)], w),
               lambda w: (w * w).sum()),
    "associative_scan": (lambda w: ops.sum(ops.associative_scan(ops.multiply, w) ** 2),
                         lambda w: (np.cumprod(w) ** 2).sum()),
    "map": (lambda w: ops.sum(ops.map(lambda row: ops.sum(row * w) ** 2,
                                      ops.convert_to_tensor(XS))),
            lambda w: ((XS @ w) ** 2).sum()),
    "vectorized_map": (lambda w: ops.sum(ops.vectorized_map(
        lambda row: ops.sum(row * w) ** 2, ops.convert_to_tensor(XS))),
        lambda w: ((XS @ w) ** 2).sum()),
    "slice": (lambda w: ops.sum(ops.slice(w, [1], [2]) ** 2), lambda w: (w[1:3] ** 2).sum()),
    "slice_update": (lambda w: ops.sum(ops.slice_update(w, [0], ops.zeros((1,))) ** 2),
                     lambda w: (w[1:] ** 2).sum()),
    "scatter_update_max": (lambda w: ops.sum(ops.scatter_update(
        w * 3.0, ops.convert_to_tensor([[0]]), ops.convert_to_tensor([0.25]),
        reduction="max") ** 2), lambda w: (np.concatenate(
            [np.maximum(3 * w[:1], 0.25), 3 * w[1:]]) ** 2).sum()),
    "segment_sum": (lambda w: ops.sum(ops.segment_sum(w, ops.convert_to_tensor([0, 1, 0]),
                                                      num_segments=2) ** 2),
                    lambda w: (w[0] + w[2]) ** 2 + w[1] ** 2),
    "segment_max": (lambda w: ops.sum(ops.segment_max(w * w, ops.convert_to_tensor([0, 0, 1]),
                                                      num_segments=2)),
                    lambda w: max(w[0] ** 2, w[1] ** 2) + w[2] ** 2),
}
if BACKEND != "jax":  # JAX cannot reverse-differentiate a while loop (tested below)
    GRADIENTS["while_loop"] = (
        lambda w: ops.sum(ops.while_loop(lambda i, s: i < 3, lambda i, s: (i + 1, s * w),
                                         (0, ops.ones((3,))))[1]),
        lambda w: (w ** 3).sum())


@pytest.mark.parametrize("name", sorted(GRADIENTS))
def test_value_and_grad_matches_numpy(name):
    fn, fn_np = GRADIENTS[name]
    loss, grad = _grad(fn, W0)
    np.testing.assert_allclose(loss, fn_np(W0.astype(np.float64)), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(grad, _numeric_grad(fn_np, W0), rtol=2e-3, atol=2e-4)


def test_jax_while_loop_gradient_is_a_clear_error():
    if BACKEND != "jax":
        pytest.skip("torch and TensorFlow differentiate while loops")
    with pytest.raises(ValueError, match="Reverse-mode differentiation does not work for "
                                         "lax.while_loop"):
        _grad(lambda w: ops.sum(ops.while_loop(lambda i, s: i < 3,
                                               lambda i, s: (i + 1, s * w),
                                               (0, ops.ones((3,))))[1]), W0)


# ---------------------------------------------------------------------------------------------
# One custom gradient, written once, on every engine.

@ops.custom_gradient
def clipped_square(x):
    """x ** 2 whose gradient is clipped to [-1, 1]: not the true derivative, on purpose."""
    def grad(*args, upstream=None):
        if upstream is None:
            (upstream,) = args
        return upstream * ops.clip(2.0 * x, -1.0, 1.0)

    return x * x, grad


def test_custom_gradient_replaces_the_gradient():
    w = np.array([-2.0, -0.25, 0.1, 3.0], f32)
    loss, grad = _grad(lambda v: ops.sum(clipped_square(v) * 3.0), w)
    np.testing.assert_allclose(loss, 3 * (w.astype(np.float64) ** 2).sum(), rtol=1e-6)
    np.testing.assert_allclose(grad, 3 * np.clip(2 * w, -1, 1), rtol=1e-6)


def test_custom_gradient_two_arguments():
    @ops.custom_gradient
    def scaled_product(a, b):
        def grad(*args, upstream=None):
            if upstream is None:
                (upstream,) = args
            return upstream * b * 10.0, upstream * a

        return a * b, grad

    a, b = keras.Variable(np.array([1.0, 2.0], f32)), keras.Variable(np.array([3.0, -1.0], f32))
    _, grads = keras.backend.value_and_grad(lambda: ops.sum(scaled_product(a, b)), [a, b])
    np.testing.assert_allclose(to_np(grads[0]), [30.0, -10.0])
    np.testing.assert_allclose(to_np(grads[1]), [1.0, 2.0])


def test_custom_gradient_in_a_compiled_train_step():
    keras.utils.set_random_seed(3)
    inputs = keras.Input(shape=(4,))
    dense = keras.layers.Dense(1, use_bias=False, kernel_initializer="ones")
    outputs = clipped_square(dense(inputs))
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1), loss="mae")
    x = np.array([[1.0, 0.5, -0.5, 0.25]], f32)  # dense(x) = 1.25, true d/dz = 2.5
    model.fit(x, np.zeros((1, 1), f32), epochs=1, batch_size=1, verbose=0, shuffle=False)
    # d loss / d kernel = sign(z^2) * clip(2z, -1, 1) * x = x: the clipped gradient was used.
    np.testing.assert_allclose(to_np(dense.kernel)[:, 0], 1.0 - 0.1 * x[0], rtol=1e-6)


# ---------------------------------------------------------------------------------------------
# Training: fit's compiled step gives the loss the same computation gives eagerly.

class LoopModel(keras.Model):
    """A small recurrent model whose ``call`` uses cond, scan and fori_loop."""

    def __init__(self):
        super().__init__()
        self.embed = keras.layers.Dense(4, name="embed")
        self.head = keras.layers.Dense(1, name="head")

    def build(self, input_shape):
        self.recurrent = self.add_weight(shape=(4, 4), initializer="orthogonal",
                                         name="recurrent")
        super().build(input_shape)

    def call(self, x):
        steps = ops.transpose(self.embed(x), (1, 0, 2))  # (time, batch, 4)

        def step(h, x_t):
            h = ops.tanh(ops.matmul(h, self.recurrent) + x_t)
            return h, ops.mean(h, axis=-1)

        h, per_step = ops.scan(step, ops.zeros_like(steps[0]), steps)
        h = ops.fori_loop(0, 3, lambda i, s: 0.8 * s + 0.2 * ops.tanh(s), h)
        h = ops.cond(ops.mean(per_step) > 0, lambda: h * 1.5, lambda: h - 0.5)
        return self.head(h)


DATA_X = np.random.default_rng(9).normal(size=(32, 5, 3)).astype(f32)
DATA_Y = DATA_X.sum(axis=(1, 2))[:, None].astype(f32) / 5.0


def _trained(run_eagerly):
    keras.utils.set_random_seed(21)
    model = LoopModel()
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.05), loss="mse",
                  run_eagerly=run_eagerly)
    # Two steps: the second epoch's loss comes from the weights the first step wrote.
    history = model.fit(DATA_X, DATA_Y, batch_size=32, epochs=2, shuffle=False, verbose=0)
    return model, history.history["loss"]


def test_fit_with_control_flow_matches_eager_run():
    compiled_model, compiled_loss = _trained(run_eagerly=False)
    eager_model, eager_loss = _trained(run_eagerly=True)
    np.testing.assert_allclose(compiled_loss, eager_loss, rtol=1e-5, atol=1e-6)
    assert compiled_loss[1] != compiled_loss[0]
    for a, b in zip(compiled_model.get_weights(), eager_model.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
