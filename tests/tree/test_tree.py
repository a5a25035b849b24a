"""kfront.tree against the results keras.tree (3.15) gives for the same structures."""
import collections

import numpy as np
import pytest

from kfront import tree

Point = collections.namedtuple("Point", ["x", "y"])
OtherPoint = collections.namedtuple("Point", ["x", "y"])


def test_flatten_sorts_dict_keys_keeps_ordered_dicts_and_none():
    assert tree.flatten({100: "world!", 6: "Hello"}) == ["Hello", "world!"]
    assert tree.flatten(None) == [None]
    assert tree.flatten(1) == [1]
    assert tree.flatten([[1, 2, 3], [4, [5], [[6]]]]) == [1, 2, 3, 4, 5, 6]
    assert tree.flatten(collections.OrderedDict([("b", 1), ("a", 2)])) == [1, 2]
    assert tree.flatten(collections.deque([1, [2]])) == [1, 2]
    assert tree.flatten({"b": [1, (2, Point(3, 4))], "a": None}) == [None, 1, 2, 3, 4]
    array = np.ones((2, 2))
    assert tree.flatten([array])[0] is array  # arrays are leaves


def test_is_nested():
    assert tree.is_nested({"a": 1}) and tree.is_nested(Point(1, 2))
    assert tree.is_nested(collections.deque())
    assert not tree.is_nested("ab") and not tree.is_nested(None)
    assert not tree.is_nested(np.zeros(3))


def test_flatten_with_path():
    assert tree.flatten_with_path({"b": [1, (2, 3)], "a": None}) == [
        (("a",), None), (("b", 0), 1), (("b", 1, 0), 2), (("b", 1, 1), 3)]
    assert tree.flatten_with_path(Point(1, 2)) == [((0,), 1), ((1,), 2)]


def test_map_structure_keeps_types_and_key_order():
    out = tree.map_structure(lambda v: v * 2, Point(a := 1, 2))
    assert out == Point(2, 4) and type(out) is Point and a == 1
    d = collections.defaultdict(list, {"b": 1, "a": 2})
    out = tree.map_structure(lambda v: v * 2, d)
    assert isinstance(out, collections.defaultdict) and out.default_factory is list
    assert list(out.items()) == [("b", 2), ("a", 4)]
    assert tree.map_structure(lambda a, b: a * b, [[1], (2, 3)], [[4], (5, 6)]) == \
        [[4], (10, 18)]
    # All dict kinds match each other when their keys do.
    both = tree.map_structure(lambda a, b: a + b, {"a": 1, "b": 2},
                              collections.OrderedDict([("b", 1), ("a", 2)]))
    assert both == {"a": 3, "b": 3}
    assert tree.map_structure(lambda x: 1, [None, 5]) == [1, 1]
    assert tree.map_structure(lambda x: 1, [None, 5], none_is_leaf=False) == [None, 1]
    assert tree.map_structure(lambda x: x, {}) == {}


@pytest.mark.parametrize("a, b, match", [
    ([1, 2], (1, 2), "expected an instance of list"),
    ({"a": 1}, {"b": 1}, "dictionary keys"),
    ([1, 2], [1, 2, 3], "length 2 and one of length 3"),
    (Point(1, 2), OtherPoint(1, 2), "expected an instance of Point"),
    ([1, [2]], [1, 2], "expected an instance of list"),
])
def test_mismatched_structures_raise(a, b, match):
    with pytest.raises(ValueError, match=match):
        tree.map_structure(lambda *x: x, a, b)
    with pytest.raises(ValueError, match="same nested structure"):
        tree.assert_same_structure(a, b)


def test_map_structure_needs_a_structure_and_a_callable():
    with pytest.raises(ValueError, match="at least one structure"):
        tree.map_structure(len)
    with pytest.raises(TypeError, match="`func` must be callable"):
        tree.map_structure(3, [1])


def test_assert_same_structure_and_paths():
    tree.assert_same_structure([(0, 1)], [(2, 3)])
    with pytest.warns(DeprecationWarning, match="check_types"):
        tree.assert_same_structure([1], [2], check_types=True)
    tree.assert_same_paths([0, 1], (2, 3))
    tree.assert_same_paths(Point(0, 1), OtherPoint(2, 3))
    with pytest.raises(ValueError, match=r"don't have the same paths(.|\n)*\('a',\)"):
        tree.assert_same_paths([1, 2], {"a": 1})


def test_map_structure_up_to():
    structure = [[1, 1], [2, 2]]
    assert tree.map_structure_up_to([None, None], len, structure) == [2, 2]
    assert tree.map_structure_up_to([None, [None, None]], str, structure) == \
        ["[1, 1]", ["2", "2"]]
    assert tree.map_structure_up_to({"a": 0}, lambda x, y: x + y, {"a": 1}, {"a": 2}) == \
        {"a": 3}
    with pytest.raises(ValueError, match="expected an instance of list"):
        tree.map_structure_up_to([None, [None]], len, [[1, 1], 2])


def test_pack_sequence_as():
    assert tree.pack_sequence_as({"key3": "", "key1": "", "key2": ""},
                                 ["value1", "value2", "value3"]) == \
        {"key3": "value3", "key1": "value1", "key2": "value2"}
    out = tree.pack_sequence_as({"b": None, "a": None}, [10, 20])
    assert list(out.items()) == [("b", 20), ("a", 10)]
    assert tree.pack_sequence_as((("a", "b"), ("c", "d", "e"), "f"), range(1, 7)) == \
        ((1, 2), (3, 4, 5), 6)
    assert tree.pack_sequence_as(1, [5]) == 5
    assert tree.pack_sequence_as([], []) == []
    assert tree.pack_sequence_as(Point(0, [0]), [1, 2]) == Point(1, [2])
    with pytest.raises(ValueError, match="has 2 leaves but `flat_sequence` has 1"):
        tree.pack_sequence_as([1, 2], [1])
    with pytest.raises(TypeError, match="`flat_sequence` must be a sequence"):
        tree.pack_sequence_as([1], 3)


def test_traverse_top_down_bottom_up_and_map_to_none():
    seen = []
    structure = [(1, 2), [3], {"a": 4}]
    assert tree.traverse(seen.append, structure) == structure
    assert seen == [structure, (1, 2), 1, 2, [3], 3, {"a": 4}, 4]
    seen = []
    tree.traverse(seen.append, structure, top_down=False)
    assert seen == [1, 2, (1, 2), 3, [3], 4, {"a": 4}, structure]
    assert tree.traverse(lambda x: 0 if isinstance(x, tuple) else None, [(1, 2), [3]]) == \
        [0, [3]]
    assert tree.traverse(lambda x: tree.MAP_TO_NONE if isinstance(x, tuple) else None,
                         [(1, 2), [3]]) == [None, [3]]
    with pytest.raises(TypeError, match="`func` must be callable"):
        tree.traverse(None, [1])


def test_lists_to_tuples_and_shape_structures():
    assert tree.lists_to_tuples([1, [2, {"a": [3]}]]) == (1, (2, {"a": (3,)}))
    assert tree.map_shape_structure(lambda s: s if s is None else len(s),
                                    {"a": (None, 3), "b": [(1,), ()], "c": None}) == \
        {"a": 2, "b": [1, 0], "c": None}
