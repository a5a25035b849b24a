"""LoRA on Dense, EinsumDense and Embedding: only the factors train, the effective weight is
``W + (alpha / rank) * A @ B``, counts and outputs match Keras 3, saving merges as Keras."""
import numpy as np
import pytest

import kfront as keras
from tests.keras_reference import keras_numbers

MODEL = """
def make(keras):
    inp = keras.Input((6,), dtype="int32")
    x = keras.layers.Embedding(50, 16, name="emb")(inp)
    x = keras.layers.EinsumDense("abc,cd->abd", (6, 12), bias_axes="d", name="proj")(x)
    x = keras.layers.Dense(8, name="out")(x)
    return keras.Model(inp, x)
"""


def _model():
    scope = {}
    exec(MODEL, scope)
    return scope["make"](keras)


def _ids():
    return np.random.RandomState(0).randint(0, 50, (5, 6)).astype("int32")


def _set_random(model, seed=1):
    rng = np.random.RandomState(seed)
    values = [rng.uniform(-0.5, 0.5, w.shape).astype("float32") for w in model.weights]
    model.set_weights(values)
    return values


def test_enable_lora_trainable_count_and_outputs_match_keras():
    model = _model()
    for name in ("emb", "proj", "out"):
        model.get_layer(name).enable_lora(4)
    values = _set_random(model)
    ref = keras_numbers(MODEL + """
model = make(keras)
for name in ("emb", "proj", "out"):
    model.get_layer(name).enable_lora(4)
model.set_weights([inp[f"w{i}"] for i in range(len(model.weights))])
out["y"] = model.predict(inp["ids"], verbose=0)
out["trainable"] = sum(int(np.prod(w.shape)) for w in model.trainable_weights)
out["total"] = model.count_params()
""", ids=_ids(), **{f"w{i}": v for i, v in enumerate(values)})
    trainable = sum(int(np.prod(w.shape)) for w in model.trainable_weights)
    # The factors (50x4 + 4x16, 16x4 + 4x12, 12x4 + 4x8) and the two biases stay trainable.
    assert trainable == int(ref["trainable"]) == 264 + 112 + 80 + 12 + 8
    assert model.count_params() == int(ref["total"])
    np.testing.assert_allclose(model.predict(_ids(), verbose=0), ref["y"], rtol=1e-5,
                               atol=1e-5)


def test_effective_kernel_is_kernel_plus_scaled_product():
    layer = keras.layers.Dense(3, lora_rank=2, lora_alpha=6)
    layer.build((None, 4))
    rng = np.random.RandomState(2)
    w, a, b = rng.randn(4, 3), rng.randn(4, 2), rng.randn(2, 3)
    layer.kernel.assign(w)
    layer.lora_kernel_a.assign(a)
    layer.lora_kernel_b.assign(b)
    x = rng.randn(5, 4).astype("float32")
    expected = x @ (w + 3.0 * a @ b) + layer.bias.numpy()
    np.testing.assert_allclose(keras.ops.convert_to_numpy(layer(x)), expected, rtol=1e-4,
                               atol=1e-4)
    assert layer.get_config()["lora_rank"] == 2 and layer.get_config()["lora_alpha"] == 6


def test_fit_changes_only_the_lora_factors():
    model = _model()
    model.get_layer("emb").enable_lora(4)
    model.get_layer("proj").enable_lora(4)
    model.get_layer("out").enable_lora(4)
    model.get_layer("proj").bias.trainable = False
    model.get_layer("out").bias.trainable = False
    before = {w.path: w.numpy().copy() for w in model.weights}
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss="mse")
    y = np.random.RandomState(3).randn(5, 6, 8).astype("float32")
    model.fit(_ids(), y, epochs=2, batch_size=5, verbose=0)
    after = {w.path: w.numpy() for w in model.weights}
    changed = {p for p in before if not np.array_equal(before[p], after[p])}
    assert changed == {"emb/lora_embeddings_a", "emb/lora_embeddings_b", "proj/lora_kernel_a",
                       "proj/lora_kernel_b", "out/lora_kernel_a", "out/lora_kernel_b"}


def test_lora_errors_as_keras():
    layer = keras.layers.Dense(3)
    with pytest.raises(ValueError, match="isn't yet built"):
        layer.enable_lora(2)
    layer.build((None, 4))
    layer.enable_lora(2)
    with pytest.raises(ValueError, match="already enabled"):
        layer.enable_lora(2)
    constrained = keras.layers.Embedding(5, 3, embeddings_constraint="non_neg")
    constrained.build()
    with pytest.raises(ValueError, match="incompatible with embedding constraints"):
        constrained.enable_lora(2)
    with pytest.raises(ValueError, match="`lora_rank` must be a positive int"):
        keras.layers.EinsumDense("ab,bc->ac", 3, lora_rank=0)
    with pytest.raises(ValueError, match="`lora_alpha` must be a positive number"):
        keras.layers.Dense(3, lora_rank=2, lora_alpha="big")


def test_lora_rank_argument_enables_lora_on_build():
    layer = keras.layers.Dense(3, lora_rank=2)
    layer.build((None, 4))
    assert layer.lora_enabled
    assert [w.path for w in layer.trainable_weights] == [f"{layer.name}/bias", f"{layer.name}/lora_kernel_a",
                                                         f"{layer.name}/lora_kernel_b"]
    assert not layer.kernel.trainable


@pytest.mark.parametrize("fmt", ["kfront", "weights.h5"])
def test_saving_merges_lora_into_the_weight(tmp_path, fmt):
    model = _model()
    for name in ("emb", "proj", "out"):
        model.get_layer(name).enable_lora(3)
    _set_random(model, seed=4)
    expected = model.predict(_ids(), verbose=0)
    path = str(tmp_path / f"m.{fmt}")
    if fmt == "kfront":
        model.save(path)
        loaded = keras.models.load_model(path)
        assert loaded.get_layer("out").lora_enabled  # the config keeps lora_rank
        assert not loaded.get_layer("out").lora_kernel_b.numpy().any()  # zeroed on load
    else:
        model.save_weights(path)
        loaded = _model()  # no LoRA: the file holds the merged weights
        loaded.load_weights(path)
    np.testing.assert_allclose(loaded.predict(_ids(), verbose=0), expected, rtol=1e-5,
                               atol=1e-5)


CONV = """
def make_conv(keras):
    inp = keras.Input((7, 7, 3))
    x = keras.layers.Conv2D(4, 3, name="c2")(inp)
    x = keras.layers.Conv1D(5, 2, name="c1")(keras.layers.Reshape((25, 4))(x))
    return keras.Model(inp, x)
"""


def test_conv_lora_matches_keras():
    scope = {}
    exec(CONV, scope)
    model = scope["make_conv"](keras)
    model.get_layer("c2").enable_lora(2, lora_alpha=4)
    model.get_layer("c1").enable_lora(3)
    values = _set_random(model, seed=6)
    x = np.random.RandomState(7).randn(2, 7, 7, 3).astype("float32")
    ref = keras_numbers(CONV + """
model = make_conv(keras)
model.get_layer("c2").enable_lora(2, lora_alpha=4)
model.get_layer("c1").enable_lora(3)
model.set_weights([inp[f"w{i}"] for i in range(len(model.weights))])
out["y"] = model.predict(inp["x"], verbose=0)
out["trainable"] = sum(int(np.prod(w.shape)) for w in model.trainable_weights)
""", x=x, **{f"w{i}": v for i, v in enumerate(values)})
    assert sum(int(np.prod(w.shape)) for w in model.trainable_weights) == int(ref["trainable"])
    np.testing.assert_allclose(model.predict(x, verbose=0), ref["y"], rtol=1e-5, atol=1e-5)
    assert keras.layers.Conv1D(2, 3, lora_rank=2).get_config()["lora_rank"] == 2
    with pytest.raises(NotImplementedError, match=r"Conv2DTranspose: LoRA \(`lora_rank`\)"):
        keras.layers.Conv2DTranspose(2, 3, lora_rank=2)
