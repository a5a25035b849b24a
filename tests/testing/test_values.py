"""How kfront.testing encodes recorded values and compares them across backends."""
import json

import numpy as np
import pytest

import kfront
from kfront.testing import values


def test_encode_decode_keeps_dtype_shape_and_non_finite_numbers():
    value = {"a": np.arange(6, dtype="int64").reshape(2, 3), "b": [1.5, "text", None],
             "c": np.array([np.nan, np.inf, -1.0], dtype="float32"),
             "t": kfront.ops.ones((2,))}
    back = values.decode(json.loads(json.dumps(values.encode(value))))
    assert back["a"].dtype == np.int64 and back["a"].shape == (2, 3)
    np.testing.assert_array_equal(back["a"], value["a"])
    assert back["b"] == [1.5, "text", None]
    assert back["c"].dtype == np.float32
    np.testing.assert_array_equal(back["c"], value["c"])
    np.testing.assert_array_equal(back["t"], np.ones(2, "float32"))


def test_unsupported_value_is_named():
    with pytest.raises(TypeError, match="Cannot record a value of type object"):
        values.encode(object())


def test_compare_leaves_within_and_beyond_tolerance():
    ok = values.compare_leaves(np.array([1.0, 2.0]), np.array([1.0, 2.0 + 1e-6]), 1e-5, 0)
    assert ok["ok"] and ok["max_abs"] == pytest.approx(1e-6)
    bad = values.compare_leaves(np.array([[1.0, 2.0]]), np.array([[1.0, 2.5]]), 1e-5, 1e-6)
    assert not bad["ok"] and bad["where"] == (0, 1) and bad["bad"] == 1
    assert bad["max_abs"] == pytest.approx(0.5)
    assert "1 of 2 element(s) differ beyond rtol=1e-05, atol=1e-06" == bad["reason"]
    assert values.compare_leaves(np.nan, np.nan, 0, 0)["ok"]
    assert not values.compare_leaves(np.nan, 1.0, 1, 1)["ok"]
    shapes = values.compare_leaves(np.zeros(2), np.zeros(3), 1, 1)
    assert shapes["reason"] == "shapes differ: (2,) vs (3,)"
    assert values.compare_leaves("torch", "jax", 1, 1)["reason"] == "'torch' != 'jax'"


def test_compare_values_walks_structures_and_reports_missing_paths():
    found = values.compare_values({"x": [np.zeros(2), 1.0], "y": 2.0},
                                  {"x": [np.zeros(2), 1.1]}, 1e-5, 1e-6)
    assert found["x[0]"]["ok"] and not found["x[1]"]["ok"]
    assert found["y"]["reason"] == "missing on one side"
