"""Every corpus script starts from the same global seed and default layer names."""
import pytest

import kfront as keras


@pytest.fixture(autouse=True)
def _seed():
    keras.backend.clear_session()
    keras.utils.set_random_seed(1234)
