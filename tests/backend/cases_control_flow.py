"""Conformance cases for ``contract.CONTROL_FLOW_OPS`` and the control-flow composites
(``map``, ``associative_scan``, ``vectorize``), against NumPy.

Callables pass through the suite's tensor conversion untouched, so most cases are plain
calls run with NumPy and with engine-tensor inputs. Gradients, compiled steps and symbolic
use are checked in tests/ops/test_control_flow.py.
"""
import numpy as np

import kfront.ops as ops
from cases_core import case, special

f32 = np.float32
i32 = np.int32
_rng = np.random.default_rng(31)
X = _rng.uniform(-2, 2, (3, 4)).astype(f32)
XS = _rng.uniform(-1, 1, (5, 3)).astype(f32)
V = np.array([1.0, -2.0, 3.0, 0.5, 4.0, -1.0], f32)
IDS = np.array([0, 0, 2, 2, 2, 3], i32)
ROWS = _rng.uniform(-1, 1, (6, 2)).astype(f32)
M = _rng.uniform(-1, 1, (4, 3, 2)).astype(f32)
BV = _rng.uniform(-1, 1, (4, 2)).astype(f32)


def _segments(reduce, data, ids, n, empty):
    out = np.full((n,) + data.shape[1:], empty, data.dtype)
    for s in range(n):
        rows = data[ids == s]
        if len(rows):
            out[s] = reduce(rows, axis=0)
    return out


def _with(array, items):
    out = array.copy()
    for index, value in items.items():
        out[index] = value
    return out


def _cumsum_step(carry, x):
    carry = carry + x
    return carry, carry * 2.0


def _two_carries(carry, x):
    total, count = carry
    return (total + x["a"] * x["b"], count + 1), {"p": x["a"] - x["b"]}


_A, _Bx = XS[:, 0], XS[:, 1]


def _nested_scan():
    (total, count), ys = ops.scan(_two_carries, (ops.zeros(()), ops.convert_to_tensor(0)),
                                  {"a": ops.convert_to_tensor(_A), "b": ops.convert_to_tensor(_Bx)})
    return [total, count, ys["p"]]


def _affine_compose(left, right):
    # (a1, b1) then (a2, b2): x -> a2 * (a1 * x + b1) + b2; associative, not commutative.
    return left[0] * right[0], right[0] * left[1] + right[1]


def _affine_reference(a, b, reverse=False):
    if reverse:
        a, b = a[::-1], b[::-1]
    outs_a, outs_b = [a[0]], [b[0]]
    for k in range(1, len(a)):
        outs_a.append(outs_a[-1] * a[k])
        outs_b.append(a[k] * outs_b[-1] + b[k])
    outs = [np.array(outs_a, f32), np.array(outs_b, f32)]
    return [o[::-1] for o in outs] if reverse else outs


def _custom_gradient_value():
    @ops.custom_gradient
    def log1pexp(x):
        e = ops.exp(x)

        def grad(*args, upstream=None):
            if upstream is None:
                (upstream,) = args
            return ops.multiply(upstream, 1.0 - 1.0 / ops.add(1.0, e))

        return ops.log(1.0 + e), grad

    return log1pexp(ops.convert_to_tensor(X))


def _vectorized_matvec():
    matvec = ops.vectorize(lambda m, v: ops.matmul(m, v), signature="(m,n),(n)->(m)")
    return matvec(M, BV)


CASES = [
    case("cond", "true_branch", True, lambda: ops.convert_to_tensor(X),
         lambda: ops.convert_to_tensor(-X), expected=X),
    case("cond", "tensor_pred_false", np.array(False), lambda: ops.convert_to_tensor(X),
         lambda: ops.convert_to_tensor(-X), expected=-X),
    special("cond", "structure", lambda: ops.cond(
        ops.greater(ops.sum(ops.convert_to_tensor(X)), -100.0),
        lambda: (ops.convert_to_tensor(X), ops.convert_to_tensor(V)),
        lambda: (ops.convert_to_tensor(-X), ops.convert_to_tensor(-V))), [X, V]),

    case("switch", "second", 1, [lambda a, b: a + b, lambda a, b: a - b], X, X * 2,
         expected=-X),
    case("switch", "index_clamped_high", 7, [lambda a: a + 1.0, lambda a: a * 3.0], X,
         expected=X * 3),
    case("switch", "index_clamped_low", np.array(-4, i32), [lambda a: a + 1.0,
                                                            lambda a: a * 3.0], X,
         expected=X + 1),

    case("while_loop", "tuple_vars", lambda i, s: i < 10, lambda i, s: (i + 1, s + i),
         (0, 0), expected=[i32(10), i32(45)]),
    case("while_loop", "single_var", lambda x: ops.sum(x) < 100.0, lambda x: x * 2.0,
         np.ones(3, f32), expected=np.full(3, 64.0, f32)),
    case("while_loop", "maximum_iterations", lambda x: ops.sum(x) < 100.0, lambda x: x * 2.0,
         np.ones(3, f32), maximum_iterations=3, expected=np.full(3, 8.0, f32)),

    case("fori_loop", "sum", 0, 10, lambda i, s: s + i, 0, expected=i32(45)),
    case("fori_loop", "tensor_state", 2, 5, lambda i, s: s * 0.5 + ops.cast(i, "float32"), X,
         expected=((X * 0.5 + 2) * 0.5 + 3) * 0.5 + 4),
    case("fori_loop", "empty_range", 3, 3, lambda i, s: s + 1.0, X, expected=X),

    case("scan", "cumsum", _cumsum_step, np.zeros(3, f32), XS,
         expected=[XS.sum(0), 2 * np.cumsum(XS, 0)]),
    case("scan", "reverse", _cumsum_step, np.zeros(3, f32), XS, reverse=True,
         expected=[XS.sum(0), 2 * np.cumsum(XS[::-1], 0)[::-1]]),
    case("scan", "length_without_xs", lambda c, _: (c * 2.0, c), np.float32(1.0), length=4,
         expected=[f32(16.0), np.array([1, 2, 4, 8], f32)]),
    case("scan", "unroll_true", _cumsum_step, np.zeros(3, f32), XS, unroll=True,
         expected=[XS.sum(0), 2 * np.cumsum(XS, 0)]),
    special("scan", "nested_structures", _nested_scan, [f32((_A * _Bx).sum()), i32(5), _A - _Bx]),

    case("map", "square", lambda x: x * x, XS, expected=XS * XS),
    special("map", "dict_outputs", lambda: ops.map(
        lambda x: {"s": ops.sum(x), "m": ops.max(x)}, ops.convert_to_tensor(XS))["s"],
        XS.sum(1)),

    case("vectorized_map", "row_norms", lambda r: ops.sum(r * r), XS,
         expected=(XS * XS).sum(1)),
    special("vectorized_map", "tuple_elements", lambda: ops.vectorized_map(
        lambda pair: pair[0] * pair[1], (ops.convert_to_tensor(XS), ops.convert_to_tensor(XS))),
        XS * XS),

    case("associative_scan", "cumsum_odd", lambda a, b: a + b, np.arange(7, dtype=i32),
         expected=np.cumsum(np.arange(7, dtype=i32)).astype(i32)),
    case("associative_scan", "cummax_axis1", ops.maximum, X, axis=1,
         expected=np.maximum.accumulate(X, axis=1)),
    case("associative_scan", "affine_pairs", _affine_compose, [_A, _Bx],
         expected=_affine_reference(_A, _Bx), rtol=1e-4, atol=1e-5),
    case("associative_scan", "affine_pairs_reverse", _affine_compose, [_A, _Bx], reverse=True,
         expected=_affine_reference(_A, _Bx, reverse=True), rtol=1e-4, atol=1e-5),

    special("vectorize", "scalar_broadcast",
            lambda: ops.vectorize(lambda a, b: a * b + 1.0)(X, V[:4]), X * V[:4] + 1),
    special("vectorize", "signature_matvec", _vectorized_matvec,
            np.einsum("bmn,bn->bm", M, BV), rtol=1e-5),

    special("custom_gradient", "forward_value", _custom_gradient_value, np.log1p(np.exp(X)),
            rtol=1e-5),

    case("slice", "block", X, [1, 1], [2, 3], expected=X[1:3, 1:4]),
    case("slice", "minus_one_takes_rest", X, [1, 2], [-1, -1], expected=X[1:, 2:]),
    case("slice", "tensor_start", X, np.array([2, 0], i32), [1, 4], expected=X[2:3, :]),

    case("slice_update", "block", X, [1, 2], np.ones((2, 2), f32),
         expected=np.concatenate([X[:1], np.concatenate(
             [X[1:, :2], np.ones((2, 2), f32)], 1)], 0)),
    case("slice_update", "tensor_start_cast", np.zeros((3, 4), f32), np.array([0, 1], i32),
         np.ones((1, 2), i32), expected=np.array([[0, 1, 1, 0], [0, 0, 0, 0], [0, 0, 0, 0]], f32)),

    case("scatter", "points_add_duplicates", np.array([[0, 1], [1, 1], [0, 1]], i32),
         np.array([1.0, 2.0, 3.0], f32), (2, 2), expected=np.array([[0, 4], [0, 2]], f32)),
    case("scatter", "rows", np.array([[2], [0]], i32), np.array([[1, 2], [3, 4]], f32), (3, 2),
         expected=np.array([[3, 4], [0, 0], [1, 2]], f32)),

    case("scatter_update", "set", X, np.array([[0, 0], [2, 3]], i32),
         np.array([10.0, 20.0], f32), expected=_with(X, {(0, 0): 10.0, (2, 3): 20.0})),
    case("scatter_update", "add_duplicates", np.zeros(4, f32), np.array([[0], [0], [1]], i32),
         np.array([1.0, 1.0, 1.0], f32), reduction="add", expected=np.array([2, 1, 0, 0], f32)),
    case("scatter_update", "max_rows", X, np.array([[1], [1]], i32),
         np.array([[9, -9, 9, -9], [-9, 9, -9, 0]], f32), reduction="max",
         expected=np.concatenate([X[:1], np.maximum(np.maximum(X[1:2], [[9, -9, 9, -9]]),
                                                    [[-9, 9, -9, 0]]), X[2:]], 0).astype(f32)),
    case("scatter_update", "min_upper_case", np.ones(3, f32), np.array([[2], [0]], i32),
         np.array([-1.0, 5.0], f32), reduction="MIN", expected=np.array([1, 1, -1], f32)),
    case("scatter_update", "mul_duplicates", np.full((3, 2), 2.0, f32),
         np.array([[0], [0], [2]], i32), np.array([[1, 2], [3, 4], [5, 6]], f32),
         reduction="mul", expected=np.array([[6, 16], [2, 2], [10, 12]], f32)),

    case("segment_sum", "vector", V, IDS, num_segments=4,
         expected=_segments(np.sum, V, IDS, 4, 0)),
    case("segment_sum", "rows_drop_out_of_range", ROWS, np.array([0, 1, 5, -1, 1, 0], i32),
         num_segments=3, expected=_segments(np.sum, ROWS, np.array([0, 1, 5, -1, 1, 0]), 3, 0)),
    case("segment_sum", "inferred_count", V, IDS, expected=_segments(np.sum, V, IDS, 4, 0)),
    case("segment_max", "empty_is_minus_inf", V, IDS, num_segments=5, sorted=True,
         expected=_segments(np.max, V, IDS, 5, -np.inf)),
    case("segment_max", "int_empty_is_dtype_min", np.array([3, 1, 2], i32),
         np.array([0, 0, 2], i32), num_segments=3,
         expected=np.array([3, np.iinfo(i32).min, 2], i32)),
    case("segment_min", "rows", ROWS, IDS, num_segments=4,
         expected=_segments(np.min, ROWS, IDS, 4, np.inf)),
    case("segment_prod", "vector", V, IDS, num_segments=4,
         expected=_segments(np.prod, V, IDS, 4, 1)),
]

COVERED = []
