"""Conformance cases for ``contract.CONTROL_FLOW_OPS and the control_flow composites``."""

CASES = []
COVERED = []
