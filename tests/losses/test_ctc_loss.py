"""The CTC loss (``losses.CTC``, ``losses.ctc``): a sum over alignments in NumPy, the installed
Keras's numbers, reductions, names, configs and training with ``loss="ctc"``."""
import itertools
import warnings

import numpy as np
import pytest

import kfront as keras
from kfront import losses, ops

rng = np.random.default_rng(4)
LOGITS = (rng.normal(size=(3, 5, 4)) * 1.5).astype("float32")
# Class 0 is the blank and pads the labels.
LABELS = np.array([[1, 2, 0], [3, 3, 0], [2, 1, 3]], "int32")


def to_np(x):
    return np.asarray(ops.convert_to_numpy(x), "float64")


def np_ctc(labels, logits):
    """-log of the probability of all alignments that collapse to each row's labels."""
    out = []
    for target, z in zip(labels, logits.astype("float64")):
        target = tuple(int(c) for c in target if c != 0)
        logp = z - z.max(-1, keepdims=True)
        logp = logp - np.log(np.exp(logp).sum(-1, keepdims=True))
        total = 0.0
        for path in itertools.product(range(z.shape[-1]), repeat=z.shape[0]):
            merged = [c for t, c in enumerate(path) if t == 0 or c != path[t - 1]]
            if tuple(c for c in merged if c != 0) == target:
                total += np.exp(logp[np.arange(z.shape[0]), list(path)].sum())
        out.append(-np.log(total))
    return np.array(out)


def test_function_matches_alignment_sum():
    got = losses.ctc(LABELS, LOGITS)
    assert tuple(ops.shape(got)) == (3,)
    np.testing.assert_allclose(to_np(got), np_ctc(LABELS, LOGITS), rtol=1e-5)


def test_matches_keras():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import keras as reference
    for cls_args in ({}, {"reduction": "sum"}, {"reduction": None}):
        want = np.asarray(reference.losses.CTC(**cls_args)(LABELS, LOGITS))
        got = to_np(losses.CTC(**cls_args)(LABELS, LOGITS))
        np.testing.assert_allclose(got, want, rtol=1e-5)
    np.testing.assert_allclose(to_np(losses.ctc(LABELS, LOGITS)),
                               np.asarray(reference.losses.ctc(LABELS, LOGITS)), rtol=1e-5)


@pytest.mark.parametrize("reduction, combine", [
    ("sum_over_batch_size", lambda v, w: (v * w).sum() / len(v)),
    ("sum", lambda v, w: (v * w).sum()),
    (None, lambda v, w: v * w),
])
def test_reductions_with_sample_weight(reduction, combine):
    weights = np.array([1.0, 0.5, 2.0], "float32")
    got = losses.CTC(reduction=reduction)(LABELS, LOGITS, sample_weight=weights)
    np.testing.assert_allclose(to_np(got), combine(np_ctc(LABELS, LOGITS), weights), rtol=1e-5)


def test_names_config_and_serialization():
    assert losses.get("ctc") is losses.ctc
    assert isinstance(losses.get("CTC"), losses.CTC)
    loss = losses.CTC(reduction="sum", name="my_ctc")
    assert loss.get_config() == {"name": "my_ctc", "reduction": "sum"}
    clone = losses.deserialize(losses.serialize(loss))
    assert isinstance(clone, losses.CTC) and clone.get_config() == loss.get_config()
    assert losses.deserialize(losses.serialize(losses.ctc)) is losses.ctc
    assert losses.CTC().name == "ctc"


@pytest.mark.parametrize("y_true, y_pred, match", [
    (LABELS[:, :, None], LOGITS, r"y_true.*\(batch_size, max_length\).*\(3, 3, 1\)"),
    (LABELS, LOGITS[:, :, 0], r"y_pred.*\(batch_size, max_length, num_classes\).*\(3, 5\)"),
])
def test_wrong_ranks_raise(y_true, y_pred, match):
    with pytest.raises(ValueError, match=match):
        losses.ctc(y_true, y_pred)


def test_model_trains_with_ctc_by_name():
    keras.utils.set_random_seed(1)
    # Each step sees its position, so a per-step Dense can place the labels.
    x = (np.eye(6)[None] + rng.normal(size=(16, 6, 6)) * 0.1).astype("float32")
    y = np.tile(np.array([[1, 2, 0]], "int32"), (16, 1))
    model = keras.Sequential([keras.Input((6, 6)), keras.layers.Dense(4)])
    model.compile(optimizer=keras.optimizers.Adam(0.1), loss="ctc")
    history = model.fit(x, y, epochs=40, batch_size=16, verbose=0).history["loss"]
    assert history[-1] < 0.5 * history[0]
    paths, _ = ops.ctc_decode(model(x[:2]), np.array([6, 6]))
    np.testing.assert_array_equal(to_np(paths)[0, :, :2], [[1, 2], [1, 2]])
