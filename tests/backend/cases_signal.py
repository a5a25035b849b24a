"""Conformance cases for ``contract.SIGNAL_OPS and the signal composites``."""

CASES = []
COVERED = []
