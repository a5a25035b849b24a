"""Conformance cases for ``contract.NN_OPS`` and ``contract.MATH_OPS`` (Keras 3 semantics).

References are computed in float64 from the float32 inputs and rounded once to float32.
"""
import math

import numpy as np

from cases_core import D, P, V, X, X3, Y, case, f32, i32
from kfront import config

f64 = np.float64
XN = X * 4  # spans [-8, 8]: reaches the saturating parts of relu6 and hard_sigmoid
x = XN.astype(f64)
_erf = np.vectorize(math.erf)


def _erfinv(y):
    """Inverse of math.erf by Newton's method, in float64 (NumPy has no erfinv)."""
    x = np.zeros_like(y)
    for _ in range(60):
        x = x - (_erf(x) - y) / (2.0 / np.sqrt(np.pi) * np.exp(-x * x))
    return x
SELU_ALPHA = 1.6732632423543772
SELU_SCALE = 1.0507009873554805


def r(a):
    """A float64 reference rounded to float32."""
    return np.asarray(a, f64).astype(f32)


def _sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


def _softplus(a):
    return np.maximum(a, 0) + np.log1p(np.exp(-np.abs(a)))


def _log_softmax(a, axis=-1):
    a = np.asarray(a, f64)
    shifted = a - a.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def _gelu_tanh(a):
    return 0.5 * a * (1 + np.tanh(np.sqrt(2 / np.pi) * (a + 0.044715 * a ** 3)))


def _elu(a, alpha):
    return np.where(a > 0, a, alpha * np.expm1(np.minimum(a, 0)))


def _hard_sigmoid(a):
    return np.clip((a + 3) / 6, 0, 1)


# Cross-entropy inputs.
_rng = np.random.default_rng(7)
EPS = config.epsilon()
T01 = _rng.integers(0, 2, (3, 4)).astype(f32)
TSOFT = _rng.uniform(0, 1, (3, 4)).astype(f32)
PROB = _rng.uniform(0.05, 0.95, (3, 4)).astype(f32)
UNNORM = _rng.uniform(0.1, 2.0, (3, 4)).astype(f32)  # rows do not sum to 1
LABELS = np.array([0, 3, 1], i32)
LABELS2 = np.array([[0, 3, 2], [1, 1, 0]], i32)
ONEHOT = np.eye(4, dtype=f32)[LABELS]
ROWPROB = (UNNORM / UNNORM.sum(-1, keepdims=True)).astype(f32)  # rows sum to 1


def _bce(t, o):
    t, o = np.asarray(t, f64), np.clip(np.asarray(o, f64), EPS, 1 - EPS)
    return -(t * np.log(o) + (1 - t) * np.log(1 - o))


def _bce_logits(t, z):
    t, z = np.asarray(t, f64), np.asarray(z, f64)
    return np.maximum(z, 0) - z * t + np.log1p(np.exp(-np.abs(z)))


def _cce(t, o, axis=-1):
    o = np.asarray(o, f64)
    o = np.clip(o / o.sum(axis=axis, keepdims=True), EPS, 1 - EPS)
    return -(np.asarray(t, f64) * np.log(o)).sum(axis=axis)


def _sparse_cce(labels, o, from_logits):
    o = np.asarray(o, f64)
    if from_logits:
        logp = _log_softmax(o)
    else:
        logp = np.log(np.clip(o / o.sum(-1, keepdims=True), EPS, 1 - EPS))
    return -np.take_along_axis(logp, labels[..., None].astype(np.int64), -1)[..., 0]


def _top_k(a, k):
    order = np.argsort(-a, axis=-1, kind="stable")[..., :k]
    return (np.take_along_axis(a, order, -1), order.astype(i32))


def _in_top_k(targets, predictions, k):
    target_scores = np.take_along_axis(predictions, targets[:, None].astype(np.int64), 1)
    return (predictions > target_scores).sum(axis=1) < k


BIG = np.array([[1000.0, 1000.0, 990.0], [-1000.0, -1000.0, -1010.0]], f32)

NN_CASES = [
    case("relu", "float", XN, expected=np.maximum(XN, 0)),
    case("relu6", "float", XN, expected=np.clip(XN, 0, 6)),
    case("sigmoid", "float", XN, expected=r(_sigmoid(x))),
    case("softplus", "float", XN, expected=r(_softplus(x))),
    case("softsign", "float", XN, expected=r(x / (1 + np.abs(x)))),
    case("silu", "float", XN, expected=r(x * _sigmoid(x))),
    case("swish", "float", XN, expected=r(x * _sigmoid(x))),
    case("gelu", "tanh_approximation_default", XN, expected=r(_gelu_tanh(x))),
    case("gelu", "exact_erf", XN, approximate=False,
         expected=r(0.5 * x * (1 + _erf(x / np.sqrt(2))))),
    case("elu", "default_alpha", XN, expected=r(_elu(x, 1.0))),
    case("elu", "alpha_0_5", XN, alpha=0.5, expected=r(_elu(x, 0.5))),
    case("selu", "float", XN, expected=r(SELU_SCALE * _elu(x, SELU_ALPHA))),
    case("leaky_relu", "default_slope_0_2", XN, expected=r(np.where(x > 0, x, 0.2 * x))),
    case("leaky_relu", "slope_0_01", XN, negative_slope=0.01,
         expected=r(np.where(x > 0, x, 0.01 * x))),
    case("hard_sigmoid", "float", XN, expected=r(_hard_sigmoid(x))),
    case("hard_silu", "float", XN, expected=r(x * _hard_sigmoid(x))),
    case("log_sigmoid", "float", XN, expected=r(-_softplus(-x))),
    case("log_sigmoid", "large_magnitude", np.array([-100.0, 100.0], f32),
         expected=r(-_softplus(-np.array([-100.0, 100.0])))),
    case("exponential", "float", X, expected=r(np.exp(X.astype(f64)))),
    case("softmax", "last_axis", XN, expected=r(np.exp(_log_softmax(x)))),
    case("softmax", "axis_0", XN, axis=0, expected=r(np.exp(_log_softmax(x, 0)))),
    case("softmax", "rank3_axis_1", X3, axis=1, expected=r(np.exp(_log_softmax(X3, 1)))),
    case("softmax", "large_logits_stable", BIG, expected=r(np.exp(_log_softmax(BIG)))),
    case("log_softmax", "last_axis", XN, expected=r(_log_softmax(x))),
    case("log_softmax", "axis_0", XN, axis=0, expected=r(_log_softmax(x, 0))),
    case("log_softmax", "large_logits_stable", BIG, expected=r(_log_softmax(BIG))),
    case("one_hot", "default_float32", np.array([0, 2, 1, 3], i32), 4,
         expected=np.eye(4, dtype=f32)[[0, 2, 1, 3]]),
    case("one_hot", "axis_0", np.array([0, 2, 1], i32), 4, axis=0,
         expected=np.eye(4, dtype=f32)[[0, 2, 1]].T),
    case("one_hot", "rank2_labels", np.array([[0, 1], [3, 2]], i32), 4,
         expected=np.eye(4, dtype=f32)[[[0, 1], [3, 2]]]),
    case("one_hot", "dtype_int32", np.array([1, 0], i32), 3, dtype="int32",
         expected=np.eye(3, dtype=i32)[[1, 0]]),
    case("binary_crossentropy", "hard_targets", T01, PROB, expected=r(_bce(T01, PROB))),
    case("binary_crossentropy", "soft_targets", TSOFT, PROB, expected=r(_bce(TSOFT, PROB))),
    # At exactly 0 and 1 the output is clipped to [eps, 1 - eps]; engines round 1 - eps in
    # float32 and some add eps inside the log, so -log(eps) ~ 16.1 comes out between 15.3
    # and 16.2.
    case("binary_crossentropy", "clipped_at_0_and_1", np.array([1, 0, 1, 0], f32),
         np.array([0, 1, 1, 0], f32), expected=r(_bce([1, 0, 1, 0], [0, 1, 1, 0])),
         rtol=0.06),
    case("binary_crossentropy", "from_logits", T01, XN, from_logits=True,
         expected=r(_bce_logits(T01, XN))),
    case("binary_crossentropy", "from_logits_large_stable", np.array([1, 1, 0, 0], f32),
         np.array([100, -100, 100, -100], f32), from_logits=True,
         expected=np.array([0, 100, 100, 0], f32)),
    case("categorical_crossentropy", "renormalises_probabilities", ONEHOT, UNNORM,
         expected=r(_cce(ONEHOT, UNNORM))),
    case("categorical_crossentropy", "soft_targets", TSOFT, PROB, expected=r(_cce(TSOFT, PROB))),
    case("categorical_crossentropy", "from_logits", ONEHOT, XN, from_logits=True,
         expected=r(-(ONEHOT * _log_softmax(x)).sum(-1))),
    case("categorical_crossentropy", "axis_0", ONEHOT.T, UNNORM.T, axis=0,
         expected=r(_cce(ONEHOT.T, UNNORM.T, axis=0))),
    # Rows sum to 1 here: Keras engines differ on clipping before or after renormalising.
    case("sparse_categorical_crossentropy", "probabilities", LABELS, ROWPROB,
         expected=r(_sparse_cce(LABELS, ROWPROB, False))),
    case("sparse_categorical_crossentropy", "from_logits", LABELS, XN, from_logits=True,
         expected=r(_sparse_cce(LABELS, XN, True))),
    case("sparse_categorical_crossentropy", "trailing_unit_dim", LABELS[:, None], XN,
         from_logits=True, expected=r(_sparse_cce(LABELS, XN, True))),
    case("sparse_categorical_crossentropy", "rank3_from_logits", LABELS2, X3, from_logits=True,
         expected=r(_sparse_cce(LABELS2, X3, True))),
]

MATH_CASES = [
    case("logsumexp", "all", X, expected=r(np.log(np.exp(X.astype(f64)).sum()))),
    case("logsumexp", "axis_1_keepdims", X, axis=1, keepdims=True,
         expected=r(np.log(np.exp(X.astype(f64)).sum(1, keepdims=True)))),
    case("logsumexp", "large_values_stable", BIG, axis=1,
         expected=r(np.log(np.exp(BIG - BIG.max(1, keepdims=True)).sum(1)) + BIG.max(1))),
    case("erf", "float", X, expected=r(_erf(X.astype(f64)))),
    case("erfc", "float", X, expected=r(1.0 - _erf(X.astype(f64)))),
    case("erfc", "int32_gives_floatx", np.array([0, 1, -2], i32),
         expected=r(1.0 - _erf(np.array([0.0, 1.0, -2.0])))),
    case("erfinv", "float", np.array([-0.9, -0.3, 0.0, 0.5, 0.99], f32),
         expected=r(_erfinv(np.array([-0.9, -0.3, 0.0, 0.5, 0.99], f32).astype(f64))),
         rtol=1e-4),
    case("rsqrt", "float", P, expected=r(1.0 / np.sqrt(P.astype(f64))), rtol=1e-5),
    case("cdist", "rows", X, Y, expected=r(np.sqrt(((X[:, None, :].astype(f64)
                                                        - Y[None, :, :]) ** 2).sum(-1)))),
    case("cdist", "batched", X3, X3[:, :2], expected=r(np.sqrt(
        ((X3[:, :, None, :].astype(f64) - X3[:, None, :2, :]) ** 2).sum(-1)))),
    case("top_k", "rows_k2", D, 2, expected=_top_k(D, 2)),
    case("top_k", "vector_k3", V, 3, expected=_top_k(V, 3)),
    case("in_top_k", "k1", LABELS, D, 1, expected=_in_top_k(LABELS, D, 1)),
    case("in_top_k", "k2", LABELS, D, 2, expected=_in_top_k(LABELS, D, 2)),
    case("in_top_k", "k4_all_true", LABELS, D, 4, expected=np.ones(3, bool)),
    case("norm", "vector_default", V, expected=r(np.linalg.norm(V.astype(f64)))),
    case("norm", "vector_ord_1", V, ord=1, expected=r(np.linalg.norm(V.astype(f64), 1))),
    case("norm", "vector_ord_2", V, ord=2, expected=r(np.linalg.norm(V.astype(f64), 2))),
    case("norm", "vector_ord_inf", V, ord=np.inf,
         expected=r(np.linalg.norm(V.astype(f64), np.inf))),
    case("norm", "matrix_default", X, expected=r(np.linalg.norm(X.astype(f64)))),
    case("norm", "matrix_fro", X, ord="fro", expected=r(np.linalg.norm(X.astype(f64), "fro"))),
    case("norm", "rows_axis_1", X, axis=1, expected=r(np.linalg.norm(X.astype(f64), axis=1))),
    case("norm", "rows_ord_1_keepdims", P, ord=1, axis=1, keepdims=True,
         expected=r(np.linalg.norm(P.astype(f64), 1, axis=1, keepdims=True))),
]
