"""The numpy_array ops where the conformance cases cannot reach: inside ``jax.jit`` and
``tf.function`` (``unique`` with ``size`` gets a static shape), on symbolic tensors in a
Functional model, under gradients, and the errors a user sees."""
import numpy as np
import pytest

import kfront as keras
from kfront import config, ops

RNG = np.random.default_rng(7)
X = RNG.normal(size=(3, 4)).astype("float32")
X3 = RNG.normal(size=(2, 3, 4)).astype("float32")
UV = np.array([3, 1, 3, 2, 1, 7], "int32")


def np_(x):
    return np.asarray(ops.convert_to_numpy(x))


def _compiled(fn):
    """``fn`` compiled by the engine: ``jax.jit`` or ``tf.function``; torch runs eagerly."""
    if config.backend() == "jax":
        import jax
        return jax.jit(fn)
    if config.backend() == "tensorflow":
        import tensorflow as tf
        return tf.function(fn)
    pytest.skip("torch ops run eagerly")


# Each: (name, fn of one float32 (3, 4) tensor, NumPy reference of the same).
TRACED = [
    ("tril", lambda x: ops.tril(x, -1), lambda x: np.tril(x, -1)),
    ("triu", lambda x: ops.triu(x, 1), lambda x: np.triu(x, 1)),
    ("roll", lambda x: ops.roll(x, 2), lambda x: np.roll(x, 2)),
    ("get_item", lambda x: ops.get_item(x, (slice(None, None, -1), np.array([3, -4]))),
     lambda x: x[::-1, [3, -4]]),
    ("searchsorted", lambda x: ops.searchsorted(ops.sort(ops.ravel(x)), x[0]),
     lambda x: np.searchsorted(np.sort(x.ravel()), x[0])),
    ("diagonal", lambda x: ops.diagonal(x, 1), lambda x: np.diagonal(x, 1)),
    ("rot90", lambda x: ops.rot90(x, 3), lambda x: np.rot90(x, 3)),
    ("rearrange", lambda x: ops.rearrange(x, "a (b c) -> c a b", c=2),
     lambda x: x.reshape(3, 2, 2).transpose(2, 0, 1)),
    ("vander", lambda x: ops.vander(x[0]), lambda x: np.vander(x[0])),
    ("select", lambda x: ops.select([x > 0.5, x < -0.5], [x, -x], 9.0),
     lambda x: np.select([x > 0.5, x < -0.5], [x, -x], 9.0)),
    ("view", lambda x: ops.view(x, "int32"), lambda x: x.view("int32")),
    ("unstack", lambda x: ops.unstack(x, axis=1)[2], lambda x: x[:, 2]),
    ("unique_sized", lambda x: ops.unique(ops.round(x), size=12, fill_value=-9.0),
     lambda x: np.concatenate([np.unique(np.round(x)),
                               np.full(12 - np.unique(np.round(x)).size, -9.0)])),
]


@pytest.mark.parametrize("name,fn,ref", TRACED, ids=[t[0] for t in TRACED])
def test_ops_trace_under_jit_and_tf_function(name, fn, ref):
    got = np_(_compiled(fn)(ops.convert_to_tensor(X)))
    np.testing.assert_allclose(got, ref(X).astype(got.dtype), rtol=1e-5, atol=1e-6)


def test_unique_with_size_has_a_static_shape_when_traced():
    def fn(x):
        return ops.unique(x, size=5, return_index=True, return_counts=True, sorted=False)

    if config.backend() == "tensorflow":
        import tensorflow as tf
        traced = tf.function(fn, input_signature=[tf.TensorSpec([None], tf.int32)])
        shapes = [tuple(t.shape) for t in traced.get_concrete_function().structured_outputs]
        assert shapes == [(5,)] * 3
        out = traced(ops.convert_to_tensor(UV))
    else:
        out = _compiled(fn)(ops.convert_to_tensor(UV))
    values, index, counts = (np_(t) for t in out)
    np.testing.assert_array_equal(values, [3, 1, 2, 7, 0])
    np.testing.assert_array_equal(index, [0, 1, 3, 5, 1])
    np.testing.assert_array_equal(counts, [2, 2, 1, 1, 0])


def test_rearrange_with_a_batch_size_unknown_while_tracing():
    if config.backend() != "tensorflow":
        pytest.skip("only TensorFlow graphs have dims unknown at trace time")
    import tensorflow as tf
    fn = tf.function(lambda x: ops.rearrange(x, "b h (w c) -> (b w) c h", c=2),
                     input_signature=[tf.TensorSpec([None, 3, 4], tf.float32)])
    want = X3.reshape(2, 3, 2, 2).transpose(0, 2, 3, 1).reshape(4, 2, 3)
    np.testing.assert_array_equal(np_(fn(X3)), want)
    with pytest.raises(ValueError, match="more than one axis unknown while tracing"):
        tf.function(lambda x: ops.rearrange(x, "b (h w) c -> b h w c", h=3),
                    input_signature=[tf.TensorSpec([2, None, None], tf.float32)])(X3)


def test_ops_build_a_functional_model():
    inputs = keras.Input((3, 4))
    y = ops.rearrange(inputs, "b h w -> b w h")
    y = ops.tril(y, -1)
    y = ops.roll(y, 1, axis=1)
    first, second = ops.unstack(ops.moveaxis(y, 2, 0), axis=0)[:2]
    assert tuple(y.shape) == (None, 4, 3) and tuple(first.shape) == (None, 4)
    model = keras.Model(inputs, [y, ops.hstack([first, second])])
    out, stacked = model.predict(X3, verbose=0)
    want = np.roll(np.tril(X3.transpose(0, 2, 1), -1), 1, axis=1)
    np.testing.assert_allclose(out, want, rtol=1e-6)
    np.testing.assert_allclose(stacked, np.hstack([want[..., 0], want[..., 1]]), rtol=1e-6)


def _get_item_grad(g):
    # x[::-1, [0, 0]] reads column 0 twice, rows reversed.
    want = np.zeros(X.shape, "float32")
    want[:, 0] = g[::-1].sum(axis=1)
    return want


GRADIENTS = [
    ("roll", lambda v: ops.roll(v, 1, axis=0), lambda g: np.roll(g, -1, axis=0)),
    ("tril", lambda v: ops.tril(v), np.tril),
    ("get_item", lambda v: ops.get_item(v, (slice(None, None, -1), np.array([0, 0]))),
     _get_item_grad),
    ("rearrange", lambda v: ops.rearrange(v, "a b -> b a"), lambda g: g.T),
]


@pytest.mark.parametrize("name,fn,ref", GRADIENTS, ids=[t[0] for t in GRADIENTS])
def test_gradients_flow_through(name, fn, ref):
    v = keras.Variable(X)
    g = RNG.normal(size=tuple(ops.shape(fn(X)))).astype("float32")
    _, (grad,) = keras.backend.value_and_grad(
        lambda: ops.sum(ops.multiply(fn(v.value), g)), [v])
    np.testing.assert_allclose(np_(grad), ref(g), rtol=1e-5, atol=1e-6)


ERRORS = [
    (lambda: ops.diag(X3), r"diag: `x` must be 1-D or 2-D, received shape \(2, 3, 4\)"),
    (lambda: ops.diagonal(X[0]), r"diagonal: `x` must have at least 2 dimensions"),
    (lambda: ops.tril(X[0]), r"tril: `x` must have at least 2 dimensions, received shape \(4,\)"),
    (lambda: ops.triu(X[0]), r"triu: `x` must have at least 2 dimensions"),
    (lambda: ops.searchsorted(X, X), r"searchsorted: `sorted_sequence` must be 1-D, received "
                                     r"shape \(3, 4\)"),
    (lambda: ops.searchsorted(X[0], X, side="middle"), r"`side` must be 'left' or 'right', "
                                                       r"received 'middle'"),
    (lambda: ops.argpartition(X, 4), r"argpartition: `kth` must be in \[-4, 4\).*kth=4"),
    (lambda: ops.view(np.zeros((2, 3), "int8"), "int16"),
     r"view: cannot view a tensor of shape \(2, 3\) and dtype int8 as int16: the last axis"),
    (lambda: ops.view(np.float32(1.0), "int16"), r"view: cannot view a tensor of shape \(\)"),
    (lambda: ops.unstack(X, num=2), r"unstack: `num`=2 does not match the size 3"),
    (lambda: ops.geomspace(0.0, 1.0, 3), r"geomspace: a geometric sequence cannot include zero"),
    (lambda: ops.array_split(X, 0), r"array_split: the number of sections must be positive, "
                                    r"received 0"),
    (lambda: ops.hsplit(np.float32(1.0), 1), r"hsplit: `x` must have at least 1 dimension"),
    (lambda: ops.vsplit(X[0], 2), r"vsplit: `x` must have at least 2 dimensions"),
    (lambda: ops.dsplit(X, 2), r"dsplit: `x` must have at least 3 dimensions, received shape "
                               r"\(3, 4\)"),
    (lambda: ops.fliplr(X[0]), r"fliplr: `x` must have at least 2 dimensions"),
    (lambda: ops.swapaxes(X, 0, 2), r"swapaxes: axis 2 is out of range for a tensor of rank 2"),
    (lambda: ops.moveaxis(X3, [0, 0], [1, 2]), r"moveaxis: repeated axis in \[0, 0\]"),
    (lambda: ops.moveaxis(X3, [0, 1], [1]), r"`source` and `destination` must have the same "
                                            r"number of axes, received 2 and 1"),
    (lambda: ops.rot90(X[0]), r"rot90: `array` must have at least 2 dimensions"),
    (lambda: ops.rot90(X3, axes=(1, 1)), r"rot90: repeated axis in \[1, 1\]"),
    (lambda: ops.meshgrid(X[0], indexing="xz"), r"`indexing` must be 'xy' or 'ij', received "
                                                r"'xz'"),
    (lambda: ops.select([X > 0], [X, X]), r"`condlist` and `choicelist` must have the same "
                                          r"length, received 1 and 2"),
    (lambda: ops.vander(X), r"vander: `x` must be 1-D, received shape \(3, 4\)"),
    (lambda: ops.unravel_index(3, (None, 2)), r"unravel_index: `shape` must be fully known"),
    (lambda: ops.rearrange(X, "a b c -> c b a"), r"left side of pattern 'a b c -> c b a' names "
                                                 r"3 axes, but the tensor has shape \(3, 4\)"),
    (lambda: ops.rearrange(X, "a b -> a c"), r"both sides of pattern .* must name the same "
                                             r"axes; only on one side: \['b', 'c'\]"),
    (lambda: ops.rearrange(X, "a (b c) -> a b c", b=3), r"an axis of size 4 cannot be split "
                                                        r"into \['b', 'c'\]"),
    (lambda: ops.rearrange(X, "a (b c) -> a b c"), r"give the length of all but one of the "
                                                   r"axes \['b', 'c'\]"),
    (lambda: ops.rearrange(X, "a b -> b a", z=2), r"axes_lengths names \['z'\]"),
    (lambda: ops.rearrange(X, "a a -> a a"), r"axis 'a' appears twice on the left"),
    (lambda: ops.rearrange(X, "a b"), r"`pattern` must have the form 'in -> out'"),
]


@pytest.mark.parametrize("fn,match", ERRORS, ids=[m.split(":")[0][:40] for _, m in ERRORS])
def test_user_mistakes_get_clear_errors(fn, match):
    with pytest.raises(ValueError, match=match):
        fn()
