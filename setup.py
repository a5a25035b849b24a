"""Packages: ``kfront/`` is the front-end; ``backends/`` installs as ``kfront.backends``."""
from setuptools import find_packages, setup

packages = ["kfront"] + [f"kfront.{p}" for p in find_packages("kfront")]
packages += ["kfront.backends"] + [f"kfront.backends.{p}" for p in find_packages("backends")]

setup(packages=packages, package_dir={"kfront": "kfront", "kfront.backends": "backends"})
