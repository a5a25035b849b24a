"""Conformance cases for ``contract.RANDOM_EXTRA_OPS (statistical checks in test_random_extra.py)``."""

CASES = []
COVERED = []
