"""``Model.quantize("int8")``: Keras 3's numbers on the same weights, accuracy against the
float model, a smaller file, saving and loading, and the errors of ``quantize`` (int4 and
float8 against Keras: test_int4_float8.py)."""
import os

import numpy as np
import pytest

import kfront as keras
from tests.keras_reference import keras_numbers

MODEL = """
def make(keras, vocab=40, dim=32, hidden=64):
    inp = keras.Input((6,), dtype="int32")
    x = keras.layers.Embedding(vocab, dim, name="emb")(inp)
    x = keras.layers.EinsumDense("abc,cd->abd", (6, hidden), bias_axes="d",
                                 activation="relu", name="up")(x)
    x = keras.layers.Dense(dim, name="down")(x)
    return keras.Model(inp, x)
"""


def _model(seed=1, **sizes):
    scope = {}
    exec(MODEL, scope)
    model = scope["make"](keras, **sizes)
    rng = np.random.RandomState(seed)
    model.set_weights([rng.uniform(-0.3, 0.3, w.shape).astype("float32")
                       for w in model.weights])
    return model


class GPTQ(keras.quantizers.QuantizationConfig):
    """A config naming a mode kfront does not run."""

    @property
    def mode(self):
        return "gptq"


IDS = np.random.RandomState(0).randint(0, 40, (8, 6)).astype("int32")


def test_int8_matches_keras_and_stays_close_to_float():
    model = _model()
    values = model.get_weights()
    y_float = model.predict(IDS, verbose=0)
    model.quantize("int8")
    y_int8 = model.predict(IDS, verbose=0)
    ref = keras_numbers(MODEL + """
model = make(keras)
model.set_weights([inp[f"w{i}"] for i in range(len(model.weights))])
model.quantize("int8")
out["y"] = model.predict(inp["ids"], verbose=0)
out["down_kernel"] = keras.ops.convert_to_numpy(model.get_layer("down")._kernel)
out["down_scale"] = keras.ops.convert_to_numpy(model.get_layer("down").kernel_scale)
out["emb_scale"] = keras.ops.convert_to_numpy(model.get_layer("emb").embeddings_scale)
""", ids=IDS, **{f"w{i}": v for i, v in enumerate(values)})
    down, emb = model.get_layer("down"), model.get_layer("emb")
    np.testing.assert_array_equal(down.kernel.numpy(), ref["down_kernel"])
    np.testing.assert_allclose(down.kernel_scale.numpy(), ref["down_scale"], rtol=1e-6)
    np.testing.assert_allclose(emb.embeddings_scale.numpy(), ref["emb_scale"], rtol=1e-6)
    np.testing.assert_allclose(y_int8, ref["y"], rtol=1e-4, atol=1e-4)
    # Keras's own check: the quantized model's error against the float one is small.
    assert np.mean(np.square(y_int8 - y_float)) < 1e-4
    assert down.dtype_policy.name == "int8_from_float32"
    assert [w.path for w in down.trainable_weights] == ["down/bias"]


def test_int8_file_is_at_most_30_percent_and_loads(tmp_path):
    # Large enough that the weights, not the archive's fixed overhead, set the size.
    model = _model(vocab=400, dim=128, hidden=256)
    float_path, int8_path = str(tmp_path / "f.kfront"), str(tmp_path / "q.kfront")
    model.save(float_path)
    model.quantize("int8")
    expected = model.predict(IDS, verbose=0)
    model.save(int8_path)
    assert os.path.getsize(int8_path) <= 0.3 * os.path.getsize(float_path)
    loaded = keras.models.load_model(int8_path)
    assert loaded.get_layer("up").quantization_mode == "int8"
    assert loaded.get_layer("emb").embeddings.dtype == "int8"
    np.testing.assert_allclose(loaded.predict(IDS, verbose=0), expected, rtol=1e-6, atol=1e-6)
    weights_path = str(tmp_path / "q.weights.h5")
    model.save_weights(weights_path)
    again = _model(seed=5, vocab=400, dim=128, hidden=256)
    again.quantize("int8")
    again.load_weights(weights_path)
    np.testing.assert_allclose(again.predict(IDS, verbose=0), expected, rtol=1e-6, atol=1e-6)


def test_lora_on_int8_trains_and_saves_merged(tmp_path):
    model = _model()
    model.quantize("int8")
    model.get_layer("down").enable_lora(2)
    kernel = model.get_layer("down").kernel.numpy().copy()
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    model.fit(IDS, np.ones((8, 6, 32), "float32"), epochs=2, verbose=0)
    np.testing.assert_array_equal(model.get_layer("down").kernel.numpy(), kernel)
    assert model.get_layer("down").lora_kernel_b.numpy().any()
    expected = model.predict(IDS, verbose=0)
    path = str(tmp_path / "m.weights.h5")
    model.save_weights(path)
    plain = _model(seed=3)
    plain.quantize("int8")
    plain.load_weights(path)  # the LoRA update was merged and quantized again
    np.testing.assert_allclose(plain.predict(IDS, verbose=0), expected, atol=0.02)


def test_quantize_errors_and_unsupported_arguments():
    model = _model()
    with pytest.raises(NotImplementedError, match="mode 'gptq' is not supported: GPTQ"):
        model.quantize("gptq", config=GPTQ())
    with pytest.raises(ValueError, match="For GPTQ, you must pass a `GPTQConfig`"):
        model.quantize("gptq")
    with pytest.raises(ValueError, match="Invalid quantization mode"):
        model.quantize("int3")
    with pytest.raises(ValueError, match="Unrecognized keyword arguments"):
        model.quantize("int8", calibration_data=IDS)
    with pytest.raises(ValueError, match="Contradictory arguments"):
        model.quantize("int8", config=keras.quantizers.Float8QuantizationConfig())
    with pytest.raises(ValueError, match="`filters` argument must be"):
        model.quantize("int8", filters=3)
    model.quantize("int8", filters="down")
    assert model.get_layer("down").quantization_mode == "int8"
    assert model.get_layer("up").quantization_mode is None
    with pytest.raises(ValueError, match="already quantized"):
        model.get_layer("down").quantize("int8")
    unbuilt = keras.layers.Dense(3)
    with pytest.raises(ValueError, match="isn't yet built"):
        unbuilt.quantize("int8")
    with pytest.raises(ValueError, match="already quantized with "
                                         "dtype_policy='int8_from_float32'. Received: "
                                         "mode=int4"):
        model.get_layer("down").quantize("int4")
    with pytest.raises(NotImplementedError, match="Embedding \\(layer 'emb'\\): quantization "
                                                  "mode 'float8' is not supported by this "
                                                  "layer; supported modes: \\['int8', 'int4'\\]"):
        model.get_layer("emb").quantize("float8")
    with pytest.raises(NotImplementedError, match="mode 'float8' is not supported"):
        keras.layers.Embedding(3, 2, dtype="float8_from_float32")
    unbuilt_model = keras.Sequential([keras.layers.Dense(2)])
    with pytest.raises(ValueError, match="Cannot quantize a model that isn't yet built"):
        unbuilt_model.quantize("int4")

    class MyDense(keras.layers.Dense):
        pass

    sub = MyDense(3)
    sub.build((None, 4))
    with pytest.raises(NotImplementedError, match="does not have a `quantize\\(\\)` method"):
        sub.quantize("int8")


def test_weight_only_config_round_trips():
    config = keras.quantizers.Int8QuantizationConfig(activation_quantizer=None)
    model = _model()
    y_float = model.predict(IDS, verbose=0)
    model.quantize(config=config)
    assert model.get_layer("down").inputs_quantizer is None
    assert np.mean(np.square(model.predict(IDS, verbose=0) - y_float)) < 1e-4
    rebuilt = keras.models.Model.from_config(model.get_config())
    assert rebuilt.get_layer("down").inputs_quantizer is None


def test_int8_weight_files_move_between_kfront_and_keras(tmp_path):
    """Keras 3 loads kfront's int8 ``.weights.h5`` and kfront loads Keras's: same layout
    (kernel, bias, kernel_scale; EinsumDense's scale aligned to the output)."""
    model = _model()
    model.quantize("int8")
    path = tmp_path / "q.weights.h5"
    model.save_weights(str(path))
    ref = keras_numbers(MODEL + """
import os, tempfile
model = make(keras)
model.quantize("int8")
with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "k.weights.h5")
    with open(path, "wb") as f:
        f.write(inp["weights"].tobytes())
    model.load_weights(path)
    out["y"] = model.predict(inp["ids"], verbose=0)
    rng = np.random.RandomState(7)
    other = make(keras)
    other.set_weights([rng.uniform(-0.3, 0.3, w.shape).astype("float32")
                       for w in other.weights])
    other.quantize("int8")
    other.save_weights(path)
    out["other_file"] = np.frombuffer(open(path, "rb").read(), np.uint8)
    out["other_y"] = other.predict(inp["ids"], verbose=0)
    other.save(os.path.join(tmp, "k.keras"))
    out["archive"] = np.frombuffer(open(os.path.join(tmp, "k.keras"), "rb").read(), np.uint8)
""", ids=IDS, weights=np.frombuffer(path.read_bytes(), np.uint8))
    np.testing.assert_allclose(model.predict(IDS, verbose=0), ref["y"], rtol=1e-4, atol=1e-4)
    keras_file = tmp_path / "from_keras.weights.h5"
    keras_file.write_bytes(ref["other_file"].tobytes())
    model.load_weights(str(keras_file))
    np.testing.assert_allclose(model.predict(IDS, verbose=0), ref["other_y"], rtol=1e-4,
                               atol=1e-4)
    # A whole quantized Keras 3 archive: its config names the int8 policies.
    archive = tmp_path / "from_keras.keras"
    archive.write_bytes(ref["archive"].tobytes())
    loaded = keras.models.load_model(str(archive))
    assert loaded.get_layer("up").quantization_mode == "int8"
    np.testing.assert_allclose(loaded.predict(IDS, verbose=0), ref["other_y"], rtol=1e-4,
                               atol=1e-4)


def test_einsum_scale_layout_round_trips_for_transposed_outputs():
    layer = keras.layers.EinsumDense("abc,ced->abde",
                                     (6, 3, 4))
    layer.build((None, 6, 5))
    x = np.random.RandomState(1).randn(2, 6, 5).astype("float32")
    y_float = keras.ops.convert_to_numpy(layer(x))
    layer.quantize("int8")
    assert tuple(layer.kernel_scale.shape) == (1, 1, 3, 4)  # output-aligned, as Keras
    np.testing.assert_allclose(keras.ops.convert_to_numpy(layer(x)), y_float, atol=0.05)
