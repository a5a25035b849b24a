"""MultiHeadAttention: NumPy numbers (masks, causal, scores), Keras weight layout, models,
training, config and errors."""
import numpy as np
import pytest

import kfront as keras
from attention_reference import mha
from kfront import layers

RNG = np.random.default_rng(5)
B, T, S, D = 2, 3, 4, 6
Q = RNG.normal(size=(B, T, D)).astype("float32")
V = RNG.normal(size=(B, S, D)).astype("float32")
K = RNG.normal(size=(B, S, D)).astype("float32")
QMASK = np.array([[True, True, False], [True, False, True]])
VMASK = np.array([[True, False, True, True], [False, False, True, True]])
KMASK = np.array([[True, True, True, False], [True, True, True, True]])
AMASK = RNG.random((B, T, S)) > 0.3
TOL = dict(rtol=1e-5, atol=1e-5)


def to_np(x):
    return np.asarray(keras.ops.convert_to_numpy(x))


def built_layer(**kwargs):
    layer = layers.MultiHeadAttention(num_heads=2, key_dim=4, **kwargs)
    layer(Q, V, K)
    # Non-zero biases, so that the reference checks them too.
    layer.set_weights([w + RNG.normal(scale=0.1, size=w.shape).astype("float32")
                       for w in layer.get_weights()])
    return layer


def test_mha_weights_follow_keras_layout():
    layer = layers.MultiHeadAttention(num_heads=2, key_dim=4, value_dim=3, output_shape=5)
    layer(Q, V, K)
    assert [(w.path, tuple(w.shape)) for w in layer.weights] == [
        ("query/kernel", (6, 2, 4)), ("query/bias", (2, 4)),
        ("key/kernel", (6, 2, 4)), ("key/bias", (2, 4)),
        ("value/kernel", (6, 2, 3)), ("value/bias", (2, 3)),
        ("attention_output/kernel", (2, 3, 5)), ("attention_output/bias", (5,))]
    assert layers.MultiHeadAttention(2, 4, use_bias=False)(Q, V) is not None
    nobias = layers.MultiHeadAttention(2, 4, use_bias=False)
    nobias(Q, V)
    assert [w.name for w in nobias.weights] == ["kernel"] * 4


def test_mha_glorot_fans_use_einsum_axes():
    layer = layers.MultiHeadAttention(num_heads=8, key_dim=16)
    layer(np.zeros((1, 2, 32), "float32"), np.zeros((1, 2, 32), "float32"))
    kernel = layer.query_dense.kernel.numpy()           # fans: in 32, out 8 * 16
    limit = np.sqrt(6.0 / (32 + 128))
    assert np.abs(kernel).max() <= limit
    assert np.abs(kernel).max() > 0.9 * limit


@pytest.mark.parametrize("scores", [False, True], ids=["fused", "with_scores"])
def test_mha_matches_numpy(scores):
    layer = built_layer()
    out = layer(Q, V, K, return_attention_scores=scores)
    want, want_scores = mha(layer.get_weights(), Q, V, K, fused=not scores)
    if scores:
        out, got_scores = out
        np.testing.assert_allclose(to_np(got_scores), want_scores, **TOL)
    np.testing.assert_allclose(to_np(out), want, **TOL)


def test_mha_self_attention_key_defaults_to_value():
    layer = built_layer()
    np.testing.assert_allclose(to_np(layer(Q, V)), mha(layer.get_weights(), Q, V)[0], **TOL)


MASK_CASES = {
    "value_mask": (dict(value_mask=VMASK), VMASK[:, None, :]),
    "key_mask": (dict(key_mask=KMASK), KMASK[:, None, :]),
    "query_mask": (dict(query_mask=QMASK), QMASK[:, :, None]),
    "attention_mask": (dict(attention_mask=AMASK), AMASK),
    "all": (dict(query_mask=QMASK, value_mask=VMASK, attention_mask=AMASK),
            QMASK[:, :, None] & VMASK[:, None, :] & AMASK),
    "causal": (dict(use_causal_mask=True), np.tril(np.ones((T, S), bool))[None]),
    "causal_value_mask": (dict(use_causal_mask=True, value_mask=VMASK),
                          np.tril(np.ones((T, S), bool))[None] & VMASK[:, None, :]),
}


@pytest.mark.parametrize("scores", [False, True], ids=["fused", "with_scores"])
@pytest.mark.parametrize("case", list(MASK_CASES))
def test_mha_masks_match_numpy(case, scores):
    kwargs, mask = MASK_CASES[case]
    layer = built_layer()
    out = layer(Q, V, K, return_attention_scores=scores, **kwargs)
    want, want_scores = mha(layer.get_weights(), Q, V, K, mask=mask, fused=not scores)
    if scores:
        out, got_scores = out
        np.testing.assert_allclose(to_np(got_scores), want_scores, **TOL)
    np.testing.assert_allclose(to_np(out), want, **TOL)


def test_mha_attention_axes_on_rank4_inputs():
    x = RNG.normal(size=(2, 3, 4, 6)).astype("float32")
    layer = layers.MultiHeadAttention(num_heads=2, key_dim=3, attention_axes=(1, 2))
    out, scores = layer(x, x, return_attention_scores=True)
    assert tuple(out.shape) == (2, 3, 4, 6)
    assert tuple(scores.shape) == (2, 2, 3, 4, 3, 4)
    wq, bq, wk, bk, wv, bv, wo, bo = [w.astype("float64") for w in layer.get_weights()]
    q = np.einsum("bijd,dnh->bijnh", x, wq) + bq
    k = np.einsum("bijd,dnh->bijnh", x, wk) + bk
    v = np.einsum("bijd,dnh->bijnh", x, wv) + bv
    logits = np.einsum("bijnh,bklnh->bnijkl", q, k) / np.sqrt(3)
    flat = logits.reshape(2, 2, 3, 4, 12)
    p = np.exp(flat - flat.max(-1, keepdims=True))
    p = (p / p.sum(-1, keepdims=True)).reshape(logits.shape)
    want = np.einsum("bnijkl,bklnh->bijnh", p, v)
    want = np.einsum("bijnh,nho->bijo", want, wo) + bo
    np.testing.assert_allclose(to_np(scores), p, **TOL)
    np.testing.assert_allclose(to_np(out), want, **TOL)


def test_mha_output_shape_tuple():
    layer = layers.MultiHeadAttention(2, 4, output_shape=(2, 5))
    out = layer(Q, V)
    assert tuple(out.shape) == (B, T, 2, 5)
    assert tuple(layer.output_dense.kernel.shape) == (2, 4, 2, 5)


def test_mha_dropout_only_while_training():
    layer = built_layer(dropout=0.5, seed=3)
    plain = mha(layer.get_weights(), Q, V, K)[0]
    np.testing.assert_allclose(to_np(layer(Q, V, K)), plain, **TOL)
    np.testing.assert_allclose(to_np(layer(Q, V, K, training=False)), plain, **TOL)
    trained = to_np(layer(Q, V, K, training=True))
    assert np.abs(trained - plain).max() > 1e-3


def test_mha_gate_multiplies_by_sigmoid_of_query_projection():
    layer = layers.MultiHeadAttention(2, 4, use_gate=True)
    out = layer(Q, V)
    names = [w.path for w in layer.weights]
    assert names[4:6] == ["gate/kernel", "gate/bias"]
    wq, bq, wk, bk, wg, bg, wv, bv, wo, bo = [w.astype("float64") for w in layer.get_weights()]
    gate = 1 / (1 + np.exp(-(np.einsum("btd,dnh->btnh", Q, wg) + bg)))
    q = np.einsum("btd,dnh->btnh", Q, wq) + bq
    k = np.einsum("bsd,dnh->bsnh", V, wk) + bk
    v = np.einsum("bsd,dnh->bsnh", V, wv) + bv
    logits = np.einsum("btnh,bsnh->bnts", q, k) / 2.0
    p = np.exp(logits - logits.max(-1, keepdims=True))
    p /= p.sum(-1, keepdims=True)
    want = np.einsum("btnh,nho->bto", np.einsum("bnts,bsnh->btnh", p, v) * gate, wo) + bo
    np.testing.assert_allclose(to_np(out), want, **TOL)


def test_mha_sliding_window():
    layer = built_layer(sliding_window=2)
    band = np.abs(np.arange(T)[:, None] - np.arange(S)[None]) < 2
    want = mha(layer.get_weights(), Q, V, K, mask=band[None])[0]
    np.testing.assert_allclose(to_np(layer(Q, V, K)), want, **TOL)


def test_mha_functional_model_with_scores_and_masks():
    q_in = keras.Input(shape=(T, D))
    v_in = keras.Input(shape=(S, D))
    m_in = keras.Input(shape=(S,), dtype="bool")
    layer = layers.MultiHeadAttention(2, 4, output_shape=3)
    out, scores = layer(q_in, v_in, value_mask=m_in, return_attention_scores=True)
    assert out.shape == (None, T, 3)
    assert scores.shape == (None, 2, T, S)
    model = keras.Model([q_in, v_in, m_in], [out, scores])
    got_out, got_scores = model.predict([Q, V, VMASK], verbose=0)
    wq, bq, wk, bk, wv, bv, wo, bo = layer.get_weights()
    want, want_scores = mha([wq, bq, wk, bk, wv, bv, wo, bo], Q, V,
                            mask=VMASK[:, None, :], fused=False)
    np.testing.assert_allclose(np.asarray(got_out), want, **TOL)
    np.testing.assert_allclose(np.asarray(got_scores), want_scores, **TOL)


def test_mha_in_subclassed_model_trains():
    class Block(keras.Model):
        def __init__(self):
            super().__init__()
            self.attn = layers.MultiHeadAttention(2, 4)
            self.out = layers.Dense(1)

        def call(self, x):
            return self.out(self.attn(x, x, use_causal_mask=True))

    model = Block()
    model.compile(optimizer=keras.optimizers.Adam(0.03), loss="mse")
    y = RNG.normal(size=(B, T, 1)).astype("float32")
    losses = model.fit(Q, y, epochs=20, batch_size=B, verbose=0).history["loss"]
    assert losses[-1] < 0.5 * losses[0]


def test_mha_config_round_trip():
    layer = layers.MultiHeadAttention(num_heads=3, key_dim=2, value_dim=5, dropout=0.1,
                                      use_bias=False, output_shape=(4,), attention_axes=1,
                                      kernel_initializer="he_normal", seed=7, name="mha")
    config = layer.get_config()
    assert config["attention_axes"] == (1,)
    assert config["output_shape"] == (4,)
    clone = layers.MultiHeadAttention.from_config(config)
    assert clone.get_config() == config
    assert (clone.num_heads, clone.key_dim, clone.value_dim) == (3, 2, 5)


@pytest.mark.parametrize("kwargs,match", [
    (dict(num_heads=0, key_dim=2), "num_heads"),
    (dict(num_heads=2, key_dim=-1), "key_dim"),
    (dict(num_heads=2, key_dim=2, value_dim=0), "value_dim"),
    (dict(num_heads=2, key_dim=2, attention_axes="x"), "attention_axes"),
])
def test_mha_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        layers.MultiHeadAttention(**kwargs)


def test_mha_bad_shapes():
    with pytest.raises(ValueError, match="value.*key.*except the last"):
        layers.MultiHeadAttention(2, 2)(Q, V, K[:, :3])
    with pytest.raises(ValueError, match="rank 3 or more"):
        layers.MultiHeadAttention(2, 2)(Q[:, 0], V[:, 0])
    layer = layers.MultiHeadAttention(2, 2, name="att")
    with pytest.raises(ValueError, match=r'"att".*value_mask.*\(2, 4\).*\(2, 3\)'):
        layer(Q, V, value_mask=QMASK)


def test_mha_weights_argument_and_symbolic_build():
    source = built_layer()
    layer = layers.MultiHeadAttention(2, 4, weights=source.get_weights())
    q_in, v_in, k_in = keras.Input((T, D)), keras.Input((S, D)), keras.Input((S, D))
    model = keras.Model([q_in, v_in, k_in], layer(q_in, v_in, k_in))
    want = mha(source.get_weights(), Q, V, K)[0]
    np.testing.assert_allclose(np.asarray(model.predict([Q, V, K], verbose=0)), want, **TOL)
