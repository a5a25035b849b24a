"""Activity regularization in the base layer, and the life of ``layer.losses``."""
import numpy as np
import pytest

import kfront as keras
from kfront import layers, ops, regularizers

RNG = np.random.default_rng(5)
X = RNG.normal(size=(4, 3)).astype("float32")
SEQ = RNG.normal(size=(4, 5, 3)).astype("float32")
IDS = np.array([[1, 2, 0], [3, 0, 0], [4, 5, 6], [1, 1, 1]])


def np_(t):
    return np.asarray(ops.convert_to_numpy(t))


@pytest.mark.parametrize("make, x", [
    (lambda r: layers.Dense(2, activity_regularizer=r), X),
    (lambda r: layers.Embedding(7, 2, activity_regularizer=r), IDS),
    (lambda r: layers.Conv1D(2, 2, activity_regularizer=r), SEQ),
    (lambda r: layers.LSTM(2, activity_regularizer=r), SEQ),
    (lambda r: layers.ActivityRegularization(l1=0.1, l2=0.2), X),
])
def test_activity_penalty_is_per_example_and_matches_numpy(make, x):
    layer = make(regularizers.L1L2(l1=0.1, l2=0.2))
    out = np_(layer(x)).astype(np.float64)
    want = (0.1 * np.abs(out).sum() + 0.2 * (out ** 2).sum()) / out.shape[0]
    assert len(layer.losses) == 1
    np.testing.assert_allclose(float(np_(layer.losses[0])), want, rtol=1e-5)


def test_each_outermost_call_starts_afresh_and_nested_losses_add_up():
    inner = layers.Dense(2, activity_regularizer="l2")
    layer = layers.Dense(2, activity_regularizer="l1")
    layer(X)
    layer(X)
    assert len(layer.losses) == 1
    model = keras.Sequential([keras.Input((3,)), inner, layers.Dense(1)])
    model(X)
    model(X)
    assert len(model.losses) == 1


def test_activity_loss_enters_the_training_loss():
    keras.utils.set_random_seed(0)
    dense = layers.Dense(1, activity_regularizer=regularizers.L2(0.5))
    model = keras.Sequential([keras.Input((3,)), dense])
    model.compile(optimizer="sgd", loss="mse")
    y = np.zeros((4, 1), "float32")
    got = model.evaluate(X, y, batch_size=4, verbose=0)
    pred = np_(model(X)).astype(np.float64)
    want = (pred ** 2).mean() + 0.5 * (pred ** 2).sum() / 4
    np.testing.assert_allclose(got, want, rtol=1e-5)


def test_losses_after_fit_are_eager_values():
    keras.utils.set_random_seed(0)
    dense = layers.Dense(2, activity_regularizer="l1", kernel_regularizer=regularizers.L2(0.3))
    model = keras.Sequential([keras.Input((3,)), dense])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(X, np.zeros((4, 2), "float32"), epochs=2, batch_size=2, verbose=0)
    # The traced activity penalty of the last step is gone; the weight penalty is computed
    # from the current weights.
    assert len(model.losses) == 1
    kernel = dense.kernel.numpy()
    np.testing.assert_allclose(float(np_(model.losses[0])), 0.3 * (kernel ** 2).sum(),
                               rtol=1e-5)


def test_activity_regularizer_config_round_trip():
    config = layers.Dense(2, activity_regularizer=regularizers.L1(0.2)).get_config()
    assert config["activity_regularizer"]["config"] == {"l1": 0.2}
    clone = layers.Dense.from_config(config)
    assert clone.activity_regularizer.l1 == pytest.approx(0.2)
    assert "activity_regularizer" not in layers.Dense(2).get_config()
    assert "activity_regularizer" not in layers.ActivityRegularization(0.1).get_config()
