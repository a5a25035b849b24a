"""``kfront.testing.record``: mark a value for ``python -m kfront compare``."""
import numpy as np

from kfront.testing import values as _values

_RECORDS = {}


def record(name, value):
    """Marks ``value`` under ``name`` for ``python -m kfront compare``, which compares it
    across backends. Returns ``value`` unchanged, so it can wrap an expression.

    Args:
        name: a string naming the value in the comparison table; each name once per run.
        value: a number, string, array, tensor, or a list/tuple/dict of them.

    Example:
        >>> probs = kfront.testing.record("probs", model.predict(x_test, verbose=0))

    Outside ``compare`` the value is kept in memory (see ``recorded()``) and nothing else
    happens.
    """
    if not isinstance(name, str) or not name:
        raise TypeError(f"record(): `name` must be a non-empty string; received {name!r}.")
    if name in _RECORDS:
        raise ValueError(f"record(): the name {name!r} is already recorded in this run; "
                         "give each value its own name (e.g. f'loss_{step}').")
    _RECORDS[name] = _values.to_numpy(value)
    return value


def recorded():
    """``{name: value}`` of what ``record`` kept in this process, values as NumPy arrays."""
    return {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in _RECORDS.items()}


def clear():
    """Forgets what ``record`` kept (for tests that record in one process)."""
    _RECORDS.clear()
