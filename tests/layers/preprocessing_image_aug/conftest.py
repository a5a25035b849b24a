"""Every augmentation test starts from the same global seed; tests import the helpers in
``aug_reference``."""
import os
import sys

import pytest

import kfront as keras

sys.path.insert(0, os.path.dirname(__file__))


@pytest.fixture(autouse=True)
def _seed():
    keras.utils.set_random_seed(1234)
