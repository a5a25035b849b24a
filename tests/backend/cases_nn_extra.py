"""Conformance cases for ``contract.NN_EXTRA_OPS and the nn_extra composites``."""

CASES = []
COVERED = []
