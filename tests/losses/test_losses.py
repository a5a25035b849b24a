"""Losses against NumPy references: per-sample values, weighting, reductions, config."""
import numpy as np
import pytest

from kfront import losses, ops

EPS = 1e-7
RNG = np.random.default_rng(0)


def to_np(x):
    return np.asarray(ops.convert_to_numpy(x))


def probs(shape):
    p = RNG.uniform(0.05, 1.0, size=shape)
    return (p / p.sum(-1, keepdims=True)).astype("float32")


def np_log_softmax(x):
    x = x - x.max(-1, keepdims=True)
    return x - np.log(np.exp(x).sum(-1, keepdims=True))


def np_bce(y, p, from_logits=False):
    if from_logits:
        return np.maximum(p, 0) - p * y + np.log1p(np.exp(-np.abs(p)))
    p = np.clip(p, EPS, 1 - EPS)
    return -(y * np.log(p) + (1 - y) * np.log(1 - p))


def np_cce(y, p, from_logits=False):
    if from_logits:
        return -(y * np_log_softmax(p)).sum(-1)
    p = np.clip(p / p.sum(-1, keepdims=True), EPS, 1 - EPS)
    return -(y * np.log(p)).sum(-1)


def np_huber(y, p, delta=1.0):
    e = np.abs(p - y)
    return np.mean(np.where(e <= delta, 0.5 * e ** 2, delta * e - 0.5 * delta ** 2), -1)


def np_reduce(values, sample_weight=None, reduction="sum_over_batch_size"):
    values = np.asarray(values, "float64")
    if sample_weight is not None:
        sw = np.asarray(sample_weight, "float64")
        if sw.ndim == values.ndim + 1 and sw.shape[-1] == 1:
            sw = sw[..., 0]
        values = values * sw
    if reduction in (None, "none"):
        return values
    if reduction == "sum":
        return values.sum()
    if reduction == "mean_with_sample_weight" and sample_weight is not None:
        return values.sum() / np.sum(sample_weight)
    return values.sum() / values.size


N, D, C = 8, 3, 5


@pytest.fixture
def regression_data():
    return (RNG.normal(size=(N, D)).astype("float32"),
            RNG.normal(size=(N, D)).astype("float32"))


# --- per-sample functions --------------------------------------------------------------


def test_mse_mae_huber_functions(regression_data):
    y, p = regression_data
    np.testing.assert_allclose(to_np(losses.mean_squared_error(y, p)),
                               np.mean((y - p) ** 2, -1), rtol=1e-5)
    np.testing.assert_allclose(to_np(losses.mean_absolute_error(y, p)),
                               np.mean(np.abs(y - p), -1), rtol=1e-5)
    np.testing.assert_allclose(to_np(losses.huber(y, p, delta=0.7)), np_huber(y, p, 0.7),
                               rtol=1e-5)
    assert losses.mse is losses.mean_squared_error and losses.mae is losses.mean_absolute_error


def test_binary_crossentropy_function_probs_logits_smoothing():
    y = RNG.integers(0, 2, size=(N, D)).astype("float32")
    p = RNG.uniform(0.01, 0.99, size=(N, D)).astype("float32")
    logits = RNG.normal(size=(N, D)).astype("float32") * 3
    np.testing.assert_allclose(to_np(losses.binary_crossentropy(y, p)),
                               np_bce(y, p).mean(-1), rtol=1e-5)
    np.testing.assert_allclose(to_np(losses.binary_crossentropy(y, logits, from_logits=True)),
                               np_bce(y, logits, True).mean(-1), rtol=1e-5)
    ys = y * 0.8 + 0.1
    np.testing.assert_allclose(to_np(losses.binary_crossentropy(y, p, label_smoothing=0.2)),
                               np_bce(ys, p).mean(-1), rtol=1e-5)


def test_categorical_crossentropy_function():
    y = np.eye(C, dtype="float32")[RNG.integers(0, C, size=N)]
    p = probs((N, C))
    logits = RNG.normal(size=(N, C)).astype("float32")
    np.testing.assert_allclose(to_np(losses.categorical_crossentropy(y, p)), np_cce(y, p),
                               rtol=1e-5)
    np.testing.assert_allclose(
        to_np(losses.categorical_crossentropy(y, logits, from_logits=True)),
        np_cce(y, logits, True), rtol=1e-5)
    ys = y * 0.9 + 0.1 / C
    np.testing.assert_allclose(
        to_np(losses.categorical_crossentropy(y, logits, from_logits=True, label_smoothing=0.1)),
        np_cce(ys, logits, True), rtol=1e-5)


def test_sparse_categorical_crossentropy_function_label_shapes():
    labels = RNG.integers(0, C, size=N)
    p = probs((N, C))
    expected = np_cce(np.eye(C)[labels], p)
    for y in (labels, labels.reshape(N, 1), labels.astype("float32")):
        np.testing.assert_allclose(to_np(losses.sparse_categorical_crossentropy(y, p)),
                                   expected, rtol=1e-5)
    logits = RNG.normal(size=(N, C)).astype("float32")
    np.testing.assert_allclose(
        to_np(losses.sparse_categorical_crossentropy(labels, logits, from_logits=True)),
        np_cce(np.eye(C)[labels], logits, True), rtol=1e-5)


def test_categorical_crossentropy_rejects_bool_axis():
    with pytest.raises(ValueError, match="`axis` must be an int"):
        losses.categorical_crossentropy(np.ones((2, 3)), np.ones((2, 3)), axis=True)


# --- Loss classes: reductions and weighting ---------------------------------------------


@pytest.mark.parametrize("reduction", ["sum_over_batch_size", "mean", "sum", "none", None,
                                       "mean_with_sample_weight"])
@pytest.mark.parametrize("weights", [None, "per_sample", "column", "scalar"])
def test_mse_reductions_and_sample_weight(regression_data, reduction, weights):
    y, p = regression_data
    sw = {None: None, "per_sample": RNG.uniform(0, 2, size=N).astype("float32"),
          "column": RNG.uniform(0, 2, size=(N, 1)).astype("float32"),
          "scalar": 0.5}[weights]
    got = to_np(losses.MeanSquaredError(reduction=reduction)(y, p, sample_weight=sw))
    expected = np_reduce(np.mean((y - p) ** 2, -1), sw, reduction)
    if weights == "column" and reduction in (None, "none"):
        got = got.reshape(-1)  # (N,) losses against (N, 1) weights come back as (N, 1)
    np.testing.assert_allclose(got, expected, rtol=1e-5)


def test_rank_mismatch_is_squeezed_or_expanded():
    y = RNG.integers(0, 2, size=N).astype("float32")
    p = RNG.uniform(0.05, 0.95, size=(N, 1)).astype("float32")
    np.testing.assert_allclose(to_np(losses.MeanSquaredError()(y, p)),
                               np.mean((y - p[:, 0]) ** 2), rtol=1e-5)
    np.testing.assert_allclose(to_np(losses.BinaryCrossentropy()(y, p)),
                               np_bce(y, p[:, 0]).mean(), rtol=1e-5)
    # The bare function aligns ranks too, instead of broadcasting to (N, N).
    assert to_np(losses.binary_crossentropy(y, p)).shape == (N,)
    np.testing.assert_allclose(to_np(losses.MeanAbsoluteError()(p, y)),
                               np.mean(np.abs(y - p[:, 0])), rtol=1e-5)


def test_binary_crossentropy_class_logits_smoothing_weights():
    y = RNG.integers(0, 2, size=(N, D)).astype("float32")
    logits = RNG.normal(size=(N, D)).astype("float32")
    sw = RNG.uniform(0, 1, size=N).astype("float32")
    loss = losses.BinaryCrossentropy(from_logits=True, label_smoothing=0.1, reduction="sum")
    ys = y * 0.9 + 0.05
    np.testing.assert_allclose(to_np(loss(y, logits, sample_weight=sw)),
                               np.sum(np_bce(ys, logits, True).mean(-1) * sw), rtol=1e-5)


def test_categorical_crossentropy_class():
    y = np.eye(C, dtype="float32")[RNG.integers(0, C, size=N)]
    logits = RNG.normal(size=(N, C)).astype("float32")
    sw = RNG.uniform(0, 1, size=N).astype("float32")
    loss = losses.CategoricalCrossentropy(from_logits=True, label_smoothing=0.2)
    ys = y * 0.8 + 0.2 / C
    np.testing.assert_allclose(to_np(loss(y, logits, sample_weight=sw)),
                               np.mean(np_cce(ys, logits, True) * sw), rtol=1e-5)


def test_sparse_categorical_crossentropy_class_and_ignore_class():
    labels = RNG.integers(0, C, size=N)
    labels[:3] = -1
    logits = RNG.normal(size=(N, C)).astype("float32")
    valid = labels != -1
    per_sample = np.where(valid, np_cce(np.eye(C)[np.where(valid, labels, 0)], logits, True), 0)
    loss = losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=-1)
    # Ignored entries are left out of the average, not counted as zeros.
    np.testing.assert_allclose(to_np(loss(labels, logits)), per_sample.sum() / valid.sum(),
                               rtol=1e-5)
    loss_none = losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=-1,
                                                     reduction="none")
    np.testing.assert_allclose(to_np(loss_none(labels, logits)), per_sample, rtol=1e-5,
                               atol=1e-7)
    ok = RNG.integers(0, C, size=(N, 1))
    np.testing.assert_allclose(
        to_np(losses.SparseCategoricalCrossentropy(from_logits=True)(ok, logits)),
        np_cce(np.eye(C)[ok[:, 0]], logits, True).mean(), rtol=1e-5)


def test_sparse_crossentropy_keeps_integer_targets_above_float32_precision():
    # 2**24 + 1 is not a float32: a round trip through the loss's dtype would read class
    # 2**24 instead.
    classes = 2 ** 24 + 2
    label = classes - 1
    logits = np.zeros((1, classes), "float32")
    logits[0, label] = 10.0
    expected = np.log(classes - 1 + np.exp(10.0)) - 10.0
    for loss in (losses.SparseCategoricalCrossentropy(from_logits=True),
                 losses.LossFunctionWrapper(losses.get("sparse_categorical_crossentropy"),
                                            from_logits=True)):
        value = loss(np.array([label], "int64"), logits)
        # A float32 log-sum-exp over 2**24 terms is good to about 1e-3; the wrong class
        # would give 16.6.
        np.testing.assert_allclose(float(to_np(value)), expected, rtol=1e-2)
    # Float targets are still read as class indices.
    np.testing.assert_allclose(
        float(to_np(losses.SparseCategoricalCrossentropy(from_logits=True)(
            np.array([1.0], "float32"), logits[:, :4]))),
        np.log(4.0), rtol=1e-6)


def test_huber_class_and_per_timestep_weights():
    y = RNG.normal(size=(N, 4, D)).astype("float32")
    p = RNG.normal(size=(N, 4, D)).astype("float32")
    sw = RNG.uniform(0, 1, size=(N, 4)).astype("float32")
    got = losses.Huber(delta=0.5)(y, p, sample_weight=sw)
    np.testing.assert_allclose(to_np(got), np.mean(np_huber(y, p, 0.5) * sw), rtol=1e-5)


def test_zero_weights_give_zero_not_nan(regression_data):
    y, p = regression_data
    got = losses.MeanSquaredError(reduction="mean_with_sample_weight")(
        y, p, sample_weight=np.zeros(N, "float32"))
    assert float(to_np(got)) == 0.0


def test_loss_dtype_and_result_is_scalar(regression_data):
    y, p = regression_data
    out = losses.MeanSquaredError()(y.astype("float64"), p)
    assert ops.dtype(out) == "float32" and tuple(ops.shape(out)) == ()
    out16 = losses.MeanSquaredError(dtype="float16")(y, p)
    assert ops.dtype(out16) == "float16"
    np.testing.assert_allclose(float(to_np(out16)), np.mean((y - p) ** 2), rtol=1e-2)


def test_invalid_reduction_names_the_value():
    with pytest.raises(ValueError, match="Invalid value for argument `reduction`: 'avg'"):
        losses.MeanSquaredError(reduction="avg")


def test_custom_loss_subclass_and_wrapper(regression_data):
    y, p = regression_data

    class Cube(losses.Loss):
        def call(self, y_true, y_pred):
            return ops.mean(ops.abs(ops.subtract(y_true, y_pred)) ** 3, axis=-1)

    np.testing.assert_allclose(to_np(Cube(reduction="sum")(y, p)),
                               np.sum(np.mean(np.abs(y - p) ** 3, -1)), rtol=1e-5)
    assert Cube().name == "cube"

    def scaled(y_true, y_pred, scale=1.0):
        return ops.multiply(scale, ops.mean(ops.abs(ops.subtract(y_true, y_pred)), axis=-1))

    wrapped = losses.LossFunctionWrapper(scaled, name="scaled", scale=3.0)
    np.testing.assert_allclose(to_np(wrapped(y, p)), 3 * np.mean(np.abs(y - p)), rtol=1e-5)
    assert wrapped.get_config()["scale"] == 3.0


def test_base_loss_call_not_implemented():
    with pytest.raises(NotImplementedError, match="must implement `call"):
        losses.Loss()(np.zeros(2), np.zeros(2))


# --- lookup and serialization ------------------------------------------------------------


@pytest.mark.parametrize("name,expected", [
    ("mse", losses.mean_squared_error), ("MSE", losses.mean_squared_error),
    ("mae", losses.mean_absolute_error), ("huber", losses.huber),
    ("binary_crossentropy", losses.binary_crossentropy),
    ("categorical_crossentropy", losses.categorical_crossentropy),
    ("sparse_categorical_crossentropy", losses.sparse_categorical_crossentropy),
    ("mean_squared_error", losses.mean_squared_error),
])
def test_get_function_names(name, expected):
    assert losses.get(name) is expected


@pytest.mark.parametrize("name,cls", [
    ("MeanSquaredError", losses.MeanSquaredError), ("Huber", losses.Huber),
    ("BinaryCrossentropy", losses.BinaryCrossentropy),
    ("CategoricalCrossentropy", losses.CategoricalCrossentropy),
    ("SparseCategoricalCrossentropy", losses.SparseCategoricalCrossentropy),
])
def test_get_class_names_give_instances(name, cls):
    assert type(losses.get(name)) is cls


def test_get_other_identifiers():
    assert losses.get(None) is None
    inst = losses.Huber(delta=2.0)
    assert losses.get(inst) is inst
    assert type(losses.get(losses.MeanAbsoluteError)) is losses.MeanAbsoluteError
    fn = lambda y_true, y_pred: y_pred  # noqa: E731
    assert losses.get(fn) is fn
    got = losses.get({"class_name": "CategoricalCrossentropy", "config": {"from_logits": True}})
    assert isinstance(got, losses.CategoricalCrossentropy) and got.from_logits is True


def test_get_unknown_names_lists_valid_ones():
    with pytest.raises(ValueError, match=r"Unknown loss: 'msee'.*Expected one of:.*'mse'"):
        losses.get("msee")
    with pytest.raises(ValueError, match="Could not interpret loss identifier: 42"):
        losses.get(42)


@pytest.mark.parametrize("loss", [
    losses.MeanSquaredError(reduction="sum"), losses.MeanAbsoluteError(name="l1"),
    losses.Huber(delta=2.5), losses.BinaryCrossentropy(from_logits=True, label_smoothing=0.1),
    losses.CategoricalCrossentropy(label_smoothing=0.3, axis=-1),
    losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=255),
    losses.LossFunctionWrapper(losses.huber, name="h", delta=0.3),
])
def test_config_round_trip(loss):
    config = loss.get_config()
    clone = type(loss).from_config(config)
    assert clone.get_config() == config
    again = losses.deserialize(losses.serialize(loss))
    assert type(again) is type(loss) and again.get_config() == config
    y = RNG.integers(0, 2, size=(4, 3)).astype("float32")
    p = RNG.uniform(0.1, 0.9, size=(4, 3)).astype("float32")
    if isinstance(loss, losses.SparseCategoricalCrossentropy):
        y = RNG.integers(0, 3, size=4)
    np.testing.assert_allclose(to_np(again(y, p)), to_np(loss(y, p)), rtol=1e-6)


def test_huber_config_keeps_delta():
    assert losses.Huber(delta=3.0).get_config() == {
        "name": "huber_loss", "reduction": "sum_over_batch_size", "delta": 3.0}


def test_serialize_functions():
    config = losses.serialize(losses.mean_squared_error)
    assert config["class_name"] == "function" and config["config"] == "mean_squared_error"
    assert losses.deserialize(config) is losses.mean_squared_error
    assert losses.deserialize("huber") is losses.huber
    with pytest.raises(ValueError, match="Cannot serialize loss"):
        losses.serialize(lambda a, b: a)
