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
    it = iter(flat)

    def take(_):
        return next(it)

    return map_structure(take, structure)
