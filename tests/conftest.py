"""Shared test settings: the backend comes from KFRONT_BACKEND (one pytest run per engine)."""
import os

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


@pytest.fixture
def backend_name():
    import kfront
    return kfront.backend.backend()


# Slow checks run once per suite run, on one backend, so the three-backend suite stays short:
# KFRONT_SLOW_BACKENDS names where they run ("torch" by default; "all" or "none").
def pytest_collection_modifyitems(config, items):
    import kfront
    where = os.environ.get("KFRONT_SLOW_BACKENDS", "torch")
    current = kfront.backend.backend()
    if where == "all" or current in where.split(","):
        return
    skip = pytest.mark.skip(reason=f"slow: runs on {where} (KFRONT_SLOW_BACKENDS)")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
