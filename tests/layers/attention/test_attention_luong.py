"""Attention and AdditiveAttention: NumPy numbers (score modes, scale, masks, causal), models,
training, masks propagation hooks, config and errors."""
import numpy as np
import pytest

import kfront as keras
from attention_reference import dot_attention
from kfront import layers

RNG = np.random.default_rng(11)
B, TQ, TV, D = 2, 3, 4, 5
Q = RNG.normal(size=(B, TQ, D)).astype("float32")
V = RNG.normal(size=(B, TV, D)).astype("float32")
K = RNG.normal(size=(B, TV, D)).astype("float32")
QMASK = np.array([[True, False, True], [True, True, False]])
VMASK = np.array([[True, True, False, False], [False, True, True, True]])
TOL = dict(rtol=1e-5, atol=1e-5)


def to_np(x):
    return np.asarray(keras.ops.convert_to_numpy(x))


def with_weights(layer, inputs, values):
    layer(inputs)
    layer.set_weights(values)
    return layer


CASES = {
    # id: (layer factory, weights, reference kwargs)
    "dot": (lambda: layers.Attention(), [], {}),
    "dot_scale": (lambda: layers.Attention(use_scale=True), [np.float32(0.7)],
                  dict(scale=0.7)),
    "concat": (lambda: layers.Attention(score_mode="concat"), [np.float32(1.3)],
               dict(mode="concat", concat_weight=1.3)),
    "concat_scale": (lambda: layers.Attention(use_scale=True, score_mode="concat"),
                     [np.float32(0.6), np.float32(1.3)],
                     dict(mode="concat", scale=0.6, concat_weight=1.3)),
    "additive": (lambda: layers.AdditiveAttention(), [np.linspace(-1, 1, D, dtype="float32")],
                 dict(mode="additive", additive_scale=np.linspace(-1, 1, D))),
    "additive_no_scale": (lambda: layers.AdditiveAttention(use_scale=False), [],
                          dict(mode="additive")),
}


@pytest.mark.parametrize("case", list(CASES))
def test_attention_matches_numpy(case):
    make, weights, ref = CASES[case]
    layer = with_weights(make(), [Q, V, K], [np.asarray(w) for w in weights])
    out, scores = layer([Q, V, K], return_attention_scores=True)
    want, want_scores = dot_attention(Q, V, K, **ref)
    np.testing.assert_allclose(to_np(out), want, **TOL)
    np.testing.assert_allclose(to_np(scores), want_scores, **TOL)


@pytest.mark.parametrize("causal", [False, True])
@pytest.mark.parametrize("case", ["dot", "additive"])
def test_attention_masks_match_numpy(case, causal):
    make, weights, ref = CASES[case]
    layer = with_weights(make(), [Q, V], [np.asarray(w) for w in weights])
    out, scores = layer([Q, V], mask=[QMASK, VMASK], use_causal_mask=causal,
                        return_attention_scores=True)
    want, want_scores = dot_attention(Q, V, query_mask=QMASK, value_mask=VMASK,
                                      causal=causal, **ref)
    np.testing.assert_allclose(to_np(out), want, **TOL)
    np.testing.assert_allclose(to_np(scores), want_scores, **TOL)
    assert np.all(to_np(out)[~QMASK] == 0)


def test_attention_value_mask_only_and_key_defaults_to_value():
    layer = layers.Attention()
    out = layer([Q, V], mask=[None, VMASK])
    np.testing.assert_allclose(to_np(out), dot_attention(Q, V, value_mask=VMASK)[0], **TOL)


def test_attention_weights():
    layer = layers.Attention(use_scale=True, score_mode="concat")
    layer([Q, V])
    assert [(w.name, tuple(w.shape)) for w in layer.weights] == [
        ("scale", ()), ("concat_score_weight", ())]
    np.testing.assert_array_equal(layer.get_weights()[0], 1.0)
    additive = layers.AdditiveAttention()
    additive([Q, V])
    assert [(w.name, tuple(w.shape)) for w in additive.weights] == [("scale", (D,))]
    assert layers.Attention().weights == []


def test_attention_dropout_only_while_training():
    layer = layers.Attention(dropout=0.5, seed=2)
    plain = dot_attention(Q, V)[0]
    np.testing.assert_allclose(to_np(layer([Q, V])), plain, **TOL)
    _, weights = layer([Q, V], training=True, return_attention_scores=True)
    weights = to_np(weights)
    kept = weights != 0
    assert 0 < kept.mean() < 1
    want = dot_attention(Q, V)[1] / 0.5
    np.testing.assert_allclose(weights[kept], want[kept], **TOL)


def test_attention_compute_mask_keeps_query_mask():
    layer = layers.Attention()
    assert layer.supports_masking
    assert layer.compute_mask([Q, V], None) is None
    assert layer.compute_mask([Q, V], [None, VMASK]) is None
    np.testing.assert_array_equal(to_np(keras.ops.convert_to_tensor(
        layer.compute_mask([Q, V], [QMASK, VMASK]))), QMASK)


def test_attention_functional_model_with_masks():
    q_in, v_in = keras.Input(shape=(TQ, D)), keras.Input(shape=(TV, D))
    qm_in = keras.Input(shape=(TQ,), dtype="bool")
    vm_in = keras.Input(shape=(TV,), dtype="bool")
    layer = layers.AdditiveAttention(use_scale=False)
    out, scores = layer([q_in, v_in], mask=[qm_in, vm_in], return_attention_scores=True)
    assert out.shape == (None, TQ, D) and scores.shape == (None, TQ, TV)
    model = keras.Model([q_in, v_in, qm_in, vm_in], out)
    want = dot_attention(Q, V, query_mask=QMASK, value_mask=VMASK, mode="additive")[0]
    np.testing.assert_allclose(np.asarray(model.predict([Q, V, QMASK, VMASK], verbose=0)),
                               want, **TOL)


def test_attention_trains_in_sequential_style_model():
    q_in = keras.Input(shape=(TQ, D))
    h = layers.Dense(D)(q_in)
    out = layers.Dense(1)(layers.Attention(use_scale=True)([h, h]))
    model = keras.Model(q_in, out)
    model.compile(optimizer=keras.optimizers.Adam(0.02), loss="mse")
    y = RNG.normal(size=(B, TQ, 1)).astype("float32")
    losses = model.fit(Q, y, epochs=20, batch_size=B, verbose=0).history["loss"]
    assert losses[-1] < 0.5 * losses[0]


@pytest.mark.parametrize("cls,kwargs", [
    (layers.Attention, dict(use_scale=True, score_mode="concat", dropout=0.2, seed=4)),
    (layers.AdditiveAttention, dict(use_scale=False, dropout=0.1)),
])
def test_attention_config_round_trip(cls, kwargs):
    config = cls(name="att", **kwargs).get_config()
    clone = cls.from_config(config)
    assert clone.get_config() == config
    assert ("score_mode" in config) == (cls is layers.Attention)


def test_attention_bad_inputs():
    with pytest.raises(ValueError, match="score_mode"):
        layers.Attention(score_mode="add")
    layer = layers.Attention(name="att")
    with pytest.raises(ValueError, match=r'"att" must be called on a list'):
        layer(Q)
    with pytest.raises(ValueError, match="length 2 or 3.*Received length: 1"):
        layer([Q])
    with pytest.raises(ValueError, match="mask must be a list"):
        layer([Q, V], mask=QMASK)
    with pytest.raises(ValueError, match="same last dimension"):
        layers.Attention()([Q, V[..., :3]])
    with pytest.raises(ValueError, match="same length"):
        layers.Attention()([Q, V, K[:, :2]])
