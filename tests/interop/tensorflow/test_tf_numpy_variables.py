"""``tf.experimental.numpy`` ops on kfront variables (a layer's weights used in a model
written with ``tnp``): TensorFlow sees them as tensors, as Keras's variables, and a tape
differentiates through them."""
import numpy as np
import pytest

import kfront as keras

pytestmark = pytest.mark.skipif(keras.backend.backend() != "tensorflow",
                                reason="tf.experimental.numpy is TensorFlow's")
tf = pytest.importorskip("tensorflow")
tnp = pytest.importorskip("tensorflow.experimental.numpy")


def test_tnp_matmul_and_gradient_through_a_variable():
    w = np.arange(6, dtype="float32").reshape(3, 2)
    x = np.array([[1.0, -1.0, 2.0]], "float32")
    v = keras.Variable(w)
    assert tf.is_tensor(v)
    with tf.GradientTape() as tape:
        y = tnp.matmul(tnp.asarray(x), v)
        loss = tnp.sum(y * y)
    np.testing.assert_allclose(y.numpy(), x @ w)
    np.testing.assert_allclose(tape.gradient(loss, v).numpy(), x.T @ (2 * (x @ w)))


def test_tnp_result_type_reads_the_variable_dtype():
    v = keras.Variable(np.ones((2,)), dtype="float16")
    assert tnp.result_type(v, np.float16) == np.float16
    assert (tnp.asarray(v) + tnp.ones((2,), "float16")).dtype == tf.float16
