"""Circle and CategoricalGeneralizedCrossEntropy: NumPy references, Keras 3 numbers,
names, configs and argument errors."""
import numpy as np
import pytest

from keras_reference import keras_numbers
from kfront import losses, ops

RNG = np.random.default_rng(5)
EMB = RNG.normal(size=(8, 5)).astype("float32")
EMB /= np.linalg.norm(EMB, axis=1, keepdims=True)
LABELS = np.array([0, 1, 0, 2, 1, 0, 3, 2], "int32")  # class 3 has no positive pair
PROBS = RNG.uniform(0.05, 1.0, size=(6, 4))
PROBS = (PROBS / PROBS.sum(-1, keepdims=True)).astype("float32")
INDICES = np.array([0, 3, 1, 2, 2, 0], "int32")
WEIGHTS = np.array([1.0, 0.5, 2.0, 0.0, 1.0, 3.0, 1.0, 0.5], "float32")


def to_np(x):
    return np.asarray(ops.convert_to_numpy(x), "float64")


def np_logsumexp(x, mask):
    x = np.where(mask, x, -np.inf)
    m = np.max(x, axis=1, keepdims=True)
    m = np.where(np.isfinite(m), m, 0.0)
    with np.errstate(divide="ignore"):
        return np.log(np.sum(np.exp(x - m), axis=1)) + m[:, 0]


def np_circle(labels, emb, gamma=80.0, margin=0.4, remove_diagonal=True):
    d = np.maximum(1 - emb.astype("float64") @ emb.T.astype("float64"), 0)
    pos = labels[:, None] == labels[None, :]
    neg = ~pos
    if remove_diagonal:
        pos &= ~np.eye(len(labels), dtype=bool)
    pw = np.maximum((margin + d) * pos, 0)
    nw = np.maximum((1 + margin - d) * neg, 0)
    p = np_logsumexp(-gamma * pw * (margin - d), pos)
    n = np_logsumexp(gamma * nw * ((1 - margin) - d), neg)
    return np.logaddexp(0, p + n)


def np_gce(indices, probs, q):
    p = probs[np.arange(len(indices)), indices].astype("float64")
    return (1 - p ** q) / q


KERAS_SCRIPT = """
L = keras.losses
emb, labels, w = inp["emb"], inp["labels"], inp["w"]
probs, idx = inp["probs"], inp["idx"]
out["circle_fn"] = L.circle(labels, emb)
out["circle_fn_keep_diag"] = L.circle(labels, emb, remove_diagonal=False, gamma=10, margin=0.2)
out["circle"] = L.Circle()(labels, emb)
out["circle_weighted"] = L.Circle(gamma=30.0)(labels, emb, sample_weight=w)
out["circle_sum"] = L.Circle(reduction="sum")(labels, emb)
out["gce_fn"] = L.categorical_generalized_cross_entropy(idx, probs, q=0.3)
out["gce"] = L.CategoricalGeneralizedCrossEntropy()(idx, probs)
"""


@pytest.fixture(scope="module")
def keras_ref():
    return keras_numbers(KERAS_SCRIPT, emb=EMB, labels=LABELS, w=WEIGHTS, probs=PROBS,
                         idx=INDICES)


def test_circle_function_matches_numpy_and_keras(keras_ref):
    got = to_np(losses.circle(LABELS, EMB))
    np.testing.assert_allclose(got, np_circle(LABELS, EMB), rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(got, keras_ref["circle_fn"], rtol=1e-5, atol=1e-5)
    assert got[6] == 0.0  # a label without positives
    got = to_np(losses.circle(LABELS, EMB, remove_diagonal=False, gamma=10, margin=0.2))
    np.testing.assert_allclose(got, keras_ref["circle_fn_keep_diag"], rtol=1e-5, atol=1e-5)


def test_circle_class_averages_rows_with_positives(keras_ref):
    per_row = np_circle(LABELS, EMB)
    got = float(to_np(losses.Circle()(LABELS, EMB)))
    np.testing.assert_allclose(got, per_row[per_row > 0].mean(), rtol=1e-4)
    np.testing.assert_allclose(got, keras_ref["circle"], rtol=1e-5)
    np.testing.assert_allclose(to_np(losses.Circle(gamma=30.0)(LABELS, EMB,
                                                               sample_weight=WEIGHTS)),
                               keras_ref["circle_weighted"], rtol=1e-5)
    np.testing.assert_allclose(to_np(losses.Circle(reduction="sum")(LABELS, EMB)),
                               keras_ref["circle_sum"], rtol=1e-5)


def test_gce_matches_numpy_and_keras(keras_ref):
    got = to_np(losses.categorical_generalized_cross_entropy(INDICES, PROBS, q=0.3))
    np.testing.assert_allclose(got, np_gce(INDICES, PROBS, 0.3), rtol=1e-5)
    np.testing.assert_allclose(got, keras_ref["gce_fn"], rtol=1e-5)
    got = to_np(losses.CategoricalGeneralizedCrossEntropy()(INDICES, PROBS))
    np.testing.assert_allclose(got, np_gce(INDICES, PROBS, 0.5).mean(), rtol=1e-5)
    np.testing.assert_allclose(got, keras_ref["gce"], rtol=1e-5)
    # (batch, 1) labels, as documented. Keras 3.15 broadcasts them against every row
    # (a (batch, batch) loss); kfront gives the documented per-sample values.
    got = to_np(losses.CategoricalGeneralizedCrossEntropy(q=0.7)(INDICES[:, None], PROBS))
    np.testing.assert_allclose(got, np_gce(INDICES, PROBS, 0.7).mean(), rtol=1e-5)


def test_configs_round_trip_and_names_resolve():
    circle = losses.Circle(gamma=64.0, margin=0.25, remove_diagonal=False, name="c")
    assert circle.get_config() == {"name": "c", "reduction": "sum_over_batch_size",
                                   "gamma": 64.0, "margin": 0.25, "remove_diagonal": False}
    again = losses.deserialize(losses.serialize(circle))
    assert isinstance(again, losses.Circle) and again.get_config() == circle.get_config()
    gce = losses.CategoricalGeneralizedCrossEntropy(q=0.2)
    assert gce.get_config() == {"name": "categorical_generalized_cross_entropy",
                                "reduction": "sum_over_batch_size", "q": 0.2}
    assert losses.CategoricalGeneralizedCrossEntropy.from_config(gce.get_config()).q == 0.2
    assert losses.get("circle") is losses.circle
    assert losses.get("categorical_generalized_cross_entropy") is \
        losses.categorical_generalized_cross_entropy
    assert isinstance(losses.get("Circle"), losses.Circle)
    assert losses.deserialize(losses.serialize(losses.circle)) is losses.circle


def test_circle_trains_in_fit():
    import kfront as keras
    model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(4),
                              keras.layers.UnitNormalization()])
    model.compile(optimizer=keras.optimizers.SGD(0.05), loss="circle")
    history = model.fit(EMB, LABELS, batch_size=8, epochs=3, verbose=0)
    loss = history.history["loss"]
    assert np.all(np.isfinite(loss)) and loss[-1] < loss[0]


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match=r"`q` must be in the interval \(0, 1\), "
                                         "received q=1.5"):
        losses.CategoricalGeneralizedCrossEntropy(q=1.5)
    with pytest.raises(ValueError, match="Circle: `gamma` must be a number, received "
                                         "gamma='big'"):
        losses.Circle(gamma="big")
    with pytest.raises(ValueError, match="Invalid value for argument `reduction`"):
        losses.Circle(reduction="avg")
