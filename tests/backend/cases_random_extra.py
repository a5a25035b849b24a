"""Conformance cases for ``contract.RANDOM_EXTRA_OPS`` (statistical checks in
test_random_extra.py)."""

CASES = []
COVERED = ["random_beta", "random_binomial", "random_categorical", "random_gamma",
           "random_shuffle"]
