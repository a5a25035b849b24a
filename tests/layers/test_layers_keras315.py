"""Identity, Wrapper, RMSNormalization, SpectralNormalization, GroupQueryAttention,
ReversibleEmbedding and layers.serialize/deserialize: Keras 3 numbers given the same
weights (one Keras subprocess for the module), NumPy references, save/load, errors."""
import numpy as np
import pytest

import kfront as keras
from keras_reference import keras_numbers
from kfront import layers, ops

RNG = np.random.default_rng(11)
X = RNG.normal(size=(2, 5, 8)).astype("float32")
V = RNG.normal(size=(2, 6, 8)).astype("float32")
IDS = np.array([[1, 0, 7, 3], [9, 2, 0, 5]], "int32")
H = RNG.normal(size=(2, 4, 6)).astype("float32")

# Each case: the Keras constructor, the call (``layer`` and ``inp`` in scope) and its
# inputs; the Keras script saves every weight (by path) and the outputs.
CASES = {
    "rms": ("L.RMSNormalization()", "[layer(inp['x'])]"),
    "rms_axes": ("L.RMSNormalization(axis=[1, 2], epsilon=1e-3)", "[layer(inp['x'])]"),
    "spectral": ("L.SpectralNormalization(L.Dense(3), power_iterations=2)",
                 "[layer(inp['x'], training=True), layer(inp['x'], training=False)]"),
    "spectral_conv": ("L.SpectralNormalization(L.Conv1D(4, 3))",
                      "[layer(inp['x'], training=True)]"),
    "gqa": ("L.GroupQueryAttention(4, 4, 2)",
            "list(layer(inp['x'], inp['v'], return_attention_scores=True))"),
    "gqa_causal": ("L.GroupQueryAttention(3, 6, 3, use_gate=True)",
                   "[layer(inp['x'], inp['x'], use_causal_mask=True)]"),
    "gqa_window": ("L.GroupQueryAttention(4, 2, 1, sliding_window=2, use_bias=False)",
                   "list(layer(inp['x'], inp['x'], return_attention_scores=True))"),
    "rev_tied": ("L.ReversibleEmbedding(10, 6, mask_zero=True)",
                 "[layer(inp['ids']), layer(inp['h'], reverse=True)]"),
    "rev_untied": ("L.ReversibleEmbedding(10, 6, tie_weights=False, logit_soft_cap=2.0)",
                   "[layer(inp['ids']), layer(inp['h'], reverse=True)]"),
}

KERAS_SCRIPT = """
L = keras.layers
cases = %r
for case, (make, call) in cases.items():
    keras.utils.set_random_seed(1)
    layer = eval(make)
    if case.startswith("gqa"):
        layer.build(inp["x"].shape, inp["v"].shape if case == "gqa" else inp["x"].shape)
    elif case.startswith("rev"):
        layer.build(inp["ids"].shape)
    else:
        layer.build(inp["x"].shape)
    def name(w):
        return "/".join(w.path.split("/")[-2 if case.startswith("gqa") else -1:])
    for w in layer.weights:
        out[case + "/w/" + name(w)] = keras.ops.convert_to_numpy(w)
    for i, y in enumerate(eval(call)):
        out[case + "/y%%d" %% i] = keras.ops.convert_to_numpy(y)
    for w in layer.weights:
        out[case + "/after/" + name(w)] = keras.ops.convert_to_numpy(w)
    out[case + "/config_keys"] = np.array(sorted(layer.get_config()))
""" % (CASES,)


@pytest.fixture(scope="module")
def ref():
    return keras_numbers(KERAS_SCRIPT, x=X, v=V, ids=IDS, h=H)


def _key(case, var, stage="w"):
    parts = var.path.split("/")
    return f"{case}/{stage}/" + "/".join(parts[-2 if case.startswith("gqa") else -1:])


def _kfront_layer(case, ref):
    """The kfront twin of a Keras case, built, with the Keras initial weights copied in."""
    L = layers  # noqa: N806 - the case strings say L.
    layer = eval(CASES[case][0])
    if case.startswith("gqa"):
        layer.build(X.shape, V.shape if case == "gqa" else X.shape)
    elif case.startswith("rev"):
        layer.build(IDS.shape)
    else:
        layer.build(X.shape)
    for var in layer.weights:
        var.assign(ref[_key(case, var)])
    return layer


def _outputs(case, layer):
    inp = {"x": X, "v": V, "ids": IDS, "h": H}  # noqa: F841 - read by the case strings
    return [np.asarray(ops.convert_to_numpy(y)) for y in eval(CASES[case][1])]


@pytest.mark.parametrize("case", list(CASES))
def test_same_numbers_as_keras_given_the_same_weights(ref, case):
    layer = _kfront_layer(case, ref)
    outs = _outputs(case, layer)
    for i, y in enumerate(outs):
        np.testing.assert_allclose(y, ref[f"{case}/y{i}"], rtol=1e-5, atol=1e-5,
                                   err_msg=f"{case} output {i}")
    # Training-time updates (SpectralNormalization's kernel and vector_u) match too.
    for var in layer.weights:
        np.testing.assert_allclose(ops.convert_to_numpy(var),
                                   ref[_key(case, var, "after")],
                                   rtol=1e-5, atol=1e-6, err_msg=f"{case} {var.path}")
    # kfront's Embedding base writes neither of these two Keras keys.
    missing = set(ref[f"{case}/config_keys"].tolist()) - set(layer.get_config())
    assert missing <= ({"activity_regularizer", "quantization_config"}
                       if case.startswith("rev") else set())


def test_rms_normalization_matches_numpy():
    layer = layers.RMSNormalization(epsilon=1e-6)
    y = ops.convert_to_numpy(layer(X))
    expected = X / np.sqrt(np.mean(X.astype("float64") ** 2, axis=-1, keepdims=True) + 1e-6)
    np.testing.assert_allclose(y, expected, rtol=1e-5)
    assert layer.scale.shape == (8,)


def test_spectral_normalization_scales_to_unit_spectral_norm():
    layer = layers.SpectralNormalization(layers.Dense(4), power_iterations=30)
    layer(X, training=True)
    kernel = ops.convert_to_numpy(layer.layer.kernel)
    np.testing.assert_allclose(np.linalg.svd(kernel, compute_uv=False)[0], 1.0, rtol=1e-4)


def test_gqa_shares_key_value_heads_numpy():
    layer = layers.GroupQueryAttention(head_dim=2, num_query_heads=4, num_key_value_heads=2,
                                       use_bias=False)
    out, scores = layer(X, V, return_attention_scores=True)
    w = {v.path.split("/")[0]: ops.convert_to_numpy(v) for v in layer.weights}
    q = np.einsum("btf,fnh->btnh", X, w["query"]) / np.sqrt(2.0)
    k = np.repeat(np.einsum("bsf,fnh->bsnh", V, w["key"]), 2, axis=2)
    val = np.repeat(np.einsum("bsf,fnh->bsnh", V, w["value"]), 2, axis=2)
    logits = np.einsum("btnh,bsnh->bnts", q, k)
    probs = np.exp(logits - logits.max(-1, keepdims=True))
    probs /= probs.sum(-1, keepdims=True)
    expected = np.einsum("btnh,nhf->btf", np.einsum("bnts,bsnh->btnh", probs, val),
                         w["attention_output"])
    np.testing.assert_allclose(ops.convert_to_numpy(scores), probs, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(ops.convert_to_numpy(out), expected, rtol=1e-4, atol=1e-5)
    assert tuple(layer._key_dense.kernel.shape) == (8, 2, 2)
    assert tuple(layer._query_dense.kernel.shape) == (8, 4, 2)


def test_identity_and_reversible_embedding_basics():
    assert layers.Identity()(X) is X or np.array_equal(ops.convert_to_numpy(
        layers.Identity()(X)), X)
    inp = keras.Input((4,), dtype="int32")
    emb = layers.ReversibleEmbedding(10, 6, mask_zero=True)
    h = emb(inp)
    assert tuple(h.shape) == (None, 4, 6)
    assert tuple(emb(h, reverse=True).shape) == (None, 4, 10)
    mask = ops.convert_to_numpy(emb.compute_mask(ops.convert_to_tensor(IDS)))
    np.testing.assert_array_equal(mask, IDS != 0)
    assert emb.compute_mask(ops.convert_to_tensor(H)) is None


def test_wrapper_builds_and_serializes_its_layer():
    class Twice(layers.Wrapper):
        def call(self, x):
            return 2 * self.layer(x)

    wrapped = Twice(layers.Dense(3, name="inner"))
    y = ops.convert_to_numpy(wrapped(X))
    np.testing.assert_allclose(y, 2 * ops.convert_to_numpy(wrapped.layer(X)), rtol=1e-6)
    assert [v.path for v in wrapped.weights] == ["inner/kernel", "inner/bias"]
    config = wrapped.get_config()
    assert config["layer"]["class_name"] == "Dense"
    again = Twice.from_config(config)
    assert isinstance(again.layer, layers.Dense) and again.layer.units == 3


def _models():
    inp = keras.Input((5, 8))
    x = layers.Identity()(inp)
    x = layers.RMSNormalization(name="rms")(x)
    x = layers.GroupQueryAttention(4, 4, 2, name="gqa")(x, x)
    x = layers.SpectralNormalization(layers.Dense(6), name="sn")(x)
    yield "attention", keras.Model(inp, x), X
    ids = keras.Input((4,), dtype="int32")
    emb = layers.ReversibleEmbedding(10, 6, tie_weights=False, logit_soft_cap=3.0)
    yield "embedding", keras.Model(ids, emb(emb(ids), reverse=True)), IDS


@pytest.mark.parametrize("which", ["attention", "embedding"])
def test_model_save_and_load_model_round_trip(tmp_path, which):
    name, model, x = next((n, m, x) for n, m, x in _models() if n == which)
    if which == "attention":
        # One compiled training step first: SpectralNormalization updates its kernel there.
        model.compile(optimizer="adam", loss="mse")
        model.fit(x, np.asarray(ops.convert_to_numpy(model(x))) * 0.5, epochs=1, verbose=0)
    before = ops.convert_to_numpy(model(x))
    path = tmp_path / f"{name}.keras"
    model.save(path)
    loaded = keras.models.load_model(path)
    np.testing.assert_allclose(ops.convert_to_numpy(loaded(x)), before, rtol=1e-6, atol=1e-6)
    assert [v.path for v in loaded.weights] == [v.path for v in model.weights]


def test_serialize_and_deserialize():
    config = layers.serialize(layers.RMSNormalization(axis=[1, 2], epsilon=1e-3, name="r"))
    assert config["class_name"] == "RMSNormalization"
    again = layers.deserialize(config)
    assert isinstance(again, layers.RMSNormalization) and again.axis == [1, 2]
    sn = layers.deserialize(layers.serialize(layers.SpectralNormalization(
        layers.Dense(2), power_iterations=3)))
    assert sn.power_iterations == 3 and isinstance(sn.layer, layers.Dense)
    gqa = layers.deserialize({"class_name": "GroupedQueryAttention",
                              "config": {"head_dim": 2, "num_query_heads": 4,
                                         "num_key_value_heads": 1}})
    assert isinstance(gqa, layers.GroupQueryAttention) and gqa.num_repeats == 4
    with pytest.raises(ValueError, match="`kfront.layers.serialize` expects a "
                                         "kfront.layers.Layer instance"):
        layers.serialize("dense")
    with pytest.raises(ValueError, match="not a `kfront.layers.Layer`"):
        layers.deserialize({"class_name": "Adam", "config": {}},
                           custom_objects={"Adam": keras.optimizers.Adam})


def test_bad_arguments_are_named():
    with pytest.raises(TypeError, match=r"Identity: unrecognized keyword argument\(s\) "
                                        r"\['units'\]"):
        layers.Identity(units=3)
    with pytest.raises(ValueError, match="`num_query_heads` must be divisible by "
                                         "`num_key_value_heads`"):
        layers.GroupQueryAttention(4, 6, 4)
    with pytest.raises(ValueError, match="`head_dim` must be a positive int, received "
                                         "head_dim=0"):
        layers.GroupQueryAttention(0, 4, 2)
    with pytest.raises(ValueError, match="flash_attention=True is not supported"):
        layers.GroupQueryAttention(4, 4, 2, flash_attention=True)
    with pytest.raises(ValueError, match=r"`power_iterations` should be greater than zero. "
                                         r"Received: `power_iterations=0`"):
        layers.SpectralNormalization(layers.Dense(2), power_iterations=0)
    with pytest.raises(ValueError, match="has no attribute 'kernel' nor 'embeddings'"):
        layers.SpectralNormalization(layers.Dropout(0.1)).build((None, 3))
    with pytest.raises(ValueError, match="isn't a supported layer type"):
        layers.Wrapper("dense")
    with pytest.raises(TypeError, match="expected an int or a list/tuple of ints for `axis`"):
        layers.RMSNormalization(axis="last")
    with pytest.raises(ValueError, match="axis 3 is out of bounds for an input of rank 3"):
        layers.RMSNormalization(axis=3)(X)
    with pytest.raises(ValueError, match="`logit_soft_cap` must be None or a positive number"):
        layers.ReversibleEmbedding(10, 4, logit_soft_cap=-1.0)
