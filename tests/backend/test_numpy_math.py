"""numpy_math ops beyond the NumPy cases: argument errors, gradients against finite
differences, compiled functions (jax.jit, tf.function) and symbolic calls in a Functional model."""
import numpy as np
import pytest

import kfront
from kfront import config, ops

RNG = np.random.default_rng(7)
X = RNG.uniform(-2, 2, (3, 4)).astype("float32")
Y = RNG.uniform(-2, 2, (3, 4)).astype("float32")
XN = X.copy()
XN[0, 1] = XN[2, 3] = np.nan
I = RNG.integers(-9, 10, (3, 4)).astype("int32")
J = RNG.integers(1, 9, (3, 4)).astype("int32")


def _np(t):
    return np.asarray(ops.convert_to_numpy(t))


# ---- argument errors --------------------------------------------------------------------

@pytest.mark.parametrize("call,error,message", [
    (lambda: ops.ldexp(X, np.ones((3, 4), "float32")), TypeError,
     r"ldexp: `x2` must be an integer or bool tensor. Received: x2 of dtype float32"),
    (lambda: ops.ldexp(X, 1.5), TypeError, r"ldexp: `x2` must be an integer"),
    (lambda: ops.bitwise_and(X, Y), TypeError,
     r"bitwise_and: `x1?` must be an integer or bool tensor. Received: x1? of dtype float32"),
    (lambda: ops.left_shift(X, 1), TypeError, r"bitwise_left_shift: `x1?` must be an integer"),
    (lambda: ops.bitwise_invert(X), TypeError, r"bitwise_invert: `x` must be an integer"),
    (lambda: ops.gcd(X, Y), TypeError, r"gcd: `x1?` must be an integer"),
    (lambda: ops.lcm(I > 0, I > 1), TypeError,
     r"lcm: `x1` must be an integer tensor. Received: x1 of dtype bool"),
    (lambda: ops.quantile(X, 0.5, method="cubic"), ValueError,
     r"quantile: `method` must be one of .*'linear'.* Received: method='cubic'"),
    (lambda: ops.nanpercentile(X, 50, method="cubic"), ValueError,
     r"nanquantile: `method` must be one of"),
    (lambda: ops.histogram(X.ravel(), bins=0), ValueError,
     r"histogram: `bins` must be a positive int. Received: bins=0"),
    (lambda: ops.histogram(X.ravel(), bins=[0.0, 1.0]), TypeError,
     r"histogram: `bins` must be an int. Received: bins=\[0.0, 1.0\]"),
    (lambda: ops.histogram(X.ravel(), range=(1.0, 0.0)), ValueError,
     r"histogram: `range` must have min <= max. Received: range=\(1.0, 0.0\)"),
    (lambda: ops.histogram(X, bins=3), ValueError, r"histogram: `x` must be 1D"),
    (lambda: ops.bincount(np.array([0, 1], "int32"), sparse=True), ValueError,
     r"bincount: kfront has no sparse tensors"),
    (lambda: ops.bincount(np.zeros((2, 2, 2), "int32")), ValueError,
     r"bincount: `x` must be 1D or 2D. Received: x of rank 3"),
    (lambda: ops.cross(X, Y), ValueError,
     r"cross: the vector axis must have size 2 or 3. Received: size 4"),
    (lambda: ops.correlate(X[0], Y[0], mode="wide"), ValueError,
     r"correlate: `mode` must be 'valid', 'same' or 'full'. Received: mode='wide'"),
])
def test_argument_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()


# ---- gradients ----------------------------------------------------------------------------

GRADIENT_OPS = {
    "logaddexp": lambda x: ops.sum(ops.logaddexp(x, Y)),
    "arctan2": lambda x: ops.sum(ops.arctan2(x, Y)),
    "hypot": lambda x: ops.sum(ops.hypot(x, Y)),
    "nanmean": lambda x: ops.sum(ops.nanmean(ops.where(ops.isnan(XN), np.nan, x), axis=1)),
    "quantile": lambda x: ops.sum(ops.quantile(x, [0.3, 0.8], axis=1)),
    "cbrt": lambda x: ops.sum(ops.cbrt(x)),
}


@pytest.mark.parametrize("name", list(GRADIENT_OPS))
def test_gradient_matches_finite_differences(name):
    fn = GRADIENT_OPS[name]
    var = kfront.Variable(X, name="x")
    _, (grad,) = kfront.backend.value_and_grad(lambda: fn(var), [var])
    x64 = X.astype("float64")
    want = np.zeros_like(x64)
    eps = 1e-3
    for idx in np.ndindex(X.shape):
        up, down = x64.copy(), x64.copy()
        up[idx] += eps
        down[idx] -= eps
        want[idx] = (float(_np(fn(up.astype("float32"))))
                     - float(_np(fn(down.astype("float32"))))) / (2 * eps)
    np.testing.assert_allclose(_np(grad), want, rtol=2e-2, atol=2e-2)


# ---- compiled functions -----------------------------------------------------------------

def _compiled(fn):
    """``fn`` under the engine's compiler (jax.jit, tf.function); torch runs eagerly."""
    if config.backend() == "jax":
        import jax
        return jax.jit(fn)
    if config.backend() == "tensorflow":
        import tensorflow as tf
        return tf.function(fn)
    return fn


COMPILED = {
    "nanmean": (lambda x: ops.nanmean(x, axis=1), XN, np.nanmean(XN, 1)),
    "nanquantile": (lambda x: ops.nanquantile(x, 0.25, axis=0), XN,
                    np.nanquantile(XN.astype("float64"), 0.25, axis=0)),
    "median": (lambda x: ops.median(x, axis=-1, keepdims=True), X,
               np.median(X, -1, keepdims=True)),
    "nan_to_num": (lambda x: ops.nan_to_num(x, nan=-1.0), XN, np.nan_to_num(XN, nan=-1.0)),
    "gcd": (lambda x: ops.gcd(x, 12), I, np.gcd(I, 12)),
    "lcm": (lambda x: ops.lcm(x, J), I, np.lcm(I, J)),
    "histogram_counts": (lambda x: ops.histogram(x, bins=4)[0], X.ravel(),
                         np.histogram(X.ravel(), bins=4)[0]),
    "bincount_minlength": (lambda x: ops.bincount(x, minlength=10), np.abs(I).ravel() % 10,
                           np.bincount(np.abs(I).ravel() % 10, minlength=10)),
    "trace": (lambda x: ops.trace(x, offset=1), X, np.trace(X, 1)),
}


@pytest.mark.parametrize("name", list(COMPILED))
def test_compiled(name):
    fn, x, want = COMPILED[name]
    got = _compiled(fn)(ops.convert_to_tensor(x))
    np.testing.assert_allclose(_np(got), want, rtol=1e-5, atol=1e-6)


def test_bincount_inside_jax_jit_needs_minlength():
    if config.backend() != "jax":
        pytest.skip("only JAX must know output lengths while tracing")
    import jax
    with pytest.raises(ValueError, match="bincount: inside jax.jit .* pass `minlength`"):
        jax.jit(ops.bincount)(ops.convert_to_tensor(np.array([0, 2], "int32")))


def test_quantile_with_unknown_batch_dimension_in_tf_function():
    if config.backend() != "tensorflow":
        pytest.skip("only TensorFlow graphs have dims unknown at trace time")
    import tensorflow as tf
    fn = tf.function(lambda x: ops.quantile(x, [0.5, 0.9], axis=1),
                     input_signature=[tf.TensorSpec((None, 4), tf.float32)])
    np.testing.assert_allclose(_np(fn(tf.constant(X))), np.quantile(X, [0.5, 0.9], axis=1),
                               rtol=1e-5)


# ---- symbolic calls ---------------------------------------------------------------------

def test_ops_in_a_functional_model():
    a = kfront.Input(shape=(4,))
    b = kfront.Input(shape=(4,))
    mixed = ops.logaddexp(a, b)
    spread = ops.nanstd(a, axis=-1, keepdims=True)
    assert mixed.shape == (None, 4) and mixed.dtype == "float32"
    assert spread.shape == (None, 1)
    model = kfront.Model([a, b], [mixed, spread])
    got_mixed, got_spread = model.predict([X, Y], verbose=0)
    np.testing.assert_allclose(got_mixed, np.logaddexp(X, Y), rtol=1e-5)
    np.testing.assert_allclose(got_spread, np.std(X, -1, keepdims=True), rtol=1e-5)


def test_symbolic_dtype_rules():
    ints = kfront.Input(shape=(4,), dtype="int32")
    assert ops.arcsinh(ints).dtype == "float32"
    assert ops.nansum(ints, axis=-1).shape == (None,)
    assert ops.bitwise_xor(ints, ints).dtype == "int32"
    assert ops.isin(ints, [1, 2]).dtype == "bool"
    assert ops.percentile(ints, [10, 90], axis=-1).shape == (2, None)
