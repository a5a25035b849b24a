"""Conformance cases for ``contract.IMAGE_KERNEL_OPS and the kfront.ops.image composites``."""

CASES = []
COVERED = []
