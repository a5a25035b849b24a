"""The regression, probabilistic, hinge and segmentation losses: NumPy references, Keras 3
numbers, reductions, label smoothing, names and configs."""
import warnings

import numpy as np
import pytest

from kfront import losses, ops

RNG = np.random.default_rng(2)
N, C = 6, 4
EPS = 1e-7


def to_np(x):
    return np.asarray(ops.convert_to_numpy(x), "float64")


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def softmax(x):
    e = np.exp(x - x.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def np_bce(y, p):
    p = np.clip(p, EPS, 1 - EPS)
    return -(y * np.log(p) + (1 - y) * np.log(1 - p))


def np_binary_focal(y, p, balance=False, alpha=0.25, gamma=2.0, smoothing=0.0):
    y = y * (1 - smoothing) + 0.5 * smoothing
    p_t = y * p + (1 - y) * (1 - p)
    out = (1 - p_t) ** gamma * np_bce(y, p)
    if balance:
        out = (y * alpha + (1 - y) * (1 - alpha)) * out
    return out.mean(-1)


def np_categorical_focal(y, p, alpha=0.25, gamma=2.0, smoothing=0.0):
    y = y * (1 - smoothing) + smoothing / y.shape[-1]
    p = np.clip(p / p.sum(-1, keepdims=True), EPS, 1 - EPS)
    return np.sum(alpha * (1 - p) ** gamma * -y * np.log(p), -1)


def positive(shape=(N, C)):
    return RNG.uniform(0.1, 3.0, size=shape).astype("float32")


def normal(shape=(N, C)):
    return RNG.normal(size=shape).astype("float32")


def probs(shape=(N, C)):
    p = RNG.uniform(0.05, 1.0, size=shape)
    return (p / p.sum(-1, keepdims=True)).astype("float32")


def binary(shape=(N, C)):
    return RNG.integers(0, 2, size=shape).astype("float32")


def one_hot():
    return np.eye(C, dtype="float32")[RNG.integers(0, C, size=N)]


FUNCTION_CASES = [
    ("mean_absolute_percentage_error", positive, normal,
     lambda y, p: 100 * np.mean(np.abs((y - p) / y), -1)),
    ("mean_squared_logarithmic_error", positive, positive,
     lambda y, p: np.mean((np.log1p(p) - np.log1p(y)) ** 2, -1)),
    ("log_cosh", normal, normal, lambda y, p: np.mean(np.log(np.cosh(p - y)), -1)),
    ("cosine_similarity", normal, normal,
     lambda y, p: -(y * p).sum(-1) / np.linalg.norm(y, axis=-1) / np.linalg.norm(p, axis=-1)),
    ("kl_divergence", probs, probs, lambda y, p: np.sum(y * np.log(y / p), -1)),
    ("poisson", positive, positive, lambda y, p: np.mean(p - y * np.log(p + EPS), -1)),
    ("hinge", binary, normal, lambda y, p: np.mean(np.maximum(1 - (2 * y - 1) * p, 0), -1)),
    ("squared_hinge", binary, normal,
     lambda y, p: np.mean(np.maximum(1 - (2 * y - 1) * p, 0) ** 2, -1)),
    ("categorical_hinge", one_hot, normal,
     lambda y, p: np.maximum(np.max((1 - y) * p, -1) - np.sum(y * p, -1) + 1, 0)),
    ("binary_focal_crossentropy", binary, probs, np_binary_focal),
    ("categorical_focal_crossentropy", one_hot, probs, np_categorical_focal),
    ("dice", binary, probs, lambda y, p: 1 - 2 * np.sum(y * p) / (y.sum() + p.sum() + EPS)),
    ("tversky", binary, probs,
     lambda y, p: 1 - np.sum(y * p) / (np.sum(y * p) + 0.5 * np.sum((1 - p) * y)
                                       + 0.5 * np.sum(p * (1 - y)) + EPS)),
]


@pytest.mark.parametrize("name,make_y,make_p,fn", FUNCTION_CASES,
                         ids=[c[0] for c in FUNCTION_CASES])
def test_functions_against_numpy(name, make_y, make_p, fn):
    y, p = make_y(), make_p()
    fn_kfront = getattr(losses, name)
    np.testing.assert_allclose(to_np(fn_kfront(y, p)), fn(y.astype("float64"),
                                                          p.astype("float64")),
                               rtol=1e-4, atol=1e-6)
    assert losses.get(name) is fn_kfront


def test_hinge_keeps_signed_labels():
    y = np.array([[-1.0, 1.0], [1.0, -1.0]], "float32")
    p = np.array([[0.3, 0.2], [-0.5, 2.0]], "float32")
    np.testing.assert_allclose(to_np(losses.hinge(y, p)),
                               np.mean(np.maximum(1 - y * p, 0), -1), rtol=1e-6)


# Values computed with Keras 3.15 (TensorFlow backend) on these exact inputs.
Y = np.array([[0., 1., 0.], [1., 0., 0.]], "float32")
P = np.array([[0.2, 0.7, 0.1], [0.5, 0.3, 0.2]], "float32")
Z = np.array([[0.5, -1.0, 2.0], [-0.3, 0.8, 0.1]], "float32")
W = np.array([0.4, 1.3], "float32")
KERAS_3 = [
    (losses.KLDivergence(), Y, P, W, 0.52187818),
    (losses.Poisson(), Y, P, W, 0.45729348),
    (losses.LogCosh(), Y, Z, W, 0.3957606),
    (losses.Hinge(), Y, Z, W, 1.3433334),
    (losses.SquaredHinge(), Y, Z, W, 2.3469999),
    (losses.CategoricalHinge(), Y, Z, W, 2.165),
    (losses.CosineSimilarity(), Y, Z, W, 0.31397006),
    (losses.MeanSquaredLogarithmicError(), Y, P, W, 0.044630527),
    (losses.MeanAbsolutePercentageError(), P, Z, W, 234.46826),
    (losses.BinaryFocalCrossentropy(apply_class_balancing=True, gamma=1.5,
                                    label_smoothing=0.1), Y, P, W, 0.034444317),
    (losses.BinaryFocalCrossentropy(from_logits=True), Y, Z, W, 0.40828758),
    (losses.CategoricalFocalCrossentropy(label_smoothing=0.2), Y, P, W, 0.052995898),
    (losses.CategoricalFocalCrossentropy(from_logits=True, gamma=1.0), Y, Z, W, 0.38224709),
    (losses.Dice(), Y, P, None, 0.39999998),
    (losses.Dice(axis=1), Y, P, W, 0.38499999),
    (losses.Tversky(alpha=0.3, beta=0.7), Y, P, None, 0.39999998),
    (losses.Tversky(alpha=0.7, beta=0.3, axis=1, reduction="sum"), Y, P, None, 0.80000013),
]


@pytest.mark.parametrize("loss,y,p,w,expected", KERAS_3,
                         ids=[f"{c[0].name}-{i}" for i, c in enumerate(KERAS_3)])
def test_classes_match_keras_3_numbers(loss, y, p, w, expected):
    np.testing.assert_allclose(float(to_np(loss(y, p, sample_weight=w))), expected, rtol=1e-5)


def test_focal_losses_logits_smoothing_and_axis():
    y, z = binary(), normal()
    got = losses.binary_focal_crossentropy(y, z, from_logits=True, apply_class_balancing=True,
                                           alpha=0.4, gamma=1.0, label_smoothing=0.2)
    np.testing.assert_allclose(to_np(got), np_binary_focal(y, sigmoid(z.astype("float64")),
                                                           True, 0.4, 1.0, 0.2), rtol=1e-4)
    y = one_hot()
    got = losses.categorical_focal_crossentropy(y, z, from_logits=True, alpha=0.5, gamma=3.0,
                                                label_smoothing=0.1)
    np.testing.assert_allclose(to_np(got), np_categorical_focal(
        y, softmax(z.astype("float64")), 0.5, 3.0, 0.1), rtol=1e-4)
    # Classes on axis 0: the same numbers as the transposed input.
    p = probs()
    np.testing.assert_allclose(to_np(losses.categorical_focal_crossentropy(y.T, p.T, axis=0)),
                               np_categorical_focal(y, p), rtol=1e-4)
    np.testing.assert_allclose(to_np(losses.cosine_similarity(y.T, p.T, axis=0)),
                               to_np(losses.cosine_similarity(y, p)), rtol=1e-5)
    with pytest.raises(ValueError, match="`axis` must be an int"):
        losses.categorical_focal_crossentropy(y, p, axis=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        losses.categorical_focal_crossentropy(y[:, :1], p[:, :1])
    assert any("binary_focal_crossentropy" in str(w.message) for w in caught)


@pytest.mark.parametrize("reduction", ["sum_over_batch_size", "sum", "mean",
                                       "mean_with_sample_weight", "none", None])
def test_reductions_with_sample_weight(reduction):
    y, p = one_hot(), normal()
    w = RNG.uniform(0.1, 2.0, size=N).astype("float32")
    per_sample = np.maximum(np.max((1 - y) * p, -1) - np.sum(y * p, -1) + 1, 0) * w
    expected = {"sum_over_batch_size": per_sample.mean(), "mean": per_sample.mean(),
                "sum": per_sample.sum(), "mean_with_sample_weight": per_sample.sum() / w.sum(),
                "none": per_sample, None: per_sample}[reduction]
    got = losses.CategoricalHinge(reduction=reduction)(y, p, sample_weight=w)
    np.testing.assert_allclose(to_np(got), expected, rtol=1e-5)


def test_argument_errors():
    with pytest.raises(ValueError, match=r"Invalid value for argument `reduction`: 'avg'"):
        losses.Poisson(reduction="avg")
    for cls in (losses.BinaryFocalCrossentropy, losses.CategoricalFocalCrossentropy,
                losses.BinaryCrossentropy, losses.CategoricalCrossentropy):
        with pytest.raises(ValueError, match=r"`label_smoothing` must be a float in \[0, 1\]. "
                                             r"Received: label_smoothing=1.5"):
            cls(label_smoothing=1.5)
    with pytest.raises(ValueError, match=r"Unknown loss: 'tverski'.*Did you mean.*'tversky'"):
        losses.get("tverski")


@pytest.mark.parametrize("name,expected", [
    ("kld", losses.kl_divergence), ("KLD", losses.kl_divergence),
    ("mape", losses.mean_absolute_percentage_error),
    ("MAPE", losses.mean_absolute_percentage_error),
    ("msle", losses.mean_squared_logarithmic_error),
    ("log_cosh", losses.log_cosh), ("dice", losses.dice),
])
def test_aliases(name, expected):
    assert losses.get(name) is expected


def test_keras_2_names_warn():
    with pytest.warns(DeprecationWarning, match="'logcosh' is from Keras 2.*'log_cosh'"):
        assert losses.get("logcosh") is losses.log_cosh
    with pytest.warns(DeprecationWarning, match="'kullback_leibler_divergence' is from Keras 2"):
        assert losses.kullback_leibler_divergence is losses.kl_divergence
    with pytest.raises(AttributeError, match="no attribute 'log_cosine'"):
        losses.log_cosine


@pytest.mark.parametrize("loss", [
    losses.MeanAbsolutePercentageError(reduction="sum"), losses.MeanSquaredLogarithmicError(),
    losses.LogCosh(name="lc"), losses.CosineSimilarity(axis=0), losses.KLDivergence(),
    losses.Poisson(reduction=None), losses.Hinge(), losses.SquaredHinge(),
    losses.CategoricalHinge(),
    losses.BinaryFocalCrossentropy(apply_class_balancing=True, alpha=0.3, gamma=1.0,
                                   from_logits=True, label_smoothing=0.1),
    losses.CategoricalFocalCrossentropy(alpha=0.5, gamma=0.5, label_smoothing=0.2, axis=1),
    losses.Dice(axis=(1,)), losses.Tversky(alpha=0.2, beta=0.8, reduction="mean"),
])
def test_config_round_trip_and_lookup(loss):
    config = loss.get_config()
    clone = type(loss).from_config(config)
    assert clone.get_config() == config
    again = losses.deserialize(losses.serialize(loss))
    assert type(again) is type(loss) and again.get_config() == config
    assert type(losses.get(type(loss).__name__)) is type(loss)
