"""Thresholded metrics against scikit-learn and a NumPy version of Keras's algorithm."""
import numpy as np
import pytest
from sklearn import metrics as skm

from kfront import metrics, ops

RNG = np.random.default_rng(7)
N, L = 40, 3
EPS = 1e-7


def to_np(x):
    return np.asarray(ops.convert_to_numpy(x), "float64")


def binary_batches(n_batches=3):
    """(labels, scores, weights) batches: scores correlate with labels."""
    out = []
    for _ in range(n_batches):
        y = RNG.integers(0, 2, size=N).astype("float32")
        p = np.clip(0.35 * y + RNG.uniform(0, 0.65, size=N), 0, 1).astype("float32")
        w = RNG.uniform(0.2, 2.0, size=N).astype("float32")
        out.append((y, p, w))
    return out


def concat(data):
    return [np.concatenate(parts) for parts in zip(*data)]


def feed(metric, data, weighted=True):
    for y, p, w in data:
        metric.update_state(y, p, sample_weight=w if weighted else None)
    return to_np(metric.result())


def np_counts(y, p, thresholds, w=None, multi_label=False):
    """Keras's rule: positive prediction where p > t; sums over samples (and labels)."""
    y = (np.asarray(y) != 0).astype("float64")
    p = np.asarray(p, "float64")
    w = np.ones_like(p) if w is None else np.broadcast_to(w, p.shape)
    t = np.asarray(thresholds, "float64").reshape((-1,) + (1,) * p.ndim)
    pred = (p[None] > t).astype("float64")
    axes = (1,) if multi_label else tuple(range(1, p.ndim + 1))
    return {"tp": (pred * y * w).sum(axes), "fp": (pred * (1 - y) * w).sum(axes),
            "tn": ((1 - pred) * (1 - y) * w).sum(axes), "fn": ((1 - pred) * y * w).sum(axes)}


def div(a, b):
    return np.where(b == 0, 0.0, a / np.where(b == 0, 1, b))


def np_auc(c, curve="ROC", summation="interpolation"):
    tp, fp, tn, fn = c["tp"], c["fp"], c["tn"], c["fn"]
    if curve == "PR" and summation == "interpolation":
        dtp = tp[:-1] - tp[1:]
        p = tp + fp
        dp = p[:-1] - p[1:]
        slope = div(dtp, np.maximum(dp, 0))
        intercept = tp[1:] - slope * p[1:]
        ratio = np.where((p[:-1] > 0) & (p[1:] > 0), div(p[:-1], np.maximum(p[1:], 0)), 1.0)
        terms = div(slope * (dtp + intercept * np.log(ratio)), np.maximum(tp[1:] + fn[1:], 0))
    else:
        recall = div(tp, tp + fn)
        x, y = (div(fp, fp + tn), recall) if curve == "ROC" else (recall, div(tp, tp + fp))
        h = {"interpolation": (y[:-1] + y[1:]) / 2, "minoring": np.minimum(y[:-1], y[1:]),
             "majoring": np.maximum(y[:-1], y[1:])}[summation]
        terms = (x[:-1] - x[1:]) * h
    return terms.sum(0)


def auc_thresholds(n=200):
    return [-EPS] + [(i + 1) / (n - 1) for i in range(n - 2)] + [1 + EPS]


# --- counts, precision, recall ------------------------------------------------------------


@pytest.mark.parametrize("cls,key", [(metrics.TruePositives, "tp"),
                                     (metrics.FalsePositives, "fp"),
                                     (metrics.TrueNegatives, "tn"),
                                     (metrics.FalseNegatives, "fn")])
def test_confusion_counts_match_sklearn_and_accumulate(cls, key):
    data = binary_batches()
    y, p, w = concat(data)
    m = cls()
    got = feed(m, data)
    cm = skm.confusion_matrix(y, p > 0.5, sample_weight=w)
    expected = {"tn": cm[0, 0], "fp": cm[0, 1], "fn": cm[1, 0], "tp": cm[1, 1]}[key]
    np.testing.assert_allclose(got, expected, rtol=1e-5)
    assert got.shape == ()
    # A list of thresholds gives one count per threshold.
    multi = cls(thresholds=[0.2, 0.5, 0.8])
    np.testing.assert_allclose(feed(multi, data), np_counts(y, p, [0.2, 0.5, 0.8], w)[key],
                               rtol=1e-5)
    m.reset_state()
    assert to_np(m.result()) == 0.0


@pytest.mark.parametrize("cls,sk_fn", [(metrics.Precision, skm.precision_score),
                                       (metrics.Recall, skm.recall_score)])
def test_precision_recall_match_sklearn(cls, sk_fn):
    data = binary_batches()
    y, p, w = concat(data)
    m = cls()
    np.testing.assert_allclose(feed(m, data), sk_fn(y, p > 0.5, sample_weight=w), rtol=1e-5)
    m.reset_state()
    np.testing.assert_allclose(feed(m, data, weighted=False), sk_fn(y, p > 0.5), rtol=1e-5)
    thresholds = [0.3, 0.7]
    expected = [sk_fn(y, p > t, sample_weight=w) for t in thresholds]
    np.testing.assert_allclose(feed(cls(thresholds=thresholds), data), expected, rtol=1e-5)


def test_precision_recall_class_id_and_top_k():
    y = np.eye(L)[RNG.integers(0, L, size=N)].astype("float32")
    p = RNG.uniform(size=(N, L)).astype("float32")
    w = RNG.uniform(0.5, 1.5, size=N).astype("float32")
    # class_id: the metric of one column.
    for cls, sk_fn in ((metrics.Precision, skm.precision_score),
                       (metrics.Recall, skm.recall_score)):
        m = cls(class_id=1)
        m.update_state(y, p, sample_weight=w)
        np.testing.assert_allclose(to_np(m.result()),
                                   sk_fn(y[:, 1], p[:, 1] > 0.5, sample_weight=w), rtol=1e-5)
    # top_k=1: only each row's arg-max counts as a positive prediction.
    top1 = (p == p.max(1, keepdims=True)).astype("float64")
    tp = np.sum(top1 * y * w[:, None])
    m = metrics.Precision(top_k=1)
    m.update_state(y, p, sample_weight=w)
    np.testing.assert_allclose(to_np(m.result()), tp / np.sum(top1 * w[:, None]), rtol=1e-5)
    m = metrics.Recall(top_k=2, class_id=0)
    m.update_state(y, p)
    in_top2 = (np.argsort(-p, 1)[:, :2] == 0).any(1)
    np.testing.assert_allclose(to_np(m.result()), skm.recall_score(y[:, 0], in_top2), rtol=1e-5)


# --- AUC -----------------------------------------------------------------------------------


def test_roc_auc_matches_sklearn_and_keras_algorithm():
    data = binary_batches()
    y, p, w = concat(data)
    m = metrics.AUC()
    got = feed(m, data)
    exact = np_auc(np_counts(y, p, auc_thresholds(), w))
    np.testing.assert_allclose(got, exact, rtol=1e-5)
    # Thresholded: 200 buckets approximate the exact area to well within 0.01.
    assert abs(got - skm.roc_auc_score(y, p, sample_weight=w)) < 0.01
    assert m.thresholds[0] < 0 and m.thresholds[-1] > 1 and len(m.thresholds) == 200
    m.reset_state()
    assert float(to_np(m.result())) == 0.0


@pytest.mark.parametrize("summation", ["interpolation", "minoring", "majoring"])
def test_pr_auc(summation):
    data = binary_batches(2)
    y, p, w = concat(data)
    got = feed(metrics.AUC(curve="PR", summation_method=summation), data)
    np.testing.assert_allclose(
        got, np_auc(np_counts(y, p, auc_thresholds(), w), "PR", summation), rtol=1e-5)
    if summation == "interpolation":
        assert abs(got - skm.average_precision_score(y, p, sample_weight=w)) < 0.05


def test_roc_auc_minoring_below_majoring():
    data = binary_batches(1)
    lo = feed(metrics.AUC(summation_method="minoring"), data)
    hi = feed(metrics.AUC(summation_method="majoring"), data)
    y, p, w = concat(data)
    c = np_counts(y, p, auc_thresholds(), w)
    np.testing.assert_allclose([lo, hi], [np_auc(c, "ROC", "minoring"),
                                          np_auc(c, "ROC", "majoring")], rtol=1e-5)
    assert lo < hi


def test_multi_label_auc_and_label_weights():
    y = RNG.integers(0, 2, size=(N, L)).astype("float32")
    p = np.clip(0.3 * y + RNG.uniform(0, 0.7, size=(N, L)), 0, 1).astype("float32")
    c = np_counts(y, p, auc_thresholds(), multi_label=True)
    per_label = np_auc(c)
    m = metrics.AUC(multi_label=True, num_labels=L)
    m.update_state(y, p)
    np.testing.assert_allclose(to_np(m.result()), per_label.mean(), rtol=1e-5)
    assert abs(to_np(m.result()) - skm.roc_auc_score(y, p, average="macro")) < 0.01
    weights = [1.0, 2.0, 0.5]
    m = metrics.AUC(multi_label=True, label_weights=weights)  # state built on first update
    m.update_state(y, p)
    np.testing.assert_allclose(to_np(m.result()), np.sum(per_label * weights) / 3.5, rtol=1e-5)
    # Without multi_label, label_weights weigh the entries of one pooled curve.
    m = metrics.AUC(label_weights=weights)
    m.update_state(y, p)
    pooled = np_counts(y, p, auc_thresholds(), np.broadcast_to(weights, y.shape))
    np.testing.assert_allclose(to_np(m.result()), np_auc(pooled), rtol=1e-5)


def test_auc_from_logits_and_explicit_thresholds():
    y, p, _ = binary_batches(1)[0]
    logits = np.log(p + 1e-3) - np.log(1 - p + 1e-3)
    m = metrics.AUC(from_logits=True, thresholds=[0.25, 0.5, 0.75])
    m.update_state(y, logits)
    sig = 1 / (1 + np.exp(-logits))
    expected = np_auc(np_counts(y, sig, [-EPS, 0.25, 0.5, 0.75, 1 + EPS]))
    np.testing.assert_allclose(to_np(m.result()), expected, rtol=1e-5)
    assert m.get_config()["thresholds"] == [0.25, 0.5, 0.75]
    assert m.num_thresholds == 5


# --- rates at a target ---------------------------------------------------------------------


def test_rates_at_target():
    data = binary_batches(2)
    y, p, w = concat(data)
    t = [0.0] + [(i + 1) / 199 for i in range(198)] + [1.0]
    c = np_counts(y, p, t, w)
    sens, spec = div(c["tp"], c["tp"] + c["fn"]), div(c["tn"], c["tn"] + c["fp"])
    prec = div(c["tp"], c["tp"] + c["fp"])
    cases = [(metrics.SensitivityAtSpecificity(0.6, ), sens, spec, 0.6),
             (metrics.SpecificityAtSensitivity(0.8, ), spec, sens, 0.8),
             (metrics.PrecisionAtRecall(0.7, ), prec, sens, 0.7),
             (metrics.RecallAtPrecision(0.75, ), sens, prec, 0.75)]
    for m, wanted, constrained, target in cases:
        expected = np.max(np.where(constrained >= target, wanted, 0.0))
        np.testing.assert_allclose(feed(m, data), expected, rtol=1e-5, err_msg=m.name)
    # No threshold reaches the target: 0.
    m = metrics.RecallAtPrecision(0.5)
    m.update_state(np.zeros(N, "float32"), data[0][1])
    assert float(to_np(m.result())) == 0.0


# --- errors and config ---------------------------------------------------------------------


def test_argument_errors():
    with pytest.raises(ValueError, match=r"Threshold values must be in \[0, 1\]"):
        metrics.Precision(thresholds=1.5)
    with pytest.raises(ValueError, match=r"Threshold values must be in \[0, 1\]"):
        metrics.TruePositives(thresholds=[0.5, -0.1])
    with pytest.raises(ValueError, match=r"Threshold values must be in \[0, 1\]"):
        metrics.AUC(thresholds=[0.5, 2.0])
    with pytest.raises(ValueError, match="Invalid `curve`.*'ROC', 'PR'"):
        metrics.AUC(curve="ROCK")
    with pytest.raises(ValueError, match="Invalid `summation_method`"):
        metrics.AUC(summation_method="trapezoid")
    with pytest.raises(ValueError, match="`num_thresholds` must be an integer > 1"):
        metrics.AUC(num_thresholds=1)
    with pytest.raises(ValueError, match="`num_labels` is needed only when `multi_label`"):
        metrics.AUC(num_labels=3)
    with pytest.raises(ValueError, match=r"`recall` must be in the range \[0, 1\]"):
        metrics.PrecisionAtRecall(1.2)
    with pytest.raises(ValueError, match="`num_thresholds` must be an integer > 0"):
        metrics.SensitivityAtSpecificity(0.5, num_thresholds=0)


def test_thresholds_from_numpy():
    m = metrics.Precision(thresholds=np.array([0.25, 0.75], "float32"))
    assert m.thresholds == [0.25, 0.75] and m.get_config()["thresholds"] == [0.25, 0.75]
    assert metrics.Recall(thresholds=np.float32(0.5)).get_config()["thresholds"] == 0.5
    with pytest.raises(ValueError, match=r"Threshold values must be in \[0, 1\]"):
        metrics.TruePositives(thresholds=[0.2, "high"])
    with pytest.raises(ValueError, match=r"Threshold values must be in \[0, 1\]"):
        metrics.TruePositives(thresholds=float("nan"))


def test_input_errors():
    with pytest.raises(ValueError, match=r"Precision: `y_true` and `y_pred` must have the "
                                         r"same shape.*\(4, 3\).*\(4, 2\)"):
        metrics.Precision().update_state(np.zeros((4, 3)), np.zeros((4, 2)))
    with pytest.raises(ValueError, match="when `class_id` is given"):
        metrics.Recall(class_id=1).update_state(np.zeros(4), np.zeros(4))
    with pytest.raises(ValueError, match="rank 2 with a known number of labels"):
        metrics.AUC(multi_label=True).update_state(np.zeros(4), np.zeros(4))


@pytest.mark.parametrize("metric", [
    metrics.TruePositives(thresholds=[0.3, 0.6]), metrics.FalseNegatives(),
    metrics.Precision(thresholds=0.4, class_id=2), metrics.Recall(top_k=3),
    metrics.AUC(curve="PR", num_thresholds=30, multi_label=True, num_labels=2,
                label_weights=[1.0, 2.0], from_logits=True),
    metrics.AUC(thresholds=[0.1, 0.9], summation_method="majoring"),
    metrics.SensitivityAtSpecificity(0.4, num_thresholds=10, class_id=1),
    metrics.RecallAtPrecision(0.9),
])
def test_config_round_trip(metric):
    config = metric.get_config()
    again = metrics.deserialize(metrics.serialize(metric))
    assert type(again) is type(metric) and again.get_config() == config


def test_auc_matches_keras_3_numbers():
    # Values computed with Keras 3.15 (TensorFlow backend) on these exact inputs.
    y = np.array([0, 1, 1, 0, 1, 0, 1, 1], "float32")
    p = np.array([0.1, 0.8, 0.35, 0.4, 0.95, 0.62, 0.5, 0.2], "float32")
    for curve, expected in (("ROC", 0.6666666865348816), ("PR", 0.8078746795654297)):
        m = metrics.AUC(num_thresholds=20, curve=curve)
        m.update_state(y, p)
        np.testing.assert_allclose(float(to_np(m.result())), expected, rtol=1e-5)
