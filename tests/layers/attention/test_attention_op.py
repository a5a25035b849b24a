"""kfront.ops.dot_product_attention beyond the conformance numbers: errors, symbolic calls,
gradients of fully masked rows, EinsumDense in Sequential."""
import numpy as np
import pytest

import kfront as keras
from kfront import layers, ops

RNG = np.random.default_rng(2)
Q = RNG.normal(size=(2, 3, 2, 4)).astype("float32")
KV = RNG.normal(size=(2, 5, 2, 4)).astype("float32")


def test_dot_product_attention_rejects_non_4d_inputs():
    with pytest.raises(ValueError, match=r"must be 4D.*query.shape=\(3, 2, 4\)"):
        ops.dot_product_attention(Q[0], KV[0], KV[0])


def test_dot_product_attention_rejects_head_counts_that_do_not_divide():
    k3 = RNG.normal(size=(2, 5, 3, 4)).astype("float32")
    with pytest.raises(ValueError, match="multiple of the number of key/value heads"):
        ops.dot_product_attention(Q, k3, k3)


def test_dot_product_attention_on_symbolic_inputs():
    q = keras.Input(shape=(3, 2, 4))
    kv = keras.Input(shape=(5, 2, 4))
    out = ops.dot_product_attention(q, kv, kv, is_causal=True)
    assert out.shape == (None, 3, 2, 4)
    model = keras.Model([q, kv], out)
    want = ops.dot_product_attention(Q, KV, KV, is_causal=True)
    np.testing.assert_allclose(np.asarray(model.predict([Q, KV], verbose=0)),
                               ops.convert_to_numpy(want), rtol=1e-5, atol=1e-6)


def test_fully_masked_rows_average_values_and_pass_no_gradient_to_query():
    mask = np.ones((2, 1, 3, 5), bool)
    mask[:, :, 1] = False
    q = keras.Variable(Q)

    def loss():
        out = ops.dot_product_attention(q.value, KV, KV, mask=mask)
        return ops.sum(ops.multiply(out, np.arange(out.shape[-1], dtype="float32"))), out

    (_, out), (grad,) = keras.backend.value_and_grad(loss, [q], has_aux=True)
    np.testing.assert_allclose(ops.convert_to_numpy(out)[:, 1], KV.mean(axis=1),
                               rtol=1e-5, atol=1e-6)
    grad = ops.convert_to_numpy(grad)
    np.testing.assert_array_equal(grad[:, 1], 0.0)
    assert np.abs(grad[:, 0]).max() > 1e-3


def test_einsum_dense_in_sequential():
    model = keras.Sequential([keras.Input(shape=(4, 3)),
                              layers.EinsumDense("abc,cd->abd", (None, 2), bias_axes="d")])
    assert model.output_shape == (None, 4, 2)
    x = RNG.normal(size=(2, 4, 3)).astype("float32")
    kernel, bias = model.layers[-1].get_weights()
    np.testing.assert_allclose(np.asarray(model.predict(x, verbose=0)), x @ kernel + bias,
                               rtol=1e-5, atol=1e-6)
