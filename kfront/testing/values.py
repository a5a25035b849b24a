"""How recorded values travel between processes and how two of them are compared.

A value becomes plain JSON (arrays keep their shape and dtype), so a run on one engine can be
read back by a process running another. ``compare_values`` walks two such values side by side
and says, per leaf, how far apart they are.
"""
import math

import numpy as np

_ARRAY = "__kfront_array__"


def to_numpy(value):
    """``value`` with every tensor, Variable and NumPy scalar turned into a NumPy array."""
    if isinstance(value, dict):
        return {str(k): to_numpy(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_numpy(v) for v in value]
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, (np.ndarray, np.generic)):
        return np.array(value)
    from kfront import ops
    if ops.is_tensor(value):
        return np.array(ops.convert_to_numpy(value))
    if hasattr(value, "numpy") and callable(value.numpy):  # kfront.Variable
        return np.array(value.numpy())
    raise TypeError(f"Cannot record a value of type {type(value).__name__}: expected numbers, "
                    "strings, arrays, tensors, or lists/tuples/dicts of them.")


def encode(value):
    """``value`` (after ``to_numpy``) as JSON-ready data."""
    value = to_numpy(value)
    if isinstance(value, dict):
        return {k: encode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, np.ndarray):
        flat = value.reshape(-1)
        if value.dtype.kind == "c":
            raise TypeError("Complex arrays cannot be recorded; record their real and "
                            "imaginary parts.")
        data = [x if isinstance(x, (bool, int, str)) else _float(x) for x in flat.tolist()]
        return {_ARRAY: True, "shape": list(value.shape), "dtype": str(value.dtype),
                "data": data}
    if isinstance(value, float):
        return _float(value)
    return value


def _float(x):
    # JSON has no NaN/inf: they travel as strings and come back as floats.
    return x if math.isfinite(x) else repr(float(x))


def decode(data):
    """The inverse of ``encode``: arrays come back as NumPy arrays."""
    if isinstance(data, dict):
        if data.get(_ARRAY):
            flat = [float(x) if x in ("nan", "inf", "-inf") else x for x in data["data"]]
            return np.array(flat, dtype=data["dtype"]).reshape(data["shape"])
        return {k: decode(v) for k, v in data.items()}
    if isinstance(data, list):
        return [decode(v) for v in data]
    if data in ("nan", "inf", "-inf"):
        return float(data)
    return data


def flatten(value, prefix=""):
    """``[(path, leaf)]`` of a decoded value: ``"out[0]"``, ``"out.logits"``..."""
    if isinstance(value, dict):
        items = []
        for key, item in value.items():
            items += flatten(item, f"{prefix}.{key}" if prefix else str(key))
        return items
    if isinstance(value, (list, tuple)) and not all(_is_number(v) for v in value):
        items = []
        for i, item in enumerate(value):
            items += flatten(item, f"{prefix}[{i}]")
        return items
    return [(prefix, value)]


def _is_number(value):
    return isinstance(value, (int, float, np.number)) and not isinstance(value, bool)


def _numeric(value):
    """``value`` as a float64 array, or None for text, None and mixed lists."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return None
    array = np.asarray(value)
    if array.dtype.kind not in "biuf":
        return None
    return array.astype(np.float64)


def compare_leaves(a, b, rtol, atol):
    """How far apart two leaves are: a dict with ``ok``, ``max_abs`` (None when they are not
    numbers), ``bad`` and ``total`` (elements out of tolerance, of all), ``where`` (the index
    of the worst element) and ``reason`` (why they differ, in words)."""
    x, y = _numeric(a), _numeric(b)
    if x is None or y is None:
        same = _same_text(a, b)
        return {"ok": same, "max_abs": None, "bad": 0 if same else 1, "total": 1,
                "where": None, "reason": None if same else f"{a!r} != {b!r}"}
    if x.shape != y.shape:
        return {"ok": False, "max_abs": None, "bad": max(x.size, y.size),
                "total": max(x.size, y.size), "where": None,
                "reason": f"shapes differ: {x.shape} vs {y.shape}"}
    with np.errstate(invalid="ignore"):
        # Equal (NaN and NaN, inf and inf) is no difference; NaN on one side only is one.
        same = (x == y) | (np.isnan(x) & np.isnan(y))
        err = np.where(same, 0.0, np.abs(x - y))
        err = np.where(np.isnan(err), np.inf, err)
        bad = err > atol + rtol * np.fmax(np.abs(x), np.abs(y))
    total = int(x.size)
    if total == 0:
        return {"ok": True, "max_abs": 0.0, "bad": 0, "total": 0, "where": None,
                "reason": None}
    worst = np.unravel_index(int(np.argmax(err)), err.shape) if err.ndim else ()
    n_bad = int(bad.sum())
    return {"ok": n_bad == 0, "max_abs": float(err.max()), "bad": n_bad, "total": total,
            "where": tuple(int(i) for i in worst), "reason": None if n_bad == 0 else
            f"{n_bad} of {total} element(s) differ beyond rtol={rtol:g}, atol={atol:g}"}


def _same_text(a, b):
    try:
        return bool(a == b)
    except ValueError:
        return False


def compare_values(a, b, rtol, atol):
    """``{path: compare_leaves(...)}`` over two decoded values; a path found on one side only
    is reported with ``reason`` 'missing on one side'."""
    left, right = dict(flatten(a)), dict(flatten(b))
    out = {}
    for path in list(left) + [p for p in right if p not in left]:
        if path not in left or path not in right:
            out[path] = {"ok": False, "max_abs": None, "bad": 1, "total": 1, "where": None,
                         "reason": "missing on one side"}
        else:
            out[path] = compare_leaves(left[path], right[path], rtol, atol)
    return out


def describe(value):
    """A short display of a leaf for a table cell."""
    array = _numeric(value)
    if array is None:
        text = repr(value)
        return text if len(text) <= 12 else text[:11] + "…"
    if array.ndim == 0:
        return f"{float(array):.6g}"
    if array.size == 0:
        return "[]"
    shape = "x".join(str(d) for d in array.shape)
    return f"[{shape}] {float(np.nanmean(array)):.4g}"
