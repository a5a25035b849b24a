"""Regression, probabilistic and hinge metrics against scikit-learn and NumPy."""
import numpy as np
import pytest
from sklearn import metrics as skm

from kfront import metrics, ops

RNG = np.random.default_rng(5)
N, D = 40, 3
EPS = 1e-7


def to_np(x):
    return np.asarray(ops.convert_to_numpy(x), "float64")


def batches(make_y, make_p, n_batches=2):
    return [(make_y(), make_p(), RNG.uniform(0.2, 2.0, size=N).astype("float32"))
            for _ in range(n_batches)]


def stream(metric, data):
    for y, p, w in data:
        metric.update_state(y, p, sample_weight=w)
    return to_np(metric.result())


def weighted(per_sample_fn, data):
    values = np.concatenate([per_sample_fn(y.astype("float64"), p.astype("float64"))
                             for y, p, _ in data])
    w = np.concatenate([d[2] for d in data])
    return np.sum(values * w) / np.sum(w)


def positive():
    return RNG.uniform(0.1, 3.0, size=(N, D)).astype("float32")


def normal():
    return RNG.normal(size=(N, D)).astype("float32")


def dist():
    p = RNG.uniform(0.05, 1, size=(N, D))
    return (p / p.sum(1, keepdims=True)).astype("float32")


def signs():
    return RNG.choice([-1.0, 1.0], size=(N, D)).astype("float32")


def one_hot():
    return np.eye(D, dtype="float32")[RNG.integers(0, D, size=N)]


def np_cos(y, p):
    return (y * p).sum(-1) / np.linalg.norm(y, axis=-1) / np.linalg.norm(p, axis=-1)


CASES = [
    (metrics.MeanAbsolutePercentageError, positive, normal,
     lambda y, p: 100 * np.mean(np.abs((y - p) / y), -1)),
    (metrics.MeanSquaredLogarithmicError, positive, positive,
     lambda y, p: np.mean((np.log1p(p) - np.log1p(y)) ** 2, -1)),
    (metrics.LogCoshError, normal, normal, lambda y, p: np.mean(np.log(np.cosh(p - y)), -1)),
    (metrics.CosineSimilarity, normal, normal, np_cos),
    (metrics.KLDivergence, dist, dist, lambda y, p: np.sum(y * np.log(y / p), -1)),
    (metrics.Poisson, positive, positive, lambda y, p: np.mean(p - y * np.log(p + EPS), -1)),
    (metrics.Hinge, signs, normal, lambda y, p: np.mean(np.maximum(1 - y * p, 0), -1)),
    (metrics.SquaredHinge, signs, normal,
     lambda y, p: np.mean(np.maximum(1 - y * p, 0) ** 2, -1)),
    (metrics.CategoricalHinge, one_hot, normal,
     lambda y, p: np.maximum(np.max((1 - y) * p, -1) - np.sum(y * p, -1) + 1, 0)),
    (metrics.CategoricalCrossentropy, one_hot, dist, lambda y, p: -np.sum(y * np.log(p), -1)),
]


@pytest.mark.parametrize("cls,make_y,make_p,fn", CASES, ids=[c[0].__name__ for c in CASES])
def test_mean_metrics_against_numpy(cls, make_y, make_p, fn):
    data = batches(make_y, make_p)
    m = cls()
    np.testing.assert_allclose(stream(m, data), weighted(fn, data), rtol=1e-4)
    m.reset_state()
    assert to_np(m.result()) == 0.0
    again = metrics.deserialize(metrics.serialize(m))
    assert type(again) is cls and again.get_config() == m.get_config()


def test_mape_against_sklearn():
    y, p = positive(), normal()
    m = metrics.MeanAbsolutePercentageError()
    m.update_state(y[:, :1], p[:, :1])
    np.testing.assert_allclose(to_np(m.result()),
                               100 * skm.mean_absolute_percentage_error(y[:, 0], p[:, 0]),
                               rtol=1e-5)


def test_crossentropy_metrics_with_options():
    y = RNG.integers(0, D, size=N)
    logits = normal()
    log_probs = logits - np.log(np.exp(logits).sum(1, keepdims=True))
    m = metrics.SparseCategoricalCrossentropy(from_logits=True)
    m.update_state(y, logits)
    np.testing.assert_allclose(to_np(m.result()), -np.mean(log_probs[np.arange(N), y]),
                               rtol=1e-5)
    smoothed = np.eye(D)[y] * 0.8 + 0.2 / D
    m = metrics.CategoricalCrossentropy(from_logits=True, label_smoothing=0.2)
    m.update_state(np.eye(D)[y], logits)
    np.testing.assert_allclose(to_np(m.result()), -np.mean(np.sum(smoothed * log_probs, 1)),
                               rtol=1e-5)
    yb = RNG.integers(0, 2, size=(N, 1)).astype("float32")
    pb = RNG.uniform(0.05, 0.95, size=(N, 1)).astype("float32")
    m = metrics.BinaryCrossentropy()
    m.update_state(yb, pb)
    np.testing.assert_allclose(to_np(m.result()), skm.log_loss(yb[:, 0], pb[:, 0]), rtol=1e-5)
    assert m.get_config() == {"name": "binary_crossentropy", "dtype": "float32",
                              "from_logits": False, "label_smoothing": 0}


# --- R2 ------------------------------------------------------------------------------------


@pytest.mark.parametrize("aggregation,sk_name", [("uniform_average", "uniform_average"),
                                                 ("variance_weighted_average",
                                                  "variance_weighted"),
                                                 (None, "raw_values")])
def test_r2_score_matches_sklearn(aggregation, sk_name):
    y = normal()
    p = (y + 0.5 * normal()).astype("float32")
    w = RNG.uniform(0.2, 2.0, size=N).astype("float32")
    m = metrics.R2Score(class_aggregation=aggregation)
    m.update_state(y[:20], p[:20], sample_weight=w[:20])
    m.update_state(y[20:], p[20:], sample_weight=w[20:])
    np.testing.assert_allclose(
        to_np(m.result()), skm.r2_score(y, p, sample_weight=w, multioutput=sk_name), rtol=1e-4)


def test_adjusted_r2_and_errors():
    y = normal()
    p = (y + 0.5 * normal()).astype("float32")
    m = metrics.R2Score(num_regressors=2)
    m.update_state(y, p)
    r2 = skm.r2_score(y, p)
    n = y.size  # Keras counts every entry
    np.testing.assert_allclose(to_np(m.result()), 1 - (1 - r2) * (n - 1) / (n - 2 - 1),
                               rtol=1e-4)
    # More regressors than samples: the plain score.
    m = metrics.R2Score(num_regressors=500)
    m.update_state(y, p)
    np.testing.assert_allclose(to_np(m.result()), r2, rtol=1e-4)
    with pytest.raises(ValueError, match="Invalid value for argument `class_aggregation`"):
        metrics.R2Score(class_aggregation="mean")
    with pytest.raises(ValueError, match="`num_regressors`. Expected a value >= 0"):
        metrics.R2Score(num_regressors=-1)
    with pytest.raises(ValueError, match="R2Score expects 2D inputs"):
        metrics.R2Score().update_state(np.zeros((2, 2, 2)), np.zeros((2, 2, 2)))
    with pytest.raises(ValueError, match="R2Score: `y_true` and `y_pred` must have the same"):
        metrics.R2Score().update_state(np.zeros((4, 2)), np.zeros((4, 3)))
    m = metrics.R2Score(class_aggregation=None, num_regressors=1, name="r2")
    assert metrics.deserialize(metrics.serialize(m)).get_config() == m.get_config()


def test_adjusted_r2_matches_keras_3_number():
    # Computed with Keras 3.15 (TensorFlow backend) on these exact inputs.
    m = metrics.R2Score(num_regressors=1)
    m.update_state(np.array([[1.], [2.], [4.], [3.]], "float32"),
                   np.array([[1.5], [1.8], [3.5], [3.4]], "float32"))
    np.testing.assert_allclose(float(to_np(m.result())), 0.7900000214576721, rtol=1e-5)
