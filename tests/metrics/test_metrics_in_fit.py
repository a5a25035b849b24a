"""The new metrics by name and object inside compiled fit/evaluate steps, on every backend."""
import numpy as np
import pytest
from sklearn import metrics as skm

import kfront
from kfront import layers, metrics, ops, optimizers

RNG = np.random.default_rng(3)
X = RNG.normal(size=(48, 5)).astype("float32")
Y = np.digitize(X[:, 0] + 0.3 * X[:, 1], [-0.5, 0.5]).astype("int32")
Y_ONEHOT = np.eye(3, dtype="float32")[Y]
W = RNG.uniform(0.5, 1.5, size=48).astype("float32")


def softmax_model():
    kfront.utils.set_random_seed(0)
    # No ReLU: rows of equal scores (ties count every tied class as predicted) stay unlikely.
    return kfront.Sequential([layers.Dense(4, input_shape=(5,)),
                              layers.Dense(3, activation="softmax")])


def test_new_metrics_in_fit_and_evaluate():
    model = softmax_model()
    # A zero learning rate keeps predictions fixed, so epoch results are whole-data values.
    model.compile(optimizer=optimizers.SGD(0.0), loss="categorical_crossentropy",
                  metrics=["auc", "precision", metrics.F1Score(average="macro"),
                           metrics.OneHotMeanIoU(num_classes=3),
                           metrics.AUC(multi_label=True, name="ml_auc")],
                  weighted_metrics=[metrics.Recall(name="w_recall")])
    history = model.fit(X, Y_ONEHOT, sample_weight=W, batch_size=16, epochs=1, verbose=0)
    logs = model.evaluate(X, Y_ONEHOT, sample_weight=W, batch_size=16, verbose=0,
                          return_dict=True)
    p = np.asarray(ops.convert_to_numpy(model.predict(X, verbose=0)), "float64")
    pred = p.argmax(1)
    hits = p > 0.5
    expected = {
        "precision": skm.precision_score(Y_ONEHOT.ravel(), hits.ravel(), zero_division=0),
        "w_recall": skm.recall_score(Y_ONEHOT.ravel(), hits.ravel(),
                                     sample_weight=np.repeat(W, 3)),
        "f1_score": skm.f1_score(Y, pred, average="macro", labels=[0, 1, 2], zero_division=0),
        "one_hot_mean_io_u": skm.jaccard_score(Y, pred, average="macro", labels=[0, 1, 2],
                                               zero_division=0) if len(set(pred)) == 3 else None,
    }
    for name, value in expected.items():
        if value is None:
            continue
        np.testing.assert_allclose(logs[name], value, rtol=1e-4, atol=1e-6, err_msg=name)
        np.testing.assert_allclose(history.history[name][-1], logs[name], rtol=1e-4,
                                   atol=1e-6, err_msg=name)
    assert abs(logs["auc"] - skm.roc_auc_score(Y_ONEHOT.ravel(), p.ravel())) < 0.01
    assert abs(logs["ml_auc"] - skm.roc_auc_score(Y_ONEHOT, p, average="macro")) < 0.01


@pytest.mark.parametrize("name,cls", [
    ("auc", metrics.AUC), ("AUC", metrics.AUC), ("precision", metrics.Precision),
    ("recall", metrics.Recall), ("f1_score", metrics.F1Score),
    ("fbeta_score", metrics.FBetaScore), ("r2_score", metrics.R2Score),
    ("true_positives", metrics.TruePositives), ("false_negatives", metrics.FalseNegatives),
    ("kl_divergence", metrics.KLDivergence), ("poisson", metrics.Poisson),
    ("mape", metrics.MeanAbsolutePercentageError),
    ("msle", metrics.MeanSquaredLogarithmicError), ("logcosh", metrics.LogCoshError),
    ("cosine_similarity", metrics.CosineSimilarity), ("hinge", metrics.Hinge),
    ("categorical_hinge", metrics.CategoricalHinge),
    ("binary_crossentropy", metrics.BinaryCrossentropy),
    ("sparse_categorical_crossentropy", metrics.SparseCategoricalCrossentropy),
])
def test_names_resolve(name, cls):
    assert type(metrics.get(name)) is cls


def test_names_of_classes_needing_arguments_and_unknown_names():
    assert metrics.get({"class_name": "MeanIoU", "config": {"num_classes": 3}}).num_classes == 3
    with pytest.raises(ValueError, match=r"Metric 'mean_iou' needs the argument\(s\) "
                                         r"\['num_classes'\].*MeanIoU\(num_classes=...\)"):
        metrics.get("mean_iou")
    with pytest.raises(ValueError, match=r"Unknown metric: 'f2_score'.*Expected one of:.*"
                                         r"'f1_score'"):
        metrics.get("f2_score")
