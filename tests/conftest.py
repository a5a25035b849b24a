"""Shared test settings: the backend comes from KFRONT_BACKEND (one pytest run per engine)."""
import os

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


@pytest.fixture
def backend_name():
    import kfront
    return kfront.backend.backend()
