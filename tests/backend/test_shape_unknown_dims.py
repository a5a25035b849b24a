"""``ops.shape`` of a tensor whose size is unknown while tracing (``tf.data.Dataset.map``,
``tf.function`` with a ``None`` dimension): the unknown size is a scalar tensor holding the
run-time size, as Keras gives it, so ``ops.zeros((ops.shape(x)[0], 1))`` works there."""
import numpy as np
import pytest

from kfront import backend as K
from kfront import config, ops


def _batched(n, batch):
    import tensorflow as tf
    x = np.arange(n * 6, dtype="float32").reshape(n, 2, 3)
    return x, tf.data.Dataset.from_tensor_slices(x).batch(batch)


def test_known_sizes_stay_ints_on_every_backend():
    x = ops.ones((3, 2, 5))
    assert ops.shape(x) == (3, 2, 5)
    assert all(type(d) is int for d in ops.shape(x))
    assert K.int_shape(x) == (3, 2, 5)


def test_dataset_map_uses_the_batch_size_at_run_time():
    if config.backend() != "tensorflow":
        pytest.skip("only TensorFlow traces sizes as unknown")
    x, ds = _batched(10, 4)

    def fn(t):
        b, rows, cols = ops.shape(t)
        assert (rows, cols) == (2, 3)
        return ops.reshape(t, (b, rows * cols)), ops.zeros((b, 1)), ops.cast(b, "int32")

    out = list(ds.map(fn))
    assert [tuple(o[0].shape) for o in out] == [(4, 6), (4, 6), (2, 6)]
    assert [tuple(o[1].shape) for o in out] == [(4, 1), (4, 1), (2, 1)]
    assert [int(o[2]) for o in out] == [4, 4, 2]
    np.testing.assert_array_equal(np.concatenate([o[0].numpy() for o in out]), x.reshape(10, 6))


def test_keras2_backend_shape_and_int_shape_while_tracing():
    if config.backend() != "tensorflow":
        pytest.skip("only TensorFlow traces sizes as unknown")
    import tensorflow as tf
    seen = {}

    @tf.function(input_signature=[tf.TensorSpec((None, 3), tf.float32)])
    def fn(t):
        seen["int_shape"] = K.int_shape(t)
        return ops.ones((K.shape(t)[0], 2)) * ops.sum(t)

    np.testing.assert_allclose(fn(tf.ones((5, 3))).numpy(), np.full((5, 2), 15.0))
    # int_shape keeps the static view: None where the size is unknown.
    assert seen["int_shape"] == (None, 3)
