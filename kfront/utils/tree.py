"""Nested structures of lists, tuples and dicts: flatten, map, rebuild.

Dicts are walked in sorted-key order, as Keras does, so flattening is deterministic.
"""


def is_nested(x):
    return isinstance(x, (list, tuple, dict))


def flatten(structure):
    out = []
    _flatten_into(structure, out)
    return out


def _flatten_into(x, out):
    if isinstance(x, dict):
        for k in sorted(x):
            _flatten_into(x[k], out)
    elif isinstance(x, (list, tuple)):
        for v in x:
            _flatten_into(v, out)
    else:
        out.append(x)


def map_structure(fn, structure):
    if isinstance(structure, dict):
        return {k: map_structure(fn, v) for k, v in structure.items()}
    if isinstance(structure, tuple) and hasattr(structure, "_fields"):
        return type(structure)(*(map_structure(fn, v) for v in structure))
    if isinstance(structure, (list, tuple)):
        return type(structure)(map_structure(fn, v) for v in structure)
    return fn(structure)


def pack_sequence_as(structure, flat):
    """Rebuilds ``structure`` from ``flat``, taking leaves in ``flatten``'s order."""
    it = iter(flat)
    return _pack(structure, it)


def _pack(x, it):
    if isinstance(x, dict):
        # Leaves are consumed in sorted-key order (as flatten emits them); keys keep
        # the structure's own order.
        filled = {k: _pack(x[k], it) for k in sorted(x)}
        return {k: filled[k] for k in x}
    if isinstance(x, tuple) and hasattr(x, "_fields"):
        return type(x)(*(_pack(v, it) for v in x))
    if isinstance(x, (list, tuple)):
        return type(x)(_pack(v, it) for v in x)
    return next(it)
