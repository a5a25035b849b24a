"""Conformance cases for ``contract.NUMPY_ARRAY_OPS`` and the numpy_array composites: NumPy's
answer, with Keras 3's dtype rules (index outputs int32, creation in floatx)."""
import numpy as np

import kfront.ops as ops
from cases_core import BX, D, I, V, V5, X, X3, Exact, case, f32, i32, special

E = np.zeros((0, 3), f32)  # empty
X4 = np.arange(24, dtype=f32).reshape(2, 3, 4) - 11.5
SORTED = np.array([-2.0, -1.0, 0.5, 0.5, 3.0], f32)
REPEATS = np.array([[3, 1, 3], [2, 1, 3], [3, 1, 3]], i32)


def _i32(arrays):
    return tuple(np.asarray(a).astype(i32) for a in arrays)


def _np(t):
    return np.asarray(ops.convert_to_numpy(t))


# ---- argpartition: any order with the kth entry in place and the rest on the right sides.

def _partitioned(x, kth, axis):
    def fn():
        idx = _np(ops.argpartition(x, kth, axis=axis))
        flat = x.reshape(-1) if axis is None else x
        ax = 0 if axis is None else axis % x.ndim
        got = np.take_along_axis(flat, idx.astype(np.int64), axis=ax)
        want = np.sort(flat, axis=ax)
        k = np.take(want, [kth], axis=ax)
        ok_kth = np.array_equal(np.take(got, [kth], axis=ax), k)
        n = flat.shape[ax]
        before = np.take(got, np.arange(n)[: kth % n], axis=ax)
        after = np.take(got, np.arange(n)[kth % n + 1:], axis=ax)
        is_perm = np.array_equal(np.sort(idx, axis=ax), np.broadcast_to(
            np.arange(n).reshape([-1 if a == ax else 1 for a in range(flat.ndim)]), idx.shape))
        return (str(idx.dtype), bool(ok_kth), bool((before <= k).all()),
                bool((after >= k).all()), bool(is_perm))
    return fn


ARGPARTITION = [
    special("argpartition", "last_axis", _partitioned(D, 2, -1), Exact(("int32",) + (True,) * 4)),
    special("argpartition", "axis_0", _partitioned(D, 1, 0), Exact(("int32",) + (True,) * 4)),
    special("argpartition", "flattened_negative_kth", _partitioned(D, -3, None),
            Exact(("int32",) + (True,) * 4)),
    special("argpartition", "int_with_ties", _partitioned(REPEATS, 1, 1),
            Exact(("int32",) + (True,) * 4)),
]


# ---- creation ------------------------------------------------------------------------------

def _is_new_copy(t):
    return ops.copy(t) is not t


def _shape_dtype(t):
    return tuple(ops.shape(t)), ops.dtype(t)


CREATION = [
    case("array", "int_list_is_int32", [1, 2, 3], expected=np.array([1, 2, 3], i32)),
    case("array", "float_list_is_floatx", [[1.0, 2.0]], expected=np.array([[1, 2]], f32)),
    case("array", "dtype", I, dtype="float32", expected=I.astype(f32)),
    case("copy", "float", X, expected=X),
    case("copy", "bool", BX, expected=BX),
    special("copy", "is_a_new_tensor", lambda: _is_new_copy(ops.convert_to_tensor(X)), Exact(True)),
    special("empty", "floatx", lambda: _shape_dtype(ops.empty((2, 3))), Exact(((2, 3), "float32"))),
    special("empty", "int_shape_and_dtype", lambda: _shape_dtype(ops.empty(4, dtype="int32")),
            Exact(((4,), "int32"))),
    special("empty_like", "keeps_dtype", lambda: _shape_dtype(ops.empty_like(I)),
            Exact(((3, 4), "int32"))),
    special("empty_like", "dtype", lambda: _shape_dtype(ops.empty_like(X, dtype="bool")),
            Exact(((3, 4), "bool"))),
    case("identity", "floatx", 3, expected=np.identity(3, f32)),
    case("identity", "int32", 2, dtype="int32", expected=np.identity(2, i32)),
    case("tri", "square", 3, expected=np.tri(3, dtype=f32)),
    case("tri", "rect_k1", 3, 5, 1, expected=np.tri(3, 5, 1, dtype=f32)),
    case("tri", "k_negative_int32", 4, 3, k=-2, dtype="int32",
         expected=np.tri(4, 3, -2, dtype=i32)),
    case("logspace", "default_floatx", 0.0, 2.0, 5, expected=np.logspace(0, 2, 5, dtype=f32)),
    case("logspace", "int_bounds_base_2_no_endpoint", 1, 4, 3, endpoint=False, base=2,
         expected=np.logspace(1, 4, 3, endpoint=False, base=2).astype(f32)),
    case("logspace", "vector_bounds_axis_1", np.array([0.0, 1.0], f32), np.array([2.0, 3.0], f32),
         4, axis=1, expected=np.logspace([0, 1], [2, 3], 4, axis=1).astype(f32)),
    case("geomspace", "default_floatx", 1, 1000, 4, expected=np.geomspace(1, 1000, 4).astype(f32)),
    case("geomspace", "negative_no_endpoint", -1.0, -16.0, 4, endpoint=False,
         expected=np.geomspace(-1, -16, 4, endpoint=False).astype(f32)),
    case("geomspace", "vector_bounds_float16", np.array([1.0, 2.0], f32),
         np.array([100.0, 32.0], f32), 3, dtype="float16",
         expected=np.geomspace([1, 2], [100, 32], 3).astype(np.float16), rtol=1e-3),
    case("vander", "float", V, expected=np.vander(V).astype(f32)),
    case("vander", "int_increasing_N", np.array([1, 2, 3], i32), 4, increasing=True,
         expected=np.vander(np.array([1, 2, 3], i32), 4, increasing=True).astype(i32)),
    case("vander", "bool_keeps_bool", np.array([True, False]), 
         expected=np.vander([True, False]).astype(bool)),  # Keras keeps the input dtype
    case("meshgrid", "xy", V, np.array([1, 2], i32),
         expected=list(np.meshgrid(V, np.array([1, 2], i32)))),
    case("meshgrid", "ij_three", V, V5, np.array([0.5], f32), indexing="ij",
         expected=list(np.meshgrid(V, V5, np.array([0.5], f32), indexing="ij"))),
    case("meshgrid", "one", V, expected=list(np.meshgrid(V))),
    case("diag", "vector_to_matrix", V, expected=np.diag(V)),
    case("diag", "vector_k_negative", np.array([1, 2], i32), -2,
         expected=np.diag(np.array([1, 2], i32), -2)),
    case("diag", "matrix_to_vector_k1", X, k=1, expected=np.diag(X, 1)),
    case("diag", "matrix_k_past_corner_is_empty", X, k=5, expected=np.diag(X, 5)),
    case("diag", "bool_matrix", BX, expected=np.diag(BX)),
    case("diagflat", "matrix", np.array([[1, 2], [3, 4]], i32),
         expected=np.diagflat(np.array([[1, 2], [3, 4]], i32))),
    case("diagflat", "k_negative", V, -1, expected=np.diagflat(V, -1)),
]


# ---- shape manipulation --------------------------------------------------------------------

SHAPES = [
    case("ravel", "matrix", X, expected=np.ravel(X)),
    case("ravel", "bool", BX, expected=np.ravel(BX)),
    case("append", "flattened", X, V, expected=np.append(X, V)),
    case("append", "axis_0", X, X[:1], axis=0, expected=np.append(X, X[:1], axis=0)),
    case("append", "int_and_float_promote", I, X, axis=-1,
         expected=np.append(I, X, axis=-1).astype(f32)),
    case("hstack", "vectors", [V, V5], expected=np.hstack([V, V5])),
    case("hstack", "matrices", [X, I], expected=np.hstack([X, I]).astype(f32)),
    case("vstack", "vectors", [V, V], expected=np.vstack([V, V])),
    case("vstack", "matrix_and_vector", [X, V], expected=np.vstack([X, V])),
    case("dstack", "vectors", [V, V], expected=np.dstack([V, V])),
    case("dstack", "matrices", [X, X], expected=np.dstack([X, X])),
    case("dstack", "rank3_int", [X4.astype(i32), X4[:, :, :1].astype(i32)],
         expected=np.dstack([X4.astype(i32), X4[:, :, :1].astype(i32)])),
    case("swapaxes", "rank3", X4, 0, 2, expected=np.swapaxes(X4, 0, 2)),
    case("swapaxes", "negative", X4, -1, 1, expected=np.swapaxes(X4, -1, 1)),
    case("moveaxis", "first_to_last", X4, 0, -1, expected=np.moveaxis(X4, 0, -1)),
    case("moveaxis", "several", X4, [0, 1], [2, 0], expected=np.moveaxis(X4, [0, 1], [2, 0])),
    case("fliplr", "matrix", X, expected=np.fliplr(X)),
    case("fliplr", "rank3_int", X4.astype(i32), expected=np.fliplr(X4.astype(i32))),
    case("flipud", "vector", V, expected=np.flipud(V)),
    case("flipud", "bool_matrix", BX, expected=np.flipud(BX)),
    case("rot90", "once", X, expected=np.rot90(X)),
    case("rot90", "twice", X, 2, expected=np.rot90(X, 2)),
    case("rot90", "three_times_negative_k", X, -1, expected=np.rot90(X, -1)),
    case("rot90", "rank3_axes", X4, 1, (2, 0), expected=np.rot90(X4, 1, (2, 0))),
    case("rot90", "zero_turns", I, 4, expected=np.rot90(I, 4)),
    case("roll", "flattened", X, 5, expected=np.roll(X, 5)),
    case("roll", "axis_negative_shift", X, -1, axis=1, expected=np.roll(X, -1, axis=1)),
    case("roll", "two_axes", X4, (1, 2), axis=(0, 2), expected=np.roll(X4, (1, 2), axis=(0, 2))),
    case("roll", "bool", BX, 2, axis=0, expected=np.roll(BX, 2, axis=0)),
    case("unstack", "axis_0", X, expected=list(X)),
    case("unstack", "axis_negative_num", X4, num=4, axis=-1,
         expected=[X4[..., i] for i in range(4)]),
    case("rearrange", "transpose", X4, "a b c -> c a b", expected=X4.transpose(2, 0, 1)),
    case("rearrange", "merge", X4, "a b c -> (a b) c", expected=X4.reshape(6, 4)),
    case("rearrange", "split_and_merge", X4, "a b (c1 c) -> (a c) b c1", c1=2,
         expected=X4.reshape(2, 3, 2, 2).transpose(0, 3, 1, 2).reshape(4, 3, 2)),
    case("rearrange", "int", I, "h w -> w h", expected=I.T),
]


# ---- splitting -----------------------------------------------------------------------------

SPLITS = [
    case("array_split", "uneven_sections", V5, 3, expected=np.array_split(V5, 3)),
    case("array_split", "more_sections_than_entries", V, 6, expected=np.array_split(V, 6)),
    case("array_split", "indices_axis_1", X, [1, 3], axis=1,
         expected=np.array_split(X, [1, 3], axis=1)),
    case("hsplit", "matrix", X, 2, expected=np.hsplit(X, 2)),
    case("hsplit", "vector_indices", V, [1], expected=np.hsplit(V, [1])),
    case("vsplit", "matrix", X, 3, expected=np.vsplit(X, 3)),
    case("dsplit", "rank3", X4, [1, 3], expected=np.dsplit(X4, [1, 3])),
]


# ---- indexing and searching ----------------------------------------------------------------

def _symbolic_get_item():
    import kfront
    inp = kfront.Input((3, 4))
    out = ops.get_item(inp, (slice(None), 1, slice(None, None, 2)))
    return tuple(out.shape)


INDEXING = [
    case("get_item", "int", X, 1, expected=X[1]),
    case("get_item", "slices", X4, (slice(None), slice(1, None), slice(None, None, -2)),
         expected=X4[:, 1:, ::-2]),
    case("get_item", "ellipsis_newaxis", X4, (Ellipsis, None, 0), expected=X4[..., None, 0]),
    case("get_item", "negative_index_array", X, np.array([-1, 0], i32),
         expected=X[np.array([-1, 0])]),
    case("get_item", "index_array_after_slice", X4, (slice(None), [2, 0]),
         expected=X4[:, [2, 0]]),
    case("get_item", "int_apart_from_array_moves_axis_first", X4, (1, slice(None), [0, 2]),
         expected=X4[1, :, [0, 2]]),
    case("get_item", "int_next_to_array", X4, (slice(None), 1, [0, -1]),
         expected=X4[:, 1, [0, -1]]),
    case("get_item", "bool_mask", X, BX, expected=X[BX]),
    case("get_item", "bool_mask_rows", X, (BX[:, 0],), expected=X[BX[:, 0]]),
    special("get_item", "symbolic_shape", _symbolic_get_item, Exact((None, 2))),
    case("diagonal", "matrix", X, expected=np.diagonal(X)),
    case("diagonal", "offset_negative", X, -1, expected=np.diagonal(X, -1)),
    case("diagonal", "rank3_axes", X4, 1, 2, 0, expected=np.diagonal(X4, 1, 2, 0)),
    case("diagonal", "offset_past_corner", X, 7, expected=np.diagonal(X, 7)),
    case("tril", "matrix", X, expected=np.tril(X)),
    case("tril", "k_negative_rank3", X4, -1, expected=np.tril(X4, -1)),
    case("tril", "int_k2", I, k=2, expected=np.tril(I, 2)),
    case("triu", "matrix", X, expected=np.triu(X)),
    case("triu", "k1_rank3", X4, 1, expected=np.triu(X4, 1)),
    case("triu", "bool", BX, -1, expected=np.triu(BX, -1)),
    case("nonzero", "matrix", X * BX, expected=_i32(np.nonzero(X * BX))),
    case("nonzero", "bool_vector", BX[0], expected=_i32(np.nonzero(BX[0]))),
    case("nonzero", "none", np.zeros((2, 2), i32), expected=_i32(np.nonzero(np.zeros((2, 2))))),
    case("searchsorted", "left", SORTED, np.array([0.5, -3.0, 4.0, 0.0], f32),
         expected=np.searchsorted(SORTED, [0.5, -3, 4, 0]).astype(i32)),
    case("searchsorted", "right_matrix_values", SORTED, X, side="right",
         expected=np.searchsorted(SORTED, X, side="right").astype(i32)),
    case("searchsorted", "int", np.array([1, 3, 5], i32), np.array([[3, 6]], i32),
         expected=np.searchsorted([1, 3, 5], [[3, 6]]).astype(i32)),
    case("select", "first_true_wins", [X > 0, X > -1], [X, -X],
         expected=np.select([X > 0, X > -1], [X, -X])),
    case("select", "default", [BX], [I], -7, expected=np.select([BX], [I], -7)),
    case("unravel_index", "vector", np.array([0, 5, 11], i32), (3, 4),
         expected=_i32(np.unravel_index([0, 5, 11], (3, 4)))),
    case("unravel_index", "matrix_rank3_shape", np.array([[1, 23]], i32), (2, 3, 4),
         expected=_i32(np.unravel_index([[1, 23]], (2, 3, 4)))),
    case("view", "float_as_int32", X, "int32", expected=X.view(i32)),
    case("view", "int32_as_int16", I, "int16", expected=I.view(np.int16)),
    case("view", "int8_as_int16", np.arange(8, dtype=np.int8).reshape(2, 4), "int16",
         expected=np.arange(8, dtype=np.int8).reshape(2, 4).view(np.int16)),
    case("saturate_cast", "float_to_uint8", np.array([-1.0, 0.4, 254.6, 300.0, np.inf], f32),
         "uint8", expected=np.array([0, 0, 254, 255, 255], np.uint8)),
    case("saturate_cast", "int32_to_int8", np.array([-200, -5, 5, 200], i32), "int8",
         expected=np.array([-128, -5, 5, 127], np.int8)),
    case("saturate_cast", "float32_to_int32", np.array([-1e10, 3.5, 1e10], f32), "int32",
         expected=np.array([-2 ** 31, 3, 2147483520], i32)),
    special("saturate_cast", "bfloat16_to_uint8", lambda: ops.saturate_cast(
        ops.cast(np.array([-3.0, 7.0, 1e4], f32), "bfloat16"), "uint8"),
        np.array([0, 7, 255], np.uint8)),
    case("saturate_cast", "int32_to_bool", np.array([0, 5, -2], i32), "bool",
         expected=np.array([False, True, False])),
    case("saturate_cast", "float_to_float16", np.array([-1e6, 1.5, 1e6], f32), "float16",
         expected=np.array([-65504, 1.5, 65504], np.float16)),
]


# ---- unique --------------------------------------------------------------------------------

UV = np.array([3, 1, 3, 2, 1, 7], i32)


def _unique_all(x, **kw):
    values, index, inverse, counts = np.unique(x, return_index=True, return_inverse=True,
                                               return_counts=True, **kw)
    return [values, index.astype(i32), inverse.astype(i32), counts.astype(i32)]


def _first_seen(x):
    values, index, inverse, counts = _unique_all(x)
    order = np.argsort(index)
    rank = np.argsort(order).astype(i32)
    return [values[order], index[order], rank[inverse], counts[order]]


UNIQUE = [
    case("unique", "values", UV, expected=np.unique(UV)),
    case("unique", "float_matrix_flattened", X.round(0), expected=np.unique(X.round(0))),
    case("unique", "all_outputs", UV, return_index=True, return_inverse=True,
         return_counts=True, expected=_unique_all(UV)),
    case("unique", "inverse_keeps_shape", REPEATS, return_inverse=True,
         expected=_unique_all(REPEATS)[::2]),
    case("unique", "rows_axis_0", REPEATS, axis=0, return_index=True, return_inverse=True,
         return_counts=True, expected=_unique_all(REPEATS, axis=0)),
    case("unique", "columns_axis_negative", REPEATS, axis=-1, expected=np.unique(REPEATS, axis=1)),
    case("unique", "unsorted_first_occurrence", UV, sorted=False, return_index=True,
         return_inverse=True, return_counts=True, expected=_first_seen(UV)),
    case("unique", "size_pads", UV, size=6, fill_value=-1, return_index=True,
         return_counts=True, expected=[np.array([1, 2, 3, 7, -1, -1], i32),
                                       np.array([1, 3, 0, 5, 1, 1], i32),
                                       np.array([2, 1, 2, 1, 0, 0], i32)]),
    case("unique", "size_pads_rows", REPEATS, axis=0, size=3, fill_value=-1, return_index=True,
         return_counts=True, expected=[np.array([[2, 1, 3], [3, 1, 3], [-1, -1, -1]], i32),
                                       np.array([1, 0, 1], i32), np.array([1, 2, 0], i32)]),
    case("unique", "unsorted_columns", REPEATS, axis=1, sorted=False, return_inverse=True,
         expected=[REPEATS, np.arange(3, dtype=i32)]),
    case("unique", "size_truncates", UV, size=2, expected=np.array([1, 2], i32)),
    case("unique", "bool", BX, expected=np.unique(BX)),
]


# ---- empty tensors -------------------------------------------------------------------------

EMPTY = [
    case("ravel", "empty", E, expected=np.ravel(E)),
    case("append", "empty_rows", E, X[:1, :3], axis=0, expected=np.append(E, X[:1, :3], axis=0)),
    case("vstack", "empty", [E, X[:, :3]], expected=np.vstack([E, X[:, :3]])),
    case("array_split", "empty_axis", E, 2, expected=np.array_split(E, 2)),
    case("roll", "empty", E, 1, axis=1, expected=np.roll(E, 1, axis=1)),
    case("tril", "empty", E, expected=np.tril(E)),
    case("diag", "empty_vector", np.zeros(0, f32), expected=np.zeros((0, 0), f32)),
    case("get_item", "empty_slice", X, slice(2, 1), expected=X[2:1]),
    case("nonzero", "empty", E, expected=_i32(np.nonzero(E))),
    case("searchsorted", "no_values", SORTED, np.zeros(0, f32), expected=np.zeros(0, i32)),
    case("unique", "empty", E, return_counts=True,
         expected=[np.zeros(0, f32), np.zeros(0, i32)]),
]


CASES = ARGPARTITION + CREATION + SHAPES + SPLITS + INDEXING + UNIQUE + EMPTY
COVERED = []
