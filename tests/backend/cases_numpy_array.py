"""Conformance cases for ``contract.NUMPY_ARRAY_OPS and the numpy_array composites``."""

CASES = []
COVERED = []
