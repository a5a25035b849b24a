"""Metrics against NumPy references: streaming state, sample weights, reset, config."""
import numpy as np
import pytest

from kfront import losses, metrics, ops
from kfront.backend.scope import StatelessScope

RNG = np.random.default_rng(1)
N, C = 12, 6


def to_np(x):
    return np.asarray(ops.convert_to_numpy(x))


def weighted_mean(values, weights=None):
    values = np.asarray(values, "float64")
    if weights is None:
        return values.mean()
    return np.sum(values * weights) / np.sum(weights)


def batches(n_batches=3, weighted=True):
    """Random (y_int, probs, sample_weight) batches."""
    out = []
    for _ in range(n_batches):
        y = RNG.integers(0, C, size=N)
        p = RNG.uniform(size=(N, C)).astype("float32")
        w = RNG.uniform(0.1, 2, size=N).astype("float32") if weighted else None
        out.append((y, p, w))
    return out


def stream(metric, data):
    """Feeds every batch and returns the result as a float."""
    for args in data:
        metric.update_state(*args)
    return float(to_np(metric.result()))


# --- reductions --------------------------------------------------------------------------


def test_mean_accumulates_with_weights_and_resets():
    m = metrics.Mean()
    a, wa = RNG.normal(size=5), RNG.uniform(size=5)
    b = RNG.normal(size=3)
    m.update_state(a, sample_weight=wa)
    m.update_state(b)
    expected = (np.sum(a * wa) + np.sum(b)) / (np.sum(wa) + 3)
    np.testing.assert_allclose(float(to_np(m.result())), expected, rtol=1e-5)
    np.testing.assert_allclose([float(to_np(v)) for v in m.variables],
                               [np.sum(a * wa) + np.sum(b), np.sum(wa) + 3], rtol=1e-5)
    m.reset_state()
    assert [float(to_np(v)) for v in m.variables] == [0.0, 0.0]
    assert float(to_np(m.result())) == 0.0  # 0 / 0 reads as 0, not NaN
    np.testing.assert_allclose(float(to_np(m([2.0, 4.0]))), 3.0)


def test_mean_of_one_value_weighted_by_a_number_counts_it_that_many_times():
    # The loss tracker's call: one scalar per batch, weighted by the batch size.
    m = metrics.Mean()
    assert float(to_np(m.result())) == 0.0
    m.update_state(ops.convert_to_tensor(2.0), sample_weight=3)
    m.update_state(4.0, sample_weight=1)
    m.update_state(np.float32(100.0), sample_weight=0.0)
    np.testing.assert_allclose([float(to_np(v)) for v in m.variables], [10.0, 4.0])
    np.testing.assert_allclose(float(to_np(m.result())), 2.5)
    zero_weight = metrics.Mean()
    zero_weight.update_state(5.0, sample_weight=0)
    assert float(to_np(zero_weight.result())) == 0.0
    # A vector with a number as its weight: the number weights the vector's mean, as in
    # Keras (rank-0 weights reduce the values to rank 0 first).
    vector = metrics.Mean()
    vector.update_state([1.0, 3.0], sample_weight=2)
    np.testing.assert_allclose([float(to_np(v)) for v in vector.variables], [4.0, 2.0])


def test_mean_of_rank_2_values_averages_each_sample_first():
    m = metrics.Mean()
    values = RNG.normal(size=(4, 3))
    w = RNG.uniform(size=4)
    m.update_state(values, sample_weight=w)
    np.testing.assert_allclose(float(to_np(m.result())), weighted_mean(values.mean(1), w),
                               rtol=1e-5)


def test_sum():
    m = metrics.Sum()
    a, w = RNG.normal(size=(4, 2)), RNG.uniform(size=4)
    m.update_state(a, sample_weight=w)
    m.update_state(3.0)
    np.testing.assert_allclose(float(to_np(m.result())), np.sum(a.sum(1) * w) + 3, rtol=1e-5)
    m.reset_state()
    assert float(to_np(m.result())) == 0.0


def test_metric_variables_are_non_trainable_named_state():
    m = metrics.Mean(name="avg")
    assert [v.path for v in m.variables] == ["avg/total", "avg/count"]
    assert not any(v.trainable for v in m.variables)
    assert all(v.dtype == "float32" for v in m.variables)


# --- regression --------------------------------------------------------------------------


@pytest.mark.parametrize("cls,fn", [
    (metrics.MeanSquaredError, lambda y, p: np.mean((y - p) ** 2, -1)),
    (metrics.MeanAbsoluteError, lambda y, p: np.mean(np.abs(y - p), -1)),
])
def test_regression_metrics(cls, fn):
    data = [(RNG.normal(size=(N, 3)).astype("float32"), RNG.normal(size=(N, 3)).astype("float32"),
             RNG.uniform(size=N).astype("float32")) for _ in range(3)]
    per_sample = np.concatenate([fn(y, p) for y, p, _ in data])
    weights = np.concatenate([w for _, _, w in data])
    np.testing.assert_allclose(stream(cls(), data), weighted_mean(per_sample, weights),
                               rtol=1e-5)


def test_root_mean_squared_error():
    y, p = RNG.normal(size=(N, 2)), RNG.normal(size=(N, 2))
    m = metrics.RootMeanSquaredError()
    m.update_state(y[:6], p[:6])
    m.update_state(y[6:], p[6:])
    np.testing.assert_allclose(float(to_np(m.result())), np.sqrt(np.mean((y - p) ** 2)),
                               rtol=1e-5)


# --- accuracy ----------------------------------------------------------------------------


def test_accuracy():
    y = RNG.integers(0, 3, size=(N, 1))
    p = RNG.integers(0, 3, size=N)
    w = RNG.uniform(size=N)
    np.testing.assert_allclose(stream(metrics.Accuracy(), [(y, p, w)]),
                               weighted_mean(y[:, 0] == p, w), rtol=1e-5)


@pytest.mark.parametrize("threshold", [0.5, 0.7])
def test_binary_accuracy(threshold):
    data = []
    for _ in range(2):
        y = RNG.integers(0, 2, size=(N, 1)).astype("float32")
        p = RNG.uniform(size=(N, 1)).astype("float32")
        data.append((y, p, RNG.uniform(size=N).astype("float32")))
    per_sample = np.concatenate([(y == (p > threshold))[:, 0] for y, p, _ in data])
    weights = np.concatenate([w for *_, w in data])
    got = stream(metrics.BinaryAccuracy(threshold=threshold), data)
    np.testing.assert_allclose(got, weighted_mean(per_sample, weights), rtol=1e-5)
    # (N,) labels against (N, 1) predictions line up instead of broadcasting.
    y, p, _ = data[0]
    np.testing.assert_allclose(float(to_np(metrics.BinaryAccuracy(threshold=threshold)(
        y[:, 0], p))), np.mean(y == (p > threshold)), rtol=1e-5)


def test_categorical_and_sparse_categorical_accuracy():
    data = batches()
    per_sample = np.concatenate([y == p.argmax(-1) for y, p, _ in data])
    weights = np.concatenate([w for *_, w in data])
    expected = weighted_mean(per_sample, weights)
    one_hot = [(np.eye(C)[y], p, w) for y, p, w in data]
    np.testing.assert_allclose(stream(metrics.CategoricalAccuracy(), one_hot), expected,
                               rtol=1e-5)
    np.testing.assert_allclose(stream(metrics.SparseCategoricalAccuracy(), data), expected,
                               rtol=1e-5)
    column = [(y[:, None].astype("float32"), p, w) for y, p, w in data]
    np.testing.assert_allclose(stream(metrics.SparseCategoricalAccuracy(), column), expected,
                               rtol=1e-5)


@pytest.mark.parametrize("k", [1, 3])
def test_top_k_accuracies(k):
    data = batches()
    per_sample = np.concatenate(
        [(np.argsort(-p, -1)[:, :k] == y[:, None]).any(-1) for y, p, _ in data])
    weights = np.concatenate([w for *_, w in data])
    expected = weighted_mean(per_sample, weights)
    np.testing.assert_allclose(stream(metrics.SparseTopKCategoricalAccuracy(k=k), data),
                               expected, rtol=1e-5)
    one_hot = [(np.eye(C)[y], p, w) for y, p, w in data]
    np.testing.assert_allclose(stream(metrics.TopKCategoricalAccuracy(k=k), one_hot), expected,
                               rtol=1e-5)


def test_accuracy_functions_are_per_sample():
    y = np.array([0, 2, 1])
    p = np.array([[0.9, 0.05, 0.05], [0.1, 0.8, 0.1], [0.2, 0.3, 0.5]], "float32")
    np.testing.assert_array_equal(to_np(metrics.sparse_categorical_accuracy(y, p)), [1, 0, 0])
    np.testing.assert_array_equal(to_np(metrics.categorical_accuracy(np.eye(3)[y], p)),
                                  [1, 0, 0])
    np.testing.assert_array_equal(
        to_np(metrics.top_k_categorical_accuracy(np.eye(3)[y], p, k=2)), [1, 1, 1])
    np.testing.assert_array_equal(to_np(metrics.binary_accuracy([1, 0], [0.6, 0.7])), [1, 0])
    np.testing.assert_array_equal(to_np(metrics.accuracy([1, 2], [1, 3])), [1, 0])


def test_metric_of_a_loss_function():
    m = metrics.MeanMetricWrapper(losses.huber, name="huber_metric", delta=0.5)
    y, p = RNG.normal(size=(N, 2)), RNG.normal(size=(N, 2))
    e = np.abs(y - p)
    expected = np.mean(np.mean(np.where(e <= 0.5, 0.5 * e ** 2, 0.5 * e - 0.125), -1))
    np.testing.assert_allclose(float(to_np(m(y, p))), expected, rtol=1e-5)
    assert m._direction == "down"
    assert m.get_config()["fn"] == "huber" and m.get_config()["delta"] == 0.5


# --- stateless use (compiled steps) ------------------------------------------------------


def test_updates_inside_a_stateless_scope_leave_storage_alone():
    m = metrics.SparseCategoricalAccuracy()
    y, p, w = batches(1)[0]
    state = [v.value for v in m.variables]
    new_state = m.stateless_update_state(state, y, p, w)
    assert [float(to_np(v)) for v in m.variables] == [0.0, 0.0]
    np.testing.assert_allclose(float(to_np(m.stateless_result(new_state))),
                               weighted_mean(y == p.argmax(-1), w), rtol=1e-5)
    zeros = m.stateless_reset_state()
    assert [float(to_np(z)) for z in zeros] == [0.0, 0.0]
    with StatelessScope(list(zip(m.variables, new_state))):
        m.update_state(y, p, w)
        np.testing.assert_allclose(float(to_np(m.result())),
                                   weighted_mean(y == p.argmax(-1), w), rtol=1e-5)
    with pytest.raises(ValueError, match="expected 2 values, received 1"):
        m.stateless_update_state(state[:1], y, p)


# --- custom metrics ----------------------------------------------------------------------


class TruePositives(metrics.Metric):
    def __init__(self, name="tp", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.tp = self.add_variable(shape=(), initializer="zeros", name="tp")
        self.inner = metrics.Mean(name="inner")

    def update_state(self, y_true, y_pred, sample_weight=None):
        hits = ops.cast(ops.logical_and(ops.equal(y_true, 1), ops.greater(y_pred, 0.5)),
                        "float32")
        self.tp.assign(ops.add(self.tp, ops.sum(hits)))
        self.inner.update_state(hits)

    def result(self):
        return self.tp.value


def test_custom_metric_tracks_sub_metric_state():
    m = TruePositives()
    m.update_state(np.array([1, 1, 0]), np.array([0.9, 0.2, 0.8]))
    m.update_state(np.array([1]), np.array([0.7]))
    assert float(to_np(m.result())) == 2.0
    assert [v.path for v in m.variables] == ["tp/tp", "inner/total", "inner/count"]
    m.reset_state()
    assert [float(to_np(v)) for v in m.variables] == [0.0, 0.0, 0.0]


def test_forgetting_super_init_is_explained():
    class Broken(metrics.Metric):
        def __init__(self):
            self.v = self.add_variable((), "zeros", name="v")

    with pytest.raises(RuntimeError, match=r"call `super\(\).__init__\(\)`"):
        Broken()


def test_ones_and_callable_initializers():
    m = metrics.Metric(name="m")
    a = m.add_variable((2,), "ones", name="a")
    b = m.add_variable((3,), lambda shape, dtype=None: np.full(shape, 7.0, "float32"), name="b")
    np.testing.assert_array_equal(to_np(a.value), [1, 1])
    np.testing.assert_array_equal(to_np(b.value), [7, 7, 7])
    m.reset_state()
    np.testing.assert_array_equal(to_np(b.value), [0, 0, 0])


# --- lookup and config -------------------------------------------------------------------


@pytest.mark.parametrize("name,cls", [
    ("accuracy", metrics.Accuracy), ("acc", metrics.Accuracy),
    ("Accuracy", metrics.Accuracy), ("binary_accuracy", metrics.BinaryAccuracy),
    ("categorical_accuracy", metrics.CategoricalAccuracy),
    ("sparse_categorical_accuracy", metrics.SparseCategoricalAccuracy),
    ("top_k_categorical_accuracy", metrics.TopKCategoricalAccuracy),
    ("sparse_top_k_categorical_accuracy", metrics.SparseTopKCategoricalAccuracy),
    ("mse", metrics.MeanSquaredError), ("MAE", metrics.MeanAbsoluteError),
    ("mean_squared_error", metrics.MeanSquaredError), ("Mean", metrics.Mean),
])
def test_get_by_name(name, cls):
    assert type(metrics.get(name)) is cls


def test_get_other_identifiers():
    assert metrics.get(None) is None
    m = metrics.Sum()
    assert metrics.get(m) is m
    fn = lambda y_true, y_pred: y_pred  # noqa: E731
    assert metrics.get(fn) is fn
    bce = metrics.get("binary_crossentropy")
    assert isinstance(bce, metrics.MeanMetricWrapper) and bce.name == "binary_crossentropy"
    got = metrics.get({"class_name": "BinaryAccuracy", "config": {"threshold": 0.3}})
    assert isinstance(got, metrics.BinaryAccuracy) and got.threshold == 0.3


def test_get_unknown_name_lists_valid_ones():
    with pytest.raises(ValueError, match=r"Unknown metric: 'acuracy'.*Expected one of:.*'acc'"):
        metrics.get("acuracy")
    with pytest.raises(ValueError, match="Could not interpret metric identifier: 3"):
        metrics.get(3)


@pytest.mark.parametrize("metric", [
    metrics.Mean(name="m"), metrics.Sum(), metrics.Accuracy(), metrics.BinaryAccuracy(threshold=0.2),
    metrics.CategoricalAccuracy(), metrics.SparseCategoricalAccuracy(name="sca"),
    metrics.TopKCategoricalAccuracy(k=2), metrics.SparseTopKCategoricalAccuracy(k=3),
    metrics.MeanSquaredError(), metrics.MeanAbsoluteError(), metrics.RootMeanSquaredError(),
    metrics.MeanMetricWrapper(losses.binary_crossentropy, name="bce", from_logits=True),
])
def test_config_round_trip(metric):
    config = metric.get_config()
    assert config["name"] == metric.name and config["dtype"] == "float32"
    clone = type(metric).from_config(config)
    assert clone.get_config() == config
    again = metrics.deserialize(metrics.serialize(metric))
    assert type(again) is type(metric) and again.get_config() == config


def test_serialize_functions():
    config = metrics.serialize(metrics.sparse_categorical_accuracy)
    assert config["class_name"] == "function"
    assert metrics.deserialize(config) is metrics.sparse_categorical_accuracy
