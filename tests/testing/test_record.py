"""kfront.testing.record: what a script marks for `python -m kfront compare`."""
import numpy as np
import pytest

import kfront
from kfront import testing


@pytest.fixture(autouse=True)
def _clean():
    testing.clear()
    yield
    testing.clear()


def test_record_returns_the_value_and_keeps_numpy():
    tensor = kfront.ops.ones((2, 3))
    assert testing.record("ones", tensor) is tensor
    assert testing.record("n", 3) == 3
    kept = testing.recorded()
    np.testing.assert_array_equal(kept["ones"], np.ones((2, 3), "float32"))
    assert kept["n"] == 3


def test_record_mistakes_are_named():
    testing.record("loss", 1.0)
    with pytest.raises(ValueError, match="the name 'loss' is already recorded"):
        testing.record("loss", 2.0)
    with pytest.raises(TypeError, match="`name` must be a non-empty string; received 3"):
        testing.record(3, 1.0)
