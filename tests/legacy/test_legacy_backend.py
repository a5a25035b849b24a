"""Keras 2 backend functions (``from kfront import backend as K``) against NumPy."""
import numpy as np
import pytest

import kfront
from kfront import backend as K
from kfront.legacy.backend_names import NAMES

RNG = np.random.default_rng(0)
A = RNG.normal(size=(3, 4)).astype("float32")
B = RNG.normal(size=(3, 4)).astype("float32")
P = RNG.uniform(0.05, 0.95, size=(3, 4)).astype("float32")


def np_(x):
    return np.asarray(K.get_value(x))


def close(x, expected, **kw):
    np.testing.assert_allclose(np_(x), expected, rtol=kw.get("rtol", 1e-5),
                               atol=kw.get("atol", 1e-6))


def test_every_name_is_reachable_from_kfront_backend():
    missing = [n for n in NAMES if not callable(getattr(K, n, None))]
    assert missing == []


UNARY = {
    "abs": np.abs, "square": np.square, "exp": np.exp, "sign": np.sign, "round": np.round,
    "tanh": np.tanh, "cos": np.cos, "sin": np.sin,
    "sqrt": lambda a: np.sqrt(np.maximum(a, 0)),  # Keras 2 clips negatives to 0
    "sigmoid": lambda a: 1 / (1 + np.exp(-a)),
    "softplus": lambda a: np.log1p(np.exp(a)),
    "softsign": lambda a: a / (1 + np.abs(a)),
    "hard_sigmoid": lambda a: np.clip(0.2 * a + 0.5, 0, 1),
    "elu": lambda a: np.where(a > 0, a, np.exp(a) - 1),
    "relu": lambda a: np.maximum(a, 0),
    "transpose": np.transpose, "flatten": np.ravel,
    "softmax": lambda a: np.exp(a) / np.exp(a).sum(-1, keepdims=True),
    "l2_normalize": lambda a: a / np.sqrt(np.sum(a ** 2)),
}


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary(name):
    close(getattr(K, name)(K.constant(A)), UNARY[name](A).astype("float32"))


def test_log_of_positive():
    close(K.log(K.constant(P)), np.log(P))


REDUCTIONS = {"sum": np.sum, "prod": np.prod, "max": np.max, "min": np.min, "mean": np.mean,
              "std": np.std, "var": np.var}


@pytest.mark.parametrize("name", sorted(REDUCTIONS))
@pytest.mark.parametrize("axis,keepdims", [(None, False), (1, False), (0, True), (-1, True)])
def test_reductions(name, axis, keepdims):
    close(getattr(K, name)(K.constant(A), axis=axis, keepdims=keepdims),
          REDUCTIONS[name](A, axis=axis, keepdims=keepdims), rtol=1e-4)


def test_mean_of_bools_is_float():
    flags = A > 0
    out = K.mean(K.constant(flags, dtype="bool"), axis=0)
    assert K.dtype(out) == "float32"
    close(out, flags.mean(0))


def test_any_all_argmax_argmin_cumsum_cumprod():
    x = K.constant(A)
    np.testing.assert_array_equal(np_(K.any(K.constant(A > 1), axis=1)), (A > 1).any(1))
    np.testing.assert_array_equal(np_(K.all(K.constant(A > -1), axis=0)), (A > -1).all(0))
    np.testing.assert_array_equal(np_(K.argmax(x)), A.argmax(-1))
    np.testing.assert_array_equal(np_(K.argmin(x, axis=0)), A.argmin(0))
    close(K.cumsum(x), np.cumsum(A, 0))
    close(K.cumprod(x, axis=1), np.cumprod(A, 1), rtol=1e-4)


BINARY = {"maximum": np.maximum, "minimum": np.minimum, "equal": np.equal,
          "not_equal": np.not_equal, "greater": np.greater, "greater_equal": np.greater_equal,
          "less": np.less, "less_equal": np.less_equal}


@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary(name):
    close(getattr(K, name)(K.constant(A), K.constant(B)), BINARY[name](A, B))


def test_pow_clip_and_relu_options():
    close(K.pow(K.constant(P), 3), P ** 3, rtol=1e-4)
    close(K.clip(K.constant(A), -0.5, 0.5), np.clip(A, -0.5, 0.5))
    close(K.clip(K.constant(A), 0.5, 0.2), np.full_like(A, 0.5))  # max < min: max = min
    close(K.clip(K.constant(A), None, 0.1), np.minimum(A, 0.1))
    close(K.relu(K.constant(A), alpha=0.1, max_value=0.5),
          np.minimum(np.where(A > 0, A, 0.1 * A), 0.5))


def test_dot_and_batch_dot():
    x3 = RNG.normal(size=(2, 3, 4)).astype("float32")
    y3 = RNG.normal(size=(2, 4, 5)).astype("float32")
    close(K.dot(K.constant(A), K.constant(B.T)), A @ B.T, rtol=1e-4)
    close(K.dot(K.constant(x3), K.constant(B.T)), np.dot(x3, B.T), rtol=1e-4)
    out = K.batch_dot(K.constant(A), K.constant(B), axes=1)
    assert K.int_shape(out) == (3, 1)
    close(out, np.sum(A * B, axis=1, keepdims=True), rtol=1e-4)
    close(K.batch_dot(K.constant(x3), K.constant(y3)), np.einsum("bij,bjk->bik", x3, y3),
          rtol=1e-4)
    close(K.batch_dot(K.constant(x3), K.constant(x3), axes=(2, 2)),
          np.einsum("bij,bkj->bik", x3, x3), rtol=1e-4)
    close(K.batch_dot(K.constant(x3), K.constant(A[:2]), axes=(2, 1)),
          np.einsum("bij,bj->bi", x3, A[:2]), rtol=1e-4)
    with pytest.raises(ValueError, match="axis 0"):
        K.batch_dot(K.constant(A), K.constant(B), axes=0)


def test_shapes_and_creation():
    x = K.constant(A)
    assert K.int_shape(x) == (3, 4) and K.ndim(x) == 2 and K.count_params(x) == 12
    assert tuple(K.shape(x)) == (3, 4)
    assert K.dtype(K.cast(x, "float16")) == "float16"
    close(K.reshape(x, (4, 3)), A.reshape(4, 3))
    close(K.concatenate([x, x]), np.concatenate([A, A], -1))
    close(K.stack([x, x], axis=1), np.stack([A, A], 1))
    close(K.expand_dims(x), A[..., None])
    close(K.squeeze(K.expand_dims(x, 0), 0), A)
    close(K.permute_dimensions(K.expand_dims(x), (2, 0, 1)), A[..., None].transpose(2, 0, 1))
    close(K.batch_flatten(K.constant(np.ones((2, 3, 4)))), np.ones((2, 12)))
    close(K.repeat_elements(x, 2, axis=1), np.repeat(A, 2, axis=1))
    close(K.tile(x, (2, 1)), np.tile(A, (2, 1)))
    close(K.gather(x, [2, 0]), A[[2, 0]])
    close(K.reverse(x, 1), A[:, ::-1])
    close(K.ones((2, 3)), np.ones((2, 3)))
    close(K.zeros((2,)), np.zeros(2))
    close(K.ones_like(x), np.ones_like(A))
    close(K.zeros_like(x), np.zeros_like(A))
    close(K.eye(3), np.eye(3))
    close(K.one_hot(K.constant([0, 2], dtype="int32"), 3), np.eye(3)[[0, 2]])
    close(K.constant(2.0, shape=(2, 2)), np.full((2, 2), 2.0))
    close(K.bias_add(x, K.constant(B[0])), A + B[0])
    close(K.stop_gradient(x), A)


def test_switch_and_in_top_k():
    cond = A > 0
    close(K.switch(K.constant(cond, dtype="bool"), K.constant(A), K.constant(B)),
          np.where(cond, A, B))
    rows = K.constant(cond[:, 0], dtype="bool")  # lower rank: one choice per row
    close(K.switch(rows, lambda: K.constant(A), lambda: K.constant(B)),
          np.where(cond[:, :1], A, B))
    targets = np.array([0, 1, 3])
    top2 = np.argsort(-A, axis=1)[:, :2]
    expected = np.array([t in row for t, row in zip(targets, top2)])
    np.testing.assert_array_equal(np_(K.in_top_k(K.constant(A), K.constant(targets, "int32"), 2)),
                                  expected)


def test_crossentropies_target_first():
    t = (A > 0).astype("float32")
    close(K.binary_crossentropy(K.constant(t), K.constant(P)),
          -(t * np.log(P) + (1 - t) * np.log(1 - P)), rtol=1e-4)
    probs = P / P.sum(-1, keepdims=True)
    onehot = np.eye(4, dtype="float32")[[0, 3, 1]]
    close(K.categorical_crossentropy(K.constant(onehot), K.constant(probs)),
          -np.log(probs[[0, 1, 2], [0, 3, 1]]), rtol=1e-4)
    close(K.sparse_categorical_crossentropy(K.constant([0, 3, 1], "int32"), K.constant(probs)),
          -np.log(probs[[0, 1, 2], [0, 3, 1]]), rtol=1e-4)
    logits = K.constant(A)
    close(K.categorical_crossentropy(K.constant(onehot), logits, from_logits=True),
          -np.log(np.exp(A) / np.exp(A).sum(-1, keepdims=True))[[0, 1, 2], [0, 3, 1]],
          rtol=1e-4)


def test_variables_and_values():
    v = K.variable(np.ones((2, 2)), name="w")
    assert isinstance(v, kfront.Variable) and K.dtype(v) == "float32"
    K.set_value(v, np.full((2, 2), 3.0))
    np.testing.assert_array_equal(K.get_value(v), np.full((2, 2), 3.0))
    K.batch_set_value([(v, np.zeros((2, 2)))])
    np.testing.assert_array_equal(K.batch_get_value([v, K.constant([1.0])])[0], np.zeros((2, 2)))
    K.update_add(v, np.ones((2, 2)))
    np.testing.assert_array_equal(K.eval(v), np.ones((2, 2)))
    assert K.dtype(K.variable([1, 2], dtype="int32")) == "int32"


def test_random_and_dropout():
    kfront.utils.set_random_seed(1)
    n = K.get_value(K.random_normal((200, 50), mean=2.0, stddev=3.0, seed=1))
    u = K.get_value(K.random_uniform((200, 50), minval=-1.0, maxval=3.0, seed=2))
    assert abs(n.mean() - 2.0) < 0.15 and abs(n.std() - 3.0) < 0.15
    assert u.min() >= -1.0 and u.max() < 3.0 and abs(u.mean() - 1.0) < 0.05
    b = K.get_value(K.random_bernoulli((200, 50), p=0.3, seed=3))
    assert set(np.unique(b)) <= {0.0, 1.0} and abs(b.mean() - 0.3) < 0.03
    d = K.get_value(K.dropout(K.ones((200, 50)), 0.25, seed=4))
    np.testing.assert_allclose(np.unique(d), [0.0, 1 / 0.75], rtol=1e-6)
    assert abs((d == 0).mean() - 0.25) < 0.03


def test_settings_and_session():
    assert K.epsilon() == kfront.config.epsilon() and K.floatx() == "float32"
    assert K.learning_phase() == 0
    K.set_learning_phase(1)
    assert K.learning_phase() == 1
    K.set_learning_phase(0)
    with pytest.raises(ValueError, match="0 or 1"):
        K.set_learning_phase(2)
    assert K.is_keras_tensor(kfront.Input((2,))) and not K.is_keras_tensor(K.constant(A))
    kfront.layers.Dense(1, name=None)
    K.clear_session()
    assert kfront.layers.Dense(1).name == "dense"
    assert K.is_sparse(K.constant(A)) is False


def test_remaining_helpers():
    np.testing.assert_array_equal(np_(K.arange(1, 7, 2)), [1, 3, 5])
    close(K.logsumexp(K.constant(A), axis=1), np.log(np.exp(A).sum(1)), rtol=1e-5)
    close(K.eye((2, 3)), np.eye(2, 3))
    t = K.get_value(K.truncated_normal((100, 100), mean=1.0, stddev=2.0, seed=5))
    assert np.abs(t - 1.0).max() <= 4.0 + 1e-5 and abs(t.mean() - 1.0) < 0.1
    v = K.variable(np.zeros(3))
    K.update(v, np.array([1.0, 2.0, 3.0], "float32"))
    K.update_sub(v, np.ones(3, "float32"))
    np.testing.assert_array_equal(K.eval(v), [0.0, 1.0, 2.0])
