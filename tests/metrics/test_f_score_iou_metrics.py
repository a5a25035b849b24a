"""F-scores and IoU metrics against scikit-learn (f1/fbeta, confusion matrix, jaccard)."""
import warnings

import numpy as np
import pytest
from sklearn import metrics as skm

from kfront import metrics, ops

RNG = np.random.default_rng(11)
N, C = 40, 3


def to_np(x):
    return np.asarray(ops.convert_to_numpy(x), "float64")


def multiclass_batches(n_batches=2):
    out = []
    for _ in range(n_batches):
        y = RNG.integers(0, C, size=N)
        p = RNG.uniform(size=(N, C)).astype("float32")
        p[np.arange(N), y] += RNG.uniform(0, 0.6, size=N).astype("float32")  # some skill
        w = RNG.uniform(0.2, 2.0, size=N).astype("float32")
        out.append((y, p, w))
    return out


def sk_score(y, pred, w, average, beta=None):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if beta is None:
            return skm.f1_score(y, pred, average=average, sample_weight=w, zero_division=0)
        return skm.fbeta_score(y, pred, beta=beta, average=average, sample_weight=w,
                               zero_division=0)


# --- F-scores ------------------------------------------------------------------------------


@pytest.mark.parametrize("average", [None, "micro", "macro", "weighted"])
def test_f1_score_matches_sklearn_on_argmax_predictions(average):
    data = multiclass_batches()
    m = metrics.F1Score(average=average)
    for y, p, w in data:
        m.update_state(np.eye(C, dtype="float32")[y], p, sample_weight=w)
    y = np.concatenate([d[0] for d in data])
    pred = np.concatenate([d[1].argmax(1) for d in data])
    w = np.concatenate([d[2] for d in data])
    np.testing.assert_allclose(to_np(m.result()), sk_score(y, pred, w, average), rtol=1e-4,
                               atol=1e-6)
    m.reset_state()
    assert np.all(to_np(m.result()) == 0.0)


@pytest.mark.parametrize("average", ["micro", "macro"])
def test_fbeta_score_with_threshold_is_multilabel(average):
    y = RNG.integers(0, 2, size=(N, C)).astype("float32")
    p = RNG.uniform(size=(N, C)).astype("float32")
    w = RNG.uniform(0.2, 2.0, size=N).astype("float32")
    m = metrics.FBetaScore(average=average, beta=2.0, threshold=0.4)
    m.update_state(y, p, sample_weight=w)
    expected = sk_score(y.astype(int), (p > 0.4).astype(int), w, average, beta=2.0)
    np.testing.assert_allclose(to_np(m.result()), expected, rtol=1e-4)


def test_f_score_errors_and_config():
    with pytest.raises(ValueError, match="Invalid `average` argument value.*Received: "
                                         "average='mean'"):
        metrics.F1Score(average="mean")
    with pytest.raises(ValueError, match="`beta` argument value. It should be a Python float"):
        metrics.FBetaScore(beta=2)
    with pytest.raises(ValueError, match="It should be > 0"):
        metrics.FBetaScore(beta=-1.0)
    with pytest.raises(ValueError, match="It should verify 0 < threshold <= 1"):
        metrics.F1Score(threshold=1.5)
    with pytest.raises(ValueError, match=r"F1Score expects 2D inputs.*\(3,\)"):
        metrics.F1Score().update_state(np.zeros(3), np.zeros(3))
    with pytest.raises(ValueError, match="FBetaScore: `y_true` and `y_pred` must have the same"):
        metrics.FBetaScore().update_state(np.zeros((2, 3)), np.zeros((2, 4)))
    m = metrics.FBetaScore(average="weighted", beta=0.5, threshold=0.3, name="fb")
    assert metrics.deserialize(metrics.serialize(m)).get_config() == m.get_config() == {
        "name": "fb", "dtype": "float32", "average": "weighted", "beta": 0.5, "threshold": 0.3}
    assert "beta" not in metrics.F1Score().get_config()


# --- IoU -----------------------------------------------------------------------------------


def np_iou(y, pred, w, ids):
    cm = skm.confusion_matrix(y, pred, labels=range(C), sample_weight=w)
    tp = np.diag(cm)
    union = cm.sum(0) + cm.sum(1) - tp
    ious = [tp[i] / union[i] for i in ids if union[i] > 0]
    return np.mean(ious)


def test_mean_iou_matches_confusion_matrix_and_jaccard():
    data = multiclass_batches()
    m = metrics.MeanIoU(num_classes=C)
    for y, p, w in data:
        m.update_state(y, p.argmax(1), sample_weight=w)
    y = np.concatenate([d[0] for d in data])
    pred = np.concatenate([d[1].argmax(1) for d in data])
    w = np.concatenate([d[2] for d in data])
    cm = skm.confusion_matrix(y, pred, labels=range(C), sample_weight=w)
    np.testing.assert_allclose(to_np(m.total_cm.value), cm, rtol=1e-5)
    np.testing.assert_allclose(to_np(m.result()), np_iou(y, pred, w, range(C)), rtol=1e-5)
    np.testing.assert_allclose(to_np(m.result()),
                               skm.jaccard_score(y, pred, average="macro", sample_weight=w),
                               rtol=1e-5)
    m.reset_state()
    assert to_np(m.result()) == 0.0


def test_iou_target_classes_one_hot_and_ignore_class():
    y, p, w = multiclass_batches(1)[0]
    pred = p.argmax(1)
    m = metrics.IoU(num_classes=C, target_class_ids=[0, 2])
    m.update_state(y, pred, sample_weight=w)
    np.testing.assert_allclose(to_np(m.result()), np_iou(y, pred, w, [0, 2]), rtol=1e-5)
    one_hot = np.eye(C, dtype="float32")[y]
    m = metrics.OneHotIoU(num_classes=C, target_class_ids=[1, 2])
    m.update_state(one_hot, p, sample_weight=w)
    np.testing.assert_allclose(to_np(m.result()), np_iou(y, pred, w, [1, 2]), rtol=1e-5)
    m = metrics.OneHotMeanIoU(num_classes=C)
    m.update_state(one_hot, p)
    np.testing.assert_allclose(to_np(m.result()), np_iou(y, pred, None, range(C)), rtol=1e-5)
    m = metrics.MeanIoU(num_classes=C, ignore_class=0)
    m.update_state(y, pred)
    keep = y != 0
    np.testing.assert_allclose(to_np(m.result()),
                               np_iou(y[keep], pred[keep], None, range(C)), rtol=1e-5)
    # Ids outside [0, num_classes) are left out instead of corrupting the matrix.
    m = metrics.MeanIoU(num_classes=2)
    m.update_state([0, 1, 5, -1], [0, 1, 1, 0])
    np.testing.assert_allclose(to_np(m.total_cm.value), [[1, 0], [0, 1]])


def test_binary_iou():
    y = RNG.integers(0, 2, size=N)
    p = RNG.uniform(size=N).astype("float32")
    w = RNG.uniform(0.5, 1.5, size=N).astype("float32")
    for ids, threshold in (((0, 1), 0.5), ((1,), 0.3)):
        m = metrics.BinaryIoU(target_class_ids=ids, threshold=threshold)
        m.update_state(y, p, sample_weight=w)
        pred = (p >= threshold).astype(int)
        expected = np.mean([skm.jaccard_score(y, pred, pos_label=i, sample_weight=w)
                            for i in ids])
        np.testing.assert_allclose(to_np(m.result()), expected, rtol=1e-5)


def test_iou_errors_and_config():
    with pytest.raises(ValueError, match=r"Target class id must be in \[0, num_classes\)"):
        metrics.IoU(num_classes=3, target_class_ids=[3])
    with pytest.raises(ValueError, match="`num_classes` must be a positive integer"):
        metrics.MeanIoU(num_classes=0)
    with pytest.raises(ValueError, match="must hold the same number of class ids"):
        metrics.MeanIoU(num_classes=3).update_state([0, 1, 2], [0, 1])
    for m in (metrics.IoU(3, [0, 1], ignore_class=2), metrics.BinaryIoU([1], 0.4),
              metrics.MeanIoU(4, sparse_y_pred=False), metrics.OneHotIoU(3, [2]),
              metrics.OneHotMeanIoU(5)):
        again = metrics.deserialize(metrics.serialize(m))
        assert type(again) is type(m) and again.get_config() == m.get_config()


def test_weighted_f1_matches_keras_3_number():
    # Computed with Keras 3.15 (TensorFlow backend) on these exact inputs.
    m = metrics.F1Score(average="weighted")
    m.update_state(np.eye(3, dtype="float32")[[0, 1, 2, 1]],
                   np.array([[.6, .3, .1], [.2, .5, .3], [.1, .7, .2], [.3, .3, .4]], "float32"))
    np.testing.assert_allclose(float(to_np(m.result())), 0.4999999403953552, rtol=1e-5)
