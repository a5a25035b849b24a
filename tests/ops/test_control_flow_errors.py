"""A wrong argument to a control-flow, slicing, scatter or segment op gets one clear error
naming the argument; so does ``convert_to_tensor(sparse=True)`` where the engine has none."""
import numpy as np
import pytest

import kfront as keras
from kfront import ops

BACKEND = keras.backend.backend()
X = np.arange(12, dtype=np.float32).reshape(3, 4)


@pytest.mark.parametrize("call,error,message", [
    (lambda: ops.cond(True, 1.0, lambda: 2.0), TypeError, r"cond: `true_fn` must be a callable"),
    (lambda: ops.cond(np.array([True, False]), lambda: 1.0, lambda: 2.0), ValueError,
     r"cond: `pred` must be a scalar \(shape \(\)\). Received: pred of shape \(2,\)"),
    (lambda: ops.switch(0, [], X), ValueError, r"switch: `branches` must be a non-empty list"),
    (lambda: ops.switch(0, [lambda a: a, "x"], X), TypeError,
     r"switch: `branches\[1\]` must be a callable"),
    (lambda: ops.while_loop(lambda v: True, lambda v: v, X, maximum_iterations=-1), ValueError,
     r"while_loop: `maximum_iterations` must be None or a non-negative int"),
    (lambda: ops.fori_loop(0, 3, None, X), TypeError, r"fori_loop: `body_fun` must be a callable"),
    (lambda: ops.scan(lambda c, x: (c, x), 0.0, X, unroll=0), ValueError,
     r"scan: `unroll` must be a positive integer or a boolean. Received: unroll=0"),
    (lambda: ops.scan(lambda c, x: (c, x), 0.0), ValueError,
     r"scan: got no `xs` to scan over and `length` not provided"),
    (lambda: ops.scan(lambda c, x: (c, x), 0.0, X, length=5), ValueError,
     r"scan: every entry of `xs` must have the same leading axis, equal to `length`"),
    (lambda: ops.map("f", X), TypeError, r"map: `f` must be a callable"),
    (lambda: ops.associative_scan(ops.add, X, axis=2), ValueError,
     r"associative_scan: `axis` 2 is out of range"),
    (lambda: ops.vectorize(3), ValueError, r"Expected argument `pyfunc` to be a callable"),
    (lambda: ops.vectorize(ops.matmul, signature="(m,n)(n)->(m)"), ValueError,
     r"vectorize: not a valid gufunc signature"),
    (lambda: ops.slice(X, [0, 0], [2]), ValueError,
     r"slice: the number of dimensions in `inputs` must match the number of dimensions in "
     r"`shape`"),
    (lambda: ops.slice(X, [2, 0], [2, 4]), ValueError,
     r"slice: the block at start_indices=\(2, 0\) with shape=\(2, 4\) does not fit in inputs "
     r"of shape \(3, 4\) \(axis 0\)"),
    (lambda: ops.slice_update(X, [0, 0], np.ones(4, np.float32)), ValueError,
     r"slice_update: `updates` must have the rank of `inputs`"),
    (lambda: ops.slice_update(X, [0, 3], np.ones((1, 2), np.float32)), ValueError,
     r"slice_update: the block at start_indices=\(0, 3\) with updates.shape=\(1, 2\) does "
     r"not fit"),
    (lambda: ops.scatter(np.array([[0, 1, 2]]), np.ones(1, np.float32), (2, 2)), ValueError,
     r"scatter: `indices` must have shape \(\.\.\., k\) with k <= 2"),
    (lambda: ops.scatter_update(X, np.array([[0]]), np.ones((1, 3), np.float32)), ValueError,
     r"scatter_update: `updates` must have shape \(1, 4\)"),
    (lambda: ops.scatter_update(X, np.array([[0, 0]]), np.ones(1, np.float32), reduction="sum"),
     ValueError, r"scatter_update: invalid reduction: 'sum'. Supported values are: None, "
                 r"'add', 'max', 'min', 'mul'"),
    (lambda: ops.segment_sum(X, np.zeros((3, 1), np.int32)), ValueError,
     r"Argument `segment_ids` should be an 1-D vector"),
    (lambda: ops.segment_max(X, np.zeros(2, np.int32)), ValueError,
     r"Argument `segment_ids` and `data` should have same leading dimension"),
    (lambda: ops.segment_prod(X, np.zeros(3, np.int32), num_segments=2.5), ValueError,
     r"segment_prod: `num_segments` must be None or a non-negative int"),
])
def test_clear_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_segment_without_num_segments_under_jit():
    if BACKEND != "jax":
        pytest.skip("only jax.jit needs a static segment count")
    import jax
    with pytest.raises(ValueError, match=r"segment reductions under jax.jit need "
                                         r"`num_segments`"):
        jax.jit(lambda d, i: ops.segment_sum(d, i))(X, np.array([0, 1, 1], np.int32))


def test_convert_to_tensor_sparse_and_ragged():
    # False and None keep today's behaviour everywhere.
    for flags in ({"sparse": False}, {"ragged": None}, {"sparse": None, "ragged": False}):
        np.testing.assert_array_equal(ops.convert_to_numpy(ops.convert_to_tensor(X, **flags)),
                                      X)
    if BACKEND == "tensorflow":
        import tensorflow as tf
        sparse = tf.sparse.SparseTensor([[0, 1], [2, 3]], [1.0, 2.0], (3, 4))
        assert isinstance(ops.convert_to_tensor(sparse), tf.SparseTensor)
        assert isinstance(ops.convert_to_tensor(sparse, sparse=True), tf.SparseTensor)
        dense = ops.convert_to_tensor(sparse, sparse=False)
        want = np.zeros((3, 4), np.float32)
        want[0, 1], want[2, 3] = 1.0, 2.0
        np.testing.assert_array_equal(dense.numpy(), want)
        ragged = tf.ragged.constant([[1, 2], [3]])
        assert isinstance(ops.convert_to_tensor(ragged), tf.RaggedTensor)
        np.testing.assert_array_equal(ops.convert_to_tensor(ragged, ragged=False).numpy(),
                                      [[1, 2], [3, 0]])
        return
    for flag in ("sparse", "ragged"):
        with pytest.raises(ValueError, match=rf"convert_to_tensor: the {BACKEND} backend has no "
                                             rf"sparse or ragged tensors.*{flag}=True"):
            ops.convert_to_tensor(X, **{flag: True})
