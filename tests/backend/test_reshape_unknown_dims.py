"""``ops.reshape(x, (ops.shape(x)[0], -1, d))`` where the batch size is unknown while
tracing (TensorFlow's relaxed shapes): the unknown size is the input's at run time."""
import numpy as np
import pytest

from kfront import config, ops


def test_reshape_with_the_batch_size_of_a_traced_tensor():
    if config.backend() != "tensorflow":
        pytest.skip("only TensorFlow traces sizes as unknown")
    import tensorflow as tf

    @tf.function(input_signature=[tf.TensorSpec((None, 4, 6), tf.float32)])
    def patches(t):
        assert ops.shape(t)[1:] == (4, 6)
        return ops.reshape(t, (ops.shape(t)[0], -1, 3))

    x = np.arange(2 * 4 * 6, dtype="float32").reshape(2, 4, 6)
    np.testing.assert_array_equal(patches(tf.constant(x)).numpy(), x.reshape(2, -1, 3))
    np.testing.assert_array_equal(patches(tf.constant(x[:1])).numpy(), x[:1].reshape(1, -1, 3))


def test_reshape_with_one_unknown_size_infers_it():
    if config.backend() != "tensorflow":
        pytest.skip("only TensorFlow traces sizes as unknown")
    import tensorflow as tf

    @tf.function(input_signature=[tf.TensorSpec((None, 6), tf.float32)])
    def split_rows(t):
        return ops.reshape(t, (None, 2, 3))

    x = np.arange(12, dtype="float32").reshape(2, 6)
    np.testing.assert_array_equal(split_rows(tf.constant(x)).numpy(), x.reshape(-1, 2, 3))


def test_reshape_with_several_unknown_sizes_needs_an_axis_to_take_each_from():
    if config.backend() != "tensorflow":
        pytest.skip("only TensorFlow traces sizes as unknown")
    import tensorflow as tf

    @tf.function(input_signature=[tf.TensorSpec((None,), tf.float32)])
    def bad(t):
        return ops.reshape(t, (None, None))

    with pytest.raises(ValueError, match="None at axis 1 and the input has 1 axes"):
        bad(tf.constant([1.0, 2.0]))


def test_reshape_with_static_batch_size_everywhere():
    x = np.arange(24, dtype="float32").reshape(2, 4, 3)
    out = ops.reshape(ops.convert_to_tensor(x), (ops.shape(x)[0], -1, 6))
    np.testing.assert_array_equal(ops.convert_to_numpy(out), x.reshape(2, -1, 6))
