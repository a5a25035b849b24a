"""PearsonCorrelation and ConcordanceCorrelation (and the focal crossentropies that
kfront.metrics re-exports): NumPy references, Keras 3 numbers, configs, errors."""
import numpy as np
import pytest

from keras_reference import keras_numbers
from kfront import losses, metrics, ops

RNG = np.random.default_rng(3)
Y_TRUE = RNG.normal(size=(6, 5)).astype("float32")
Y_PRED = (Y_TRUE * 0.7 + RNG.normal(size=(6, 5)) * 0.5).astype("float32")
Y_TRUE_2 = RNG.normal(size=(4, 5)).astype("float32")
Y_PRED_2 = RNG.normal(size=(4, 5)).astype("float32")
SW = np.array([1.0, 0.0, 2.0, 0.5], "float32")


def to_np(x):
    return np.asarray(ops.convert_to_numpy(x), "float64")


def np_pearson(t, p, axis=-1):
    t, p = t.astype("float64"), p.astype("float64")
    tc, pc = t - t.mean(axis, keepdims=True), p - p.mean(axis, keepdims=True)
    return np.mean(tc / tc.std(axis, keepdims=True) * pc / pc.std(axis, keepdims=True), axis)


def np_concordance(t, p, axis=-1):
    # Keras 3's formula (both covariance factors centred on the mean of y_pred).
    t, p = t.astype("float64"), p.astype("float64")
    tm, pm = t.mean(axis, keepdims=True), p.mean(axis, keepdims=True)
    norm = t.var(axis, keepdims=True) + p.var(axis, keepdims=True) + (tm - pm) ** 2
    return np.mean(2 * (t - pm) * (p - pm) / (norm + 1e-7), axis)


KERAS_SCRIPT = """
M = keras.metrics
t, p, t2, p2, sw = inp["t"], inp["p"], inp["t2"], inp["p2"], inp["sw"]
out["pearson_fn"] = M.pearson_correlation(t, p)
out["pearson_fn_0"] = M.pearson_correlation(t, p, axis=0)
out["concordance_fn"] = M.concordance_correlation(t, p)
for name, cls in (("pearson", M.PearsonCorrelation), ("concordance", M.ConcordanceCorrelation)):
    m = cls()
    m.update_state(t, p)
    m.update_state(t2, p2, sample_weight=sw)
    out[name] = m.result()
out["bfce"] = M.binary_focal_crossentropy((t > 0).astype("float32"), 1 / (1 + np.exp(-p)))
out["cfce"] = M.categorical_focal_crossentropy(np.eye(5, dtype="float32")[[0, 1, 2, 3, 4, 0]],
                                               np.exp(p) / np.exp(p).sum(-1, keepdims=True))
"""


@pytest.fixture(scope="module")
def keras_ref():
    return keras_numbers(KERAS_SCRIPT, t=Y_TRUE, p=Y_PRED, t2=Y_TRUE_2, p2=Y_PRED_2, sw=SW)


def test_functions_match_numpy_and_keras(keras_ref):
    got = to_np(metrics.pearson_correlation(Y_TRUE, Y_PRED))
    np.testing.assert_allclose(got, np_pearson(Y_TRUE, Y_PRED), rtol=1e-5)
    np.testing.assert_allclose(got, keras_ref["pearson_fn"], rtol=1e-5)
    got = to_np(metrics.pearson_correlation(Y_TRUE, Y_PRED, axis=0))
    np.testing.assert_allclose(got, keras_ref["pearson_fn_0"], rtol=1e-5)
    got = to_np(metrics.concordance_correlation(Y_TRUE, Y_PRED))
    np.testing.assert_allclose(got, np_concordance(Y_TRUE, Y_PRED), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got, keras_ref["concordance_fn"], rtol=1e-5, atol=1e-6)


def test_perfect_agreement_gives_one():
    y = np.array([[0.0, 1.0, 0.5, 2.0]], "float32")
    np.testing.assert_allclose(to_np(metrics.pearson_correlation(y, 3 * y + 1)), [1.0],
                               rtol=1e-5)
    np.testing.assert_allclose(to_np(metrics.concordance_correlation(y, y)), [1.0], rtol=1e-5)


@pytest.mark.parametrize("cls,fn,key", [
    (metrics.PearsonCorrelation, np_pearson, "pearson"),
    (metrics.ConcordanceCorrelation, np_concordance, "concordance")])
def test_running_weighted_mean_matches_numpy_and_keras(keras_ref, cls, fn, key):
    m = cls()
    m.update_state(Y_TRUE, Y_PRED)
    m.update_state(Y_TRUE_2, Y_PRED_2, sample_weight=SW)
    values = np.concatenate([fn(Y_TRUE, Y_PRED), fn(Y_TRUE_2, Y_PRED_2)])
    weights = np.concatenate([np.ones(6), SW])
    np.testing.assert_allclose(float(to_np(m.result())),
                               np.sum(values * weights) / weights.sum(), rtol=1e-5)
    np.testing.assert_allclose(float(to_np(m.result())), keras_ref[key], rtol=1e-5)
    m.reset_state()
    assert float(to_np(m.result())) == 0.0


def test_focal_functions_are_exported_and_match_keras(keras_ref):
    assert metrics.binary_focal_crossentropy is losses.binary_focal_crossentropy
    assert metrics.categorical_focal_crossentropy is losses.categorical_focal_crossentropy
    got = metrics.binary_focal_crossentropy((Y_TRUE > 0).astype("float32"),
                                            1 / (1 + np.exp(-Y_PRED)))
    np.testing.assert_allclose(to_np(got), keras_ref["bfce"], rtol=1e-5)
    soft = np.exp(Y_PRED) / np.exp(Y_PRED).sum(-1, keepdims=True)
    got = metrics.categorical_focal_crossentropy(
        np.eye(5, dtype="float32")[[0, 1, 2, 3, 4, 0]], soft)
    np.testing.assert_allclose(to_np(got), keras_ref["cfce"], rtol=1e-5)


def test_configs_names_and_direction():
    m = metrics.PearsonCorrelation(name="pcc", axis=0)
    assert m.get_config() == {"name": "pcc", "dtype": "float32", "axis": 0}
    again = metrics.deserialize(metrics.serialize(m))
    assert isinstance(again, metrics.PearsonCorrelation) and again.axis == 0
    c = metrics.ConcordanceCorrelation()
    assert c.get_config() == {"name": "concordance_correlation", "dtype": "float32", "axis": -1}
    assert metrics.ConcordanceCorrelation.from_config(c.get_config()).name == \
        "concordance_correlation"
    assert isinstance(metrics.get("PearsonCorrelation"), metrics.PearsonCorrelation)
    assert isinstance(metrics.get("concordance_correlation"), metrics.ConcordanceCorrelation)
    assert m._direction == "up" and c._direction == "up"


def test_metric_in_fit_logs_the_correlation():
    import kfront as keras
    model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(5)])
    model.compile(optimizer="sgd", loss="mse", metrics=[metrics.PearsonCorrelation()])
    logs = model.evaluate(Y_TRUE, Y_PRED, batch_size=6, return_dict=True, verbose=0)
    expected = np_pearson(Y_PRED, to_np(model.predict(Y_TRUE, verbose=0))).mean()
    np.testing.assert_allclose(logs["pearson_correlation"], expected, rtol=1e-4)


def test_bad_axis_is_named():
    with pytest.raises(ValueError, match="PearsonCorrelation: `axis` must be an integer or a "
                                         "tuple of integers, received axis='last'"):
        metrics.PearsonCorrelation(axis="last")
