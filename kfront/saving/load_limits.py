"""Limits that keep a hostile file from exhausting memory before any other check runs.

A model file is small; what it makes the loader allocate need not be. Each allocation a
file can ask for is bounded before it happens:

- ``max_config_bytes``: the JSON config (and metadata) of an archive or an ``.h5`` file;
- ``max_member_bytes`` and ``max_compression_ratio``: a zip member is read only if it claims
  at most this many bytes and, when larger than ``ratio_check_bytes``, inflates at most this
  many times over its compressed size (a zip bomb inflates thousands of times);
- ``max_variable_bytes``: what the variables of a model rebuilt from a config alone
  (``model_from_json``/``model_from_config``/``model_from_yaml``) may take, checked as each
  variable is created, before its initializer runs;
- ``variable_bytes_per_weight_byte``: loading a file with weights, its variables (optimizer
  slots included) may take this many times the bytes of the arrays the file holds, plus
  ``max_variable_slack_bytes``: a config that declares a 6 GB ``Dense`` next to a few
  kilobytes of weights is refused.

Legitimate huge models raise them: ``kfront.saving.set_load_limits(max_variable_bytes=2**34)``.
"""
import math
import threading

import numpy as np

MiB = 1024 ** 2
GiB = 1024 ** 3

_DEFAULTS = {
    "max_config_bytes": 64 * MiB,
    "max_member_bytes": 8 * GiB,
    "max_compression_ratio": 200,
    "ratio_check_bytes": 64 * MiB,
    "max_variable_bytes": 4 * GiB,
    "variable_bytes_per_weight_byte": 4,
    "max_variable_slack_bytes": 256 * MiB,
}
_limits = dict(_DEFAULTS)


def get_load_limits():
    """The current limits, as a dict (see the module docstring)."""
    return dict(_limits)


def set_load_limits(**limits):
    """Changes some limits for every later load; returns the previous values of all of them.

    >>> previous = kfront.saving.set_load_limits(max_variable_bytes=16 * 1024**3)
    >>> ...  # load the huge model
    >>> kfront.saving.set_load_limits(**previous)
    """
    previous = get_load_limits()
    for name, value in limits.items():
        if name not in _DEFAULTS:
            raise ValueError(f"set_load_limits: unknown limit {name!r}; the limits are "
                             f"{sorted(_DEFAULTS)}.")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            raise ValueError(f"set_load_limits: {name} must be a positive number, received "
                             f"{value!r}.")
    _limits.update(limits)
    return previous


def limit(name):
    return _limits[name]


def check_member(name, file_size, compress_size, where):
    """Refuses a zip member too large, or inflating too many times, before it is read."""
    if file_size > _limits["max_member_bytes"]:
        raise ValueError(f"Member {name!r} of {where} claims {file_size} bytes, more than the "
                         f"limit of {_limits['max_member_bytes']} (raise it with "
                         "kfront.saving.set_load_limits(max_member_bytes=...)).")
    if file_size > _limits["ratio_check_bytes"] and \
            file_size > _limits["max_compression_ratio"] * max(compress_size, 1):
        raise ValueError(f"Member {name!r} of {where} inflates from {compress_size} to "
                         f"{file_size} bytes, more than {_limits['max_compression_ratio']} "
                         "times: refused as a decompression bomb (raise the limit with "
                         "kfront.saving.set_load_limits(max_compression_ratio=...)).")


# ---- the variable budget of a load in progress ----
_state = threading.local()


class VariableBudget:
    """``with VariableBudget(n_bytes, what):`` variables created inside may take at most
    ``n_bytes`` together; the one that would pass it raises a ValueError instead of
    allocating. Budgets nest: the innermost applies."""

    def __init__(self, n_bytes, what):
        self.n_bytes = int(n_bytes)
        self.what = what
        self.used = 0

    def __enter__(self):
        from kfront.backend import variable
        stack = getattr(_state, "stack", None)
        if stack is None:
            stack = _state.stack = []
        stack.append(self)
        if _guard not in variable.ALLOCATION_GUARDS:
            variable.ALLOCATION_GUARDS.append(_guard)
        return self

    def __exit__(self, *exc):
        _state.stack.pop()

    def charge(self, name, shape, dtype):
        try:
            itemsize = np.dtype(dtype).itemsize
        except TypeError:
            itemsize = 4                          # bfloat16 and friends: NumPy may not know
        size = math.prod(int(d) for d in shape) * itemsize
        if self.used + size > self.n_bytes:
            raise ValueError(
                f"{self.what}: creating variable {name!r} of shape {tuple(shape)} "
                f"({size} bytes) would take the model's variables past {self.n_bytes} bytes, "
                "the limit for this load (the file declares weights far larger than it "
                "holds). If the model is genuine, raise the limit with kfront.saving."
                "set_load_limits(max_variable_bytes=..., variable_bytes_per_weight_byte=...).")
        self.used += size


def _guard(name, shape, dtype):
    stack = getattr(_state, "stack", None)
    if stack:
        stack[-1].charge(name, shape, dtype)


def budget_for_config(what):
    """The budget of a model rebuilt from its config alone."""
    return VariableBudget(_limits["max_variable_bytes"], what)


def budget_for_weights(weight_bytes, what):
    """The budget of a model loaded with a weights file holding ``weight_bytes``."""
    return VariableBudget(_limits["variable_bytes_per_weight_byte"] * weight_bytes
                          + _limits["max_variable_slack_bytes"], what)
