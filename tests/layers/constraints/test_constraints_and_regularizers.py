"""Weight constraints (projected after each optimizer step) and weight/activity
regularizers (added to the loss that fit reports)."""
import numpy as np
import pytest

import kfront as keras
from kfront import constraints, layers, ops, regularizers

W = np.array([[3.0, 0.1, -2.0], [4.0, 0.2, 0.0]], "float32")
EPS = 1e-7


def np_(x):
    return ops.convert_to_numpy(x)


def test_max_norm_unit_norm_min_max_norm_non_neg():
    norms = np.linalg.norm(W, axis=0, keepdims=True)
    np.testing.assert_allclose(np_(constraints.MaxNorm(2.0)(W)),
                               W * np.minimum(norms, 2.0) / (norms + EPS), rtol=1e-6)
    np.testing.assert_allclose(np_(constraints.UnitNorm(axis=1)(W)),
                               W / (np.linalg.norm(W, axis=1, keepdims=True) + EPS), rtol=1e-6)
    desired = 0.5 * np.clip(norms, 1.0, 3.0) + 0.5 * norms
    np.testing.assert_allclose(np_(constraints.MinMaxNorm(1.0, 3.0, rate=0.5)(W)),
                               W * desired / (norms + EPS), rtol=1e-6)
    np.testing.assert_array_equal(np_(constraints.NonNeg()(W)), np.maximum(W, 0))


def test_get_serialize_round_trip():
    assert isinstance(constraints.get("max_norm"), constraints.MaxNorm)
    assert isinstance(constraints.get("NonNeg"), constraints.NonNeg)
    assert constraints.get(None) is None
    config = constraints.serialize(constraints.min_max_norm(0.5, 2.0, rate=0.3, axis=1))
    assert config == {"class_name": "MinMaxNorm",
                      "config": {"min_value": 0.5, "max_value": 2.0, "rate": 0.3, "axis": 1}}
    again = constraints.get(config)
    assert isinstance(again, constraints.MinMaxNorm) and again.rate == 0.3
    assert constraints.deserialize(constraints.serialize(constraints.UnitNorm(1))).axis == 1
    with pytest.raises(ValueError, match="Unknown constraint: 'max_nrm'"):
        constraints.get("max_nrm")


def test_constraints_hold_after_fit():
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(16, 4)).astype("float32"), rng.normal(size=(16, 2)).astype("float32")
    model = keras.Sequential([keras.Input((4,)),
                              layers.Dense(3, kernel_constraint=constraints.NonNeg(),
                                           bias_constraint=constraints.MaxNorm(0.01)),
                              layers.Dense(2, kernel_constraint=constraints.UnitNorm())])
    model.compile(optimizer=keras.optimizers.SGD(0.5), loss="mse")
    model.fit(x, y, batch_size=8, epochs=2, verbose=0)
    first, second = model.layers
    assert first.kernel.numpy().min() >= 0
    assert np.abs(first.bias.numpy()).max() <= 0.01 + 1e-6
    np.testing.assert_allclose(np.linalg.norm(second.kernel.numpy(), axis=0), 1.0, rtol=1e-5)


def test_regularizer_values_and_config():
    np.testing.assert_allclose(float(np_(regularizers.l1(0.1)(W))), 0.1 * np.abs(W).sum(),
                               rtol=1e-6)
    np.testing.assert_allclose(float(np_(regularizers.l1_l2(l1=0.1, l2=0.2)(W))),
                               0.1 * np.abs(W).sum() + 0.2 * np.square(W).sum(), rtol=1e-6)
    assert regularizers.serialize(regularizers.L2(0.3)) == {"class_name": "L2",
                                                            "config": {"l2": 0.3}}
    assert regularizers.deserialize({"class_name": "L1L2",
                                     "config": {"l1": 0.1, "l2": 0.0}}).l1 == 0.1
    ortho = regularizers.OrthogonalRegularizer(factor=1.0)
    np.testing.assert_allclose(float(np_(ortho(np.eye(3, dtype="float32")))), 0.0, atol=1e-7)
    rows = W / np.linalg.norm(W, axis=1, keepdims=True)
    np.testing.assert_allclose(float(np_(ortho(W))), 0.5 * 2 * abs(rows[0] @ rows[1]),
                               rtol=1e-5)


def test_fit_reports_loss_with_weight_and_activity_penalties():
    rng = np.random.default_rng(1)
    x, y = rng.normal(size=(8, 4)).astype("float32"), rng.normal(size=(8, 1)).astype("float32")
    model = keras.Sequential([
        keras.Input((4,)),
        layers.Dense(3, kernel_regularizer=regularizers.l2(0.1),
                     bias_regularizer=regularizers.l1(0.2), bias_initializer="ones"),
        layers.ActivityRegularization(l1=0.05),
        layers.Dense(1, kernel_regularizer=regularizers.l1_l2(l1=0.01, l2=0.02)),
    ])
    # A zero learning rate keeps the weights, so the penalty can be recomputed here.
    model.compile(optimizer=keras.optimizers.SGD(0.0), loss="mse")
    history = model.fit(x, y, batch_size=8, epochs=1, verbose=0)
    k1, b1, k2, b2 = model.get_weights()
    hidden = x @ k1 + b1
    pred = hidden @ k2 + b2
    want = (np.mean((pred - y) ** 2) + 0.1 * np.square(k1).sum() + 0.2 * np.abs(b1).sum()
            + 0.05 * np.abs(hidden).sum() / 8 + 0.01 * np.abs(k2).sum()
            + 0.02 * np.square(k2).sum())
    np.testing.assert_allclose(history.history["loss"][0], want, rtol=1e-5)
