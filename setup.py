"""Packages: ``kfront/`` is the front-end; ``backends/`` installs as ``kfront.backends``."""
from setuptools import find_packages, setup

packages = ["kfront"] + [f"kfront.{p}" for p in find_packages("kfront")]
packages += ["kfront.backends"] + [f"kfront.backends.{p}" for p in find_packages("backends")]

# The pytest plugin is a top-level module: pytest imports it at start-up, and importing
# anything under ``kfront`` would import kfront and its engine in every pytest run.
setup(packages=packages, package_dir={"kfront": "kfront", "kfront.backends": "backends"},
      py_modules=["kfront_pytest_plugin"])
