"""Every saving test starts from the same global seed."""
import pytest

import kfront as keras


@pytest.fixture(autouse=True)
def _seed():
    keras.utils.set_random_seed(1234)
