"""``kfront.ops.linalg`` beyond the NumPy cases: gradients against finite differences, jvp,
use inside compiled functions, symbolic shapes, and the messages for bad arguments."""
import numpy as np
import pytest

import kfront
from kfront import config, ops

_rng = np.random.default_rng(3)
A = (_rng.normal(size=(3, 3)) + 3 * np.eye(3)).astype("float32")
B = _rng.normal(size=(3, 2)).astype("float32")
T = _rng.normal(size=(4, 3)).astype("float32")


def _np(x):
    return np.asarray(ops.convert_to_numpy(x), np.float64)


def _numeric_grad(f, x, eps=1e-4):
    """Central differences of a float64 NumPy function (the reference gradient)."""
    x = x.astype(np.float64)
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        d = np.zeros_like(x)
        d[i] = eps
        g[i] = (f(x + d) - f(x - d)) / (2 * eps)
    return g


def _grad(kfront_fn, x):
    v = kfront.Variable(x)
    _, (g,) = kfront.backend.value_and_grad(lambda: kfront_fn(v), [v])
    return _np(g)


# Each case: a scalar kfront function of one matrix, the same in NumPy, and its input.
GRADIENTS = {
    "det": (lambda a: ops.det(a), np.linalg.det, A),
    "inv": (lambda a: ops.sum(ops.multiply(ops.inv(a), B[:, :1])),
            lambda a: np.sum(np.linalg.inv(a) * B[:, :1]), A),
    "solve": (lambda a: ops.sum(ops.square(ops.solve(a, B))),
              lambda a: np.sum(np.linalg.solve(a, B) ** 2), A),
    "svd_values": (lambda a: ops.sum(ops.multiply(ops.svd(a, compute_uv=False),
                                                  np.array([1.0, 2.0, 3.0], "float32"))),
                   lambda a: np.sum(np.linalg.svd(a, compute_uv=False) * [1.0, 2.0, 3.0]), T),
    "slogdet": (lambda a: ops.slogdet(a)[1], lambda a: np.linalg.slogdet(a)[1], A),
}


@pytest.mark.parametrize("name", list(GRADIENTS))
def test_gradient_matches_finite_differences(name):
    fn, reference, x = GRADIENTS[name]
    np.testing.assert_allclose(_grad(fn, x), _numeric_grad(reference, x), rtol=2e-3, atol=2e-3)


def test_jvp_matches_the_analytic_derivative():
    x = np.array([0.5, -1.0, 2.0], "float32")
    t = np.array([1.0, 2.0, -1.0], "float32")
    out, tangent = ops.jvp(lambda v: ops.sin(v) * v, (x,), (t,))
    np.testing.assert_allclose(_np(out), np.sin(x) * x, rtol=1e-6)
    np.testing.assert_allclose(_np(tangent), (np.cos(x) * x + np.sin(x)) * t, rtol=1e-5)


def test_jvp_of_two_arguments_with_aux():
    x, y = np.float32(2.0), np.float32(3.0)
    out, tangent, aux = ops.jvp(lambda a, b: (a * b, a + b), (x, y),
                                (np.float32(1.0), np.float32(0.0)), has_aux=True)
    assert float(_np(out)) == 6.0 and float(_np(tangent)) == 3.0 and float(_np(aux)) == 5.0


def _compiled(fn):
    if config.backend() == "jax":
        import jax
        return jax.jit(fn)
    if config.backend() == "tensorflow":
        import tensorflow as tf
        return tf.function(fn)
    pytest.skip("torch runs eagerly; the eager results are the conformance cases")


def test_linalg_ops_run_inside_a_compiled_function():
    def fn(a, b):
        q, r = ops.qr(a)
        at = ops.transpose(a)
        return (ops.inv(a), ops.solve(a, b), ops.det(a), ops.cholesky(ops.matmul(a, at)),
                ops.matmul(q, r), ops.lu_factor(a)[1], ops.eigh(a + at)[0])

    compiled = _compiled(fn)
    for got, want in zip(compiled(A, B), fn(A, B)):
        np.testing.assert_allclose(_np(got), _np(want), rtol=1e-4, atol=1e-5)


def test_symbolic_call_infers_shapes():
    a = kfront.Input(shape=(3, 3))
    b = kfront.Input(shape=(3, 2))
    assert tuple(ops.inv(a).shape) == (None, 3, 3)
    assert tuple(ops.solve(a, b).shape) == (None, 3, 2)
    assert tuple(ops.det(a).shape) == (None,)
    u, s, vh = ops.svd(b)
    assert (tuple(u.shape), tuple(s.shape), tuple(vh.shape)) == ((None, 3, 3), (None, 2),
                                                                 (None, 2, 2))
    model = kfront.Model([a, b], ops.solve(a, b))
    np.testing.assert_allclose(_np(model.predict([A[None], B[None]], verbose=0))[0],
                               np.linalg.solve(A, B), rtol=1e-4, atol=1e-5)


def test_norm_is_the_math_norm():
    assert ops.linalg.norm is ops.norm
    assert "norm" in ops.linalg.__all__ and "logdet" in ops.linalg.__all__


@pytest.mark.parametrize("call,message", [
    (lambda: ops.det(T), r"det: `x` must be square \(\.\.\., M, M\); received shape \(4, 3\)"),
    (lambda: ops.inv(np.ones(3, "float32")), r"inv: `x` must have rank >= 2"),
    (lambda: ops.qr(T, mode="r"), r"qr: `mode` must be 'reduced' or 'complete'; received "
                                  r"mode='r'"),
    (lambda: ops.solve(A, np.ones((4, 2), "float32")),
     r"solve: incompatible shapes: expected b.shape\[-2\] == a.shape\[-1\]"),
    (lambda: ops.solve(A, np.ones((1, 1, 1, 3), "float32")),
     r"solve: `b` must have the rank of `a` or one less"),
    (lambda: ops.solve_triangular(T, B), r"solve_triangular: `a` must be square"),
    (lambda: ops.lstsq(np.ones((2, 3, 3), "float32"), B),
     r"lstsq: `a` must be a matrix \(rank 2\)"),
    (lambda: ops.lstsq(T, B), r"lstsq: the leading dimensions of `a` and `b` must match"),
    (lambda: ops.cholesky(-np.eye(2, dtype="float32")),
     r"cholesky: decomposition failed; the input is not a positive-definite matrix"),
    (lambda: ops.jvp(ops.sin, np.ones(2, "float32"), (np.ones(2, "float32"),)),
     r"jvp: `primals` must be a tuple or list"),
    (lambda: ops.jvp(ops.sin, (A,), (A, A)),
     r"jvp: `primals` and `tangents` must have the same length; received 1 and 2"),
])
def test_bad_arguments_raise_clear_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call()
