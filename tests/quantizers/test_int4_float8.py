"""``Model.quantize("int4")`` and ``("float8")`` against Keras 3 on the same weights: the
quantized variables, predictions, float8 quantization-aware ``fit`` (delayed scaling), and
files moving between Keras and kfront and across kfront's backends."""
import numpy as np
import pytest

import kfront as keras
from kfront.quantizers.quantizers import round_to_float8
from tests.keras_reference import keras_numbers
from tests.saving.saving_models import run_python

MODEL = """
def make(keras, vocab=40, dim=32, hidden=48):
    inp = keras.Input((6,), dtype="int32")
    x = keras.layers.Embedding(vocab, dim, name="emb")(inp)
    x = keras.layers.EinsumDense("abc,cd->abd", (6, hidden), bias_axes="d",
                                 activation="relu", name="up")(x)
    x = keras.layers.Dense(dim - 3, name="down")(x)  # an odd width: a padded nibble
    return keras.Model(inp, x)

def weights(model, seed=1):
    rng = np.random.RandomState(seed)
    model.set_weights([rng.uniform(-0.3, 0.3, w.shape).astype("float32")
                       for w in model.weights])
"""
_scope = {"np": np}
exec(MODEL, _scope)
IDS = np.random.RandomState(0).randint(0, 40, (8, 6)).astype("int32")
TARGET = np.random.RandomState(2).uniform(-1, 1, (8, 6, 29)).astype("float32")
INT4_VARS = {"down": ["kernel", "kernel_scale", "kernel_zero", "g_idx"],
             "up": ["kernel", "kernel_scale", "kernel_zero", "g_idx"],
             "emb": ["embeddings", "embeddings_scale", "embeddings_zero", "g_idx"]}
FLOAT8_VARS = ["kernel", "bias", "inputs_scale", "inputs_amax_history", "kernel_scale",
               "kernel_amax_history", "outputs_grad_scale", "outputs_grad_amax_history"]


def _model():
    model = _scope["make"](keras)
    _scope["weights"](model)
    return model


def _config(block):
    return "None" if block == "default" else \
        f"keras.quantizers.Int4QuantizationConfig(block_size={block})"


def _keras_int4(block):
    return keras_numbers(MODEL + f"""
import os, tempfile
model = make(keras)
weights(model)
model.quantize("int4", config={_config(block)})
out["y"] = model.predict(inp["ids"], verbose=0)
for layer, names in {INT4_VARS!r}.items():
    for name in names:
        if hasattr(model.get_layer(layer), name):
            out[layer + "/" + name] = keras.ops.convert_to_numpy(
                getattr(model.get_layer(layer), "_" + name if name in ("kernel", "embeddings")
                        else name))
out["policy"] = np.array(model.get_layer("down").dtype_policy.name)
with tempfile.TemporaryDirectory() as tmp:
    model.save(os.path.join(tmp, "k.keras"))
    out["archive"] = np.frombuffer(open(os.path.join(tmp, "k.keras"), "rb").read(), np.uint8)
""", ids=IDS)


@pytest.mark.parametrize("block", ["default", 16, -1])
def test_int4_matches_keras_variables_predictions_and_files(block, tmp_path):
    ref = _keras_int4(block)
    model = _model()
    y_float = model.predict(IDS, verbose=0)
    config = None if block == "default" else \
        keras.quantizers.Int4QuantizationConfig(block_size=block)
    model.quantize("int4", config=config)
    assert model.get_layer("down").dtype_policy.name == str(ref["policy"])
    for layer, names in INT4_VARS.items():
        for name in names:
            key = f"{layer}/{name}"
            have = getattr(model.get_layer(layer), name, None)
            assert (have is None) == (key not in ref), key
            if have is not None:
                np.testing.assert_allclose(have.numpy(), ref[key], rtol=1e-6, err_msg=key)
    y = model.predict(IDS, verbose=0)
    np.testing.assert_allclose(y, ref["y"], rtol=1e-5, atol=1e-5)
    assert np.abs(y - y_float).max() < 0.2  # int4: coarse, but near the float model
    # Keras's archive loads here; this model's archive loads in Keras.
    archive = tmp_path / "from_keras.keras"
    archive.write_bytes(ref["archive"].tobytes())
    loaded = keras.models.load_model(str(archive))
    np.testing.assert_allclose(loaded.predict(IDS, verbose=0), ref["y"], rtol=1e-5, atol=1e-5)


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["int4", "float8"])
def test_kfront_quantized_archive_loads_in_keras(mode, tmp_path):
    model = _model()
    config = keras.quantizers.Int4QuantizationConfig(block_size=16) if mode == "int4" \
        else None
    model.quantize(mode, config=config, filters=None if mode == "int4" else "up|down")
    path = tmp_path / "mine.keras"
    model.save(str(path))
    back = keras_numbers("""
import os, tempfile
with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "m.keras")
    open(path, "wb").write(inp["archive"].tobytes())
    out["y"] = keras.models.load_model(path).predict(inp["ids"], verbose=0)
""", ids=IDS, archive=np.frombuffer(path.read_bytes(), np.uint8))
    np.testing.assert_allclose(back["y"], model.predict(IDS, verbose=0), rtol=1e-5,
                               atol=1e-5)


def test_float8_inference_and_fit_match_keras(tmp_path):
    ref = keras_numbers(MODEL + f"""
import os, tempfile
model = make(keras)
weights(model)
model.quantize("float8")
out["y0"] = model.predict(inp["ids"], verbose=0)
model.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse")
history = model.fit(inp["ids"], inp["target"], batch_size=4, epochs=2, shuffle=False,
                    verbose=0)
out["loss"] = np.array(history.history["loss"])
out["y"] = model.predict(inp["ids"], verbose=0)
for layer in ("up", "down"):
    for name in {FLOAT8_VARS!r}:
        out[layer + "/" + name] = keras.ops.convert_to_numpy(
            getattr(model.get_layer(layer), "_kernel" if name == "kernel" else name))
with tempfile.TemporaryDirectory() as tmp:
    model.save(os.path.join(tmp, "k.keras"))
    out["archive"] = np.frombuffer(open(os.path.join(tmp, "k.keras"), "rb").read(), np.uint8)
""", ids=IDS, target=TARGET)
    model = _model()
    with pytest.warns(UserWarning, match="mode 'float8' is not supported by this layer"):
        model.quantize("float8")  # Embedding has no float8: skipped with a warning
    assert model.get_layer("emb").quantization_mode is None
    down = model.get_layer("down")
    assert down.dtype_policy.name == "float8_from_float32"
    assert [w.path for w in down.weights if w.overwrite_with_gradient] == [
        f"down/{n}" for n in FLOAT8_VARS[2:]]
    np.testing.assert_allclose(model.predict(IDS, verbose=0), ref["y0"], rtol=1e-5,
                               atol=1e-5)
    before = {w.path: w.numpy().copy() for w in model.weights}
    model.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse")
    history = model.fit(IDS, TARGET, batch_size=4, epochs=2, shuffle=False, verbose=0)
    np.testing.assert_allclose(history.history["loss"], ref["loss"], rtol=1e-4)
    for layer in ("up", "down"):
        for name in FLOAT8_VARS:
            key = f"{layer}/{name}"
            np.testing.assert_allclose(getattr(model.get_layer(layer), name).numpy(),
                                       ref[key], rtol=1e-4, atol=1e-6, err_msg=key)
    # Four steps: each history holds four maxima (the newest first); the scales moved.
    assert np.count_nonzero(down.inputs_amax_history.numpy()) == 4
    assert down.inputs_scale.numpy() != 1.0
    after = {w.path: w.numpy() for w in model.weights}
    # Every variable trains (the float embedding table, kernels, biases) or is overwritten
    # (scales, histories); none is left behind.
    assert {p for p in before if not np.array_equal(before[p], after[p])} == set(before)
    np.testing.assert_allclose(model.predict(IDS, verbose=0), ref["y"], rtol=1e-4, atol=1e-5)
    archive = tmp_path / "from_keras.keras"
    archive.write_bytes(ref["archive"].tobytes())
    loaded = keras.models.load_model(str(archive))
    np.testing.assert_allclose(loaded.get_layer("down").kernel_scale.numpy(),
                               ref["down/kernel_scale"])
    np.testing.assert_allclose(loaded.predict(IDS, verbose=0), ref["y"], rtol=1e-4,
                               atol=1e-5)


@pytest.mark.slow
def test_quantized_kfront_files_load_on_another_backend(tmp_path):
    other = {"torch": "jax", "jax": "tensorflow", "tensorflow": "torch"}[
        keras.backend.backend()]
    outputs = {}
    for mode in ("int4", "float8"):
        model = _model()
        model.quantize(mode, filters=None if mode == "int4" else "up|down")
        model.save(str(tmp_path / f"{mode}.kfront"))
        outputs[mode] = model.predict(IDS, verbose=0)
    np.save(tmp_path / "ids.npy", IDS)
    run_python(f"""
import numpy as np, kfront as keras
ids = np.load({str(tmp_path / 'ids.npy')!r})
for mode in ("int4", "float8"):
    model = keras.models.load_model({str(tmp_path)!r} + "/" + mode + ".kfront")
    assert model.get_layer("down").quantization_mode == mode
    np.save({str(tmp_path)!r} + "/" + mode + ".npy", model.predict(ids, verbose=0))
""", backend=other)
    for mode in ("int4", "float8"):
        np.testing.assert_allclose(np.load(tmp_path / f"{mode}.npy"), outputs[mode],
                                   rtol=1e-5, atol=1e-5)


def test_round_to_float8_equals_the_cast():
    ml_dtypes = pytest.importorskip("ml_dtypes")
    rng = np.random.RandomState(3)
    x = np.concatenate([rng.normal(0, 1, 500), rng.normal(0, 100, 200),
                        rng.normal(0, 1e-3, 200), [0.0, 448.0, -448.0, 0.5, 1e-9]])
    for dtype, limit in (("float8_e4m3fn", 448.0), ("float8_e5m2", 57344.0)):
        clipped = np.clip(x, -limit, limit).astype("float32")
        want = clipped.astype(getattr(ml_dtypes, dtype)).astype("float32")
        got = keras.ops.convert_to_numpy(round_to_float8(clipped, dtype))
        np.testing.assert_array_equal(got, want)
