"""Conformance cases for ``contract.LINALG_OPS and the linalg composites``."""

CASES = []
COVERED = []
