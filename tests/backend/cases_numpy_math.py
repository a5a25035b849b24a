"""Conformance cases for ``contract.NUMPY_MATH_OPS and the numpy_math composites``."""

CASES = []
COVERED = []
