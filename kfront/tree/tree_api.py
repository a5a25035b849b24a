"""Nested structures (lists, tuples, namedtuples, dicts, deques): flatten, map, rebuild.

Pure Python and engine-free; everything else is a leaf, ``None`` included. Dicts are
walked in sorted-key order (``OrderedDict`` in its own order), so flattening is
deterministic, and rebuilt dicts keep the key order of the structure they came from.
"""
import collections


class MAP_TO_NONE:
    """Returned by a ``traverse`` function to replace a sub-structure with ``None``."""


def _is_namedtuple(x):
    return isinstance(x, tuple) and hasattr(x, "_fields")


def is_nested(structure):
    """Whether ``structure`` is a list, tuple, namedtuple, dict or deque.

    >>> kfront.tree.is_nested({"a": 1}), kfront.tree.is_nested(None)
    (True, False)
    """
    return isinstance(structure, (list, tuple, dict, collections.deque))


def _keys(x):
    """The keys (dict) or indices (sequences) of a node, in flatten order."""
    if isinstance(x, dict):
        return list(x) if isinstance(x, collections.OrderedDict) else sorted(x)
    return range(len(x))


def _children(x):
    if isinstance(x, dict):
        return [x[k] for k in _keys(x)]
    return list(x)


def _children_like(node, other):
    """``other``'s children in ``node``'s flatten order (dicts are matched by key)."""
    if isinstance(node, dict):
        return [other[k] for k in _keys(node)]
    return list(other)


def _rebuild(x, values):
    """A node like ``x`` holding ``values`` (given in flatten order)."""
    if isinstance(x, dict):
        by_key = dict(zip(_keys(x), values))
        items = [(k, by_key[k]) for k in x]
        if isinstance(x, collections.defaultdict):
            return collections.defaultdict(x.default_factory, items)
        return type(x)(items)
    if _is_namedtuple(x):
        return type(x)(*values)
    if isinstance(x, collections.deque):
        return collections.deque(values, maxlen=x.maxlen)
    return type(x)(values)


def _node_kind(x):
    if isinstance(x, dict):
        return dict
    return type(x)


def _check_same_node(a, b):
    """Raises unless ``a`` and ``b`` are nodes of one kind with the same keys/arity."""
    if _node_kind(a) is not _node_kind(b) or not is_nested(b):
        raise ValueError("The two structures don't have the same nested structure: expected "
                         f"an instance of {type(a).__name__}, got {b!r}.")
    if isinstance(a, dict):
        if set(a) != set(b):
            raise ValueError("The two structures don't have the same nested structure: "
                             f"dictionary keys {sorted(a, key=str)} and {sorted(b, key=str)} "
                             "differ.")
    elif len(a) != len(b):
        raise ValueError("The two structures don't have the same nested structure: a "
                         f"{type(a).__name__} of length {len(a)} and one of length {len(b)}.")


def flatten(structure):
    """The leaves of ``structure`` in a list, dicts in sorted-key order.

    >>> kfront.tree.flatten({"b": [1, 2], "a": None})
    [None, 1, 2]
    """
    out = []
    _flatten_into(structure, out)
    return out


def _flatten_into(x, out):
    if isinstance(x, dict):
        for k in _keys(x):
            _flatten_into(x[k], out)
    elif is_nested(x):
        for v in x:
            _flatten_into(v, out)
    else:
        out.append(x)


def flatten_with_path(structure):
    """``flatten`` with each leaf's path: a tuple of keys and indices.

    >>> kfront.tree.flatten_with_path([{"foo": 42}])
    [((0, 'foo'), 42)]
    """
    out = []

    def walk(x, path):
        if is_nested(x):
            for k, v in zip(_keys(x), _children(x)):
                walk(v, path + (k,))
        else:
            out.append((path, x))

    walk(structure, ())
    return out


def map_structure(func, *structures, none_is_leaf=True):
    """``func`` applied to the leaves of ``structures`` (all nested the same way).

    Args:
        func: called with one leaf from each structure.
        *structures: structures of the same layout (see ``assert_same_structure``).
        none_is_leaf: if False, ``None`` leaves stay ``None`` and ``func`` never sees them.

    >>> kfront.tree.map_structure(lambda a, b: a * b, [[1], (2, 3)], [[4], (5, 6)])
    [[4], (10, 18)]
    """
    if not structures:
        raise ValueError("map_structure needs at least one structure; received none.")
    if not callable(func):
        raise TypeError(f"map_structure: `func` must be callable, received {func!r}.")
    if len(structures) == 1:
        return _map_one(func, structures[0], none_is_leaf)
    return _map_many(func, structures, none_is_leaf)


def _map_one(func, x, none_is_leaf):
    if isinstance(x, dict):
        return _rebuild(x, [_map_one(func, v, none_is_leaf) for v in _children(x)])
    if is_nested(x):
        return _rebuild(x, [_map_one(func, v, none_is_leaf) for v in x])
    if x is None and not none_is_leaf:
        return None
    return func(x)


def _map_many(func, xs, none_is_leaf):
    first = xs[0]
    if is_nested(first):
        for other in xs[1:]:
            _check_same_node(first, other)
        columns = zip(*(_children_like(first, x) for x in xs))
        return _rebuild(first, [_map_many(func, c, none_is_leaf) for c in columns])
    for other in xs[1:]:
        if is_nested(other):
            raise ValueError("The two structures don't have the same nested structure: a "
                             f"leaf {first!r} where the other has {other!r}.")
    if first is None and not none_is_leaf:
        return None
    return func(*xs)


def map_structure_up_to(shallow_structure, func, *structures):
    """``map_structure`` that stops at the leaves of ``shallow_structure``: ``func`` gets
    whatever sub-structures of ``structures`` sit there.

    >>> kfront.tree.map_structure_up_to([None, [None, None]], str, [[1, 1], [2, 2]])
    ['[1, 1]', ['2', '2']]
    """
    if not structures:
        raise ValueError("map_structure_up_to needs at least one structure; received none.")

    def walk(shallow, xs):
        if not is_nested(shallow):
            return func(*xs)
        for x in xs:
            _check_same_node(shallow, x)
        columns = zip(_children(shallow), *(_children_like(shallow, x) for x in xs))
        return _rebuild(shallow, [walk(c[0], c[1:]) for c in columns])

    return walk(shallow_structure, structures)


def assert_same_structure(a, b, check_types=None):
    """Raises ``ValueError`` unless ``a`` and ``b`` nest the same way: same node types
    (``list`` and ``tuple`` differ, as do two namedtuple classes; all dicts are alike)
    with the same keys or lengths. ``check_types`` is deprecated and has no effect."""
    if check_types is not None:
        import warnings
        warnings.warn("The `check_types` argument is deprecated and no longer has any "
                      "effect; use `kfront.tree.assert_same_paths()` for a looser check.",
                      DeprecationWarning, stacklevel=2)
    map_structure(lambda *_: None, a, b)


def assert_same_paths(a, b):
    """Raises ``ValueError`` unless ``a`` and ``b`` have the same leaf paths (node types
    are ignored: ``[0, 1]`` and ``(2, 3)`` match)."""
    a_paths = {p for p, _ in flatten_with_path(a)}
    b_paths = {p for p, _ in flatten_with_path(b)}
    if a_paths != b_paths:
        msg = "`a` and `b` don't have the same paths."
        if a_paths - b_paths:
            msg += f"\nPaths in `a` missing in `b`:\n{a_paths - b_paths}"
        if b_paths - a_paths:
            msg += f"\nPaths in `b` missing in `a`:\n{b_paths - a_paths}"
        raise ValueError(msg)


def pack_sequence_as(structure, flat_sequence):
    """``structure`` rebuilt with the leaves of ``flat_sequence``, taken in ``flatten``
    order.

    >>> kfront.tree.pack_sequence_as({"b": None, "a": None}, [1, 2])
    {'b': 2, 'a': 1}
    """
    if not isinstance(flat_sequence, (list, tuple, collections.deque)):
        try:
            flat_sequence = list(flat_sequence)
        except TypeError:
            raise TypeError("pack_sequence_as: `flat_sequence` must be a sequence, received "
                            f"{flat_sequence!r}.") from None
    flat = list(flat_sequence)
    count = len(flatten(structure))
    if len(flat) != count:
        raise ValueError(f"pack_sequence_as: the structure has {count} leaves but "
                         f"`flat_sequence` has {len(flat)} items.")
    it = iter(flat)
    return _pack(structure, it)


def _pack(x, it):
    if is_nested(x):
        return _rebuild(x, [_pack(v, it) for v in _children(x)])
    return next(it)


def traverse(func, structure, top_down=True):
    """Applies ``func`` to every sub-structure and leaf, depth first.

    Top down, a non-``None`` result replaces that sub-structure and stops the descent;
    bottom up, it replaces the already traversed sub-structure. Return ``MAP_TO_NONE``
    to put a ``None`` there.

    >>> kfront.tree.traverse(lambda x: 0 if isinstance(x, tuple) else None, [(1, 2), [3]])
    [0, [3]]
    """
    if not callable(func):
        raise TypeError(f"traverse: `func` must be callable, received {func!r}.")

    def children_done(x):
        if not is_nested(x):
            return x
        return _rebuild(x, [walk(v) for v in _children(x)])

    def walk(x):
        if top_down:
            result = func(x)
            if result is None:
                return children_done(x)
        else:
            x = children_done(x)
            result = func(x)
            if result is None:
                return x
        return None if result is MAP_TO_NONE else result

    return walk(structure)


def lists_to_tuples(structure):
    """``structure`` with every list turned into a tuple."""
    return traverse(lambda x: tuple(x) if isinstance(x, list) else None, structure,
                    top_down=False)


def _is_shape(x):
    return isinstance(x, (list, tuple)) and all(isinstance(e, (int, type(None))) for e in x)


def map_shape_structure(func, structure):
    """``map_structure`` whose leaves are shapes: a list or tuple of ints and ``None``s is
    passed to ``func`` whole.

    >>> kfront.tree.map_shape_structure(len, {"a": (None, 3), "b": [(1,), ()]})
    {'a': 2, 'b': [1, 0]}
    """
    if _is_shape(structure) or not is_nested(structure):
        return func(structure)
    return _rebuild(structure, [map_shape_structure(func, v) for v in _children(structure)])
