"""``pytest -p kfront.testing.pytest_plugin``: the plugin, by its documented name (it lives in
the top-level module ``kfront_pytest_plugin``, which pytest loads without importing kfront)."""
from kfront_pytest_plugin import *  # noqa: F401,F403
from kfront_pytest_plugin import pytest_addhooks  # noqa: F401
