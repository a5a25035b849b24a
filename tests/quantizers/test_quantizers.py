"""kfront.quantizers against NumPy and the installed Keras 3 on the same inputs."""
import numpy as np
import pytest

import kfront as keras
from kfront import ops, quantizers
from tests.keras_reference import keras_numbers

RNG = np.random.RandomState(0)
X = RNG.randn(6, 5).astype("float32")


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def test_abs_max_quantize_matches_numpy_on_device_and_host():
    scale = 127.0 / (np.abs(X).max(axis=0, keepdims=True) + 1e-7)
    expected = np.clip(np.round(X * scale), -127, 127).astype("int8")
    for to_numpy in (False, True):
        q, s = quantizers.abs_max_quantize(X, axis=0, to_numpy=to_numpy)
        assert ops.dtype(q) == "int8"
        np.testing.assert_array_equal(_np(q), expected)
        np.testing.assert_allclose(_np(s), scale, rtol=1e-6)


def test_quantizers_match_keras():
    ref = keras_numbers("""
q, s = keras.quantizers.AbsMaxQuantizer(value_range=(-8, 7))(inp["x"], axis=-1)
out["q"], out["s"] = keras.ops.convert_to_numpy(q), keras.ops.convert_to_numpy(s)
g, gs, gz = keras.quantizers.abs_max_quantize_grouped_with_zero_point(inp["x"], 4,
                                                                      to_numpy=True)
out["g"], out["gs"], out["gz"] = [keras.ops.convert_to_numpy(v) for v in (g, gs, gz)]
out["fq"] = keras.ops.convert_to_numpy(keras.quantizers.fake_quant_with_min_max_vars(
    inp["x"], -1.0, 1.5, num_bits=4))
out["fqc"] = keras.ops.convert_to_numpy(keras.quantizers.fake_quant_with_min_max_vars(
    inp["x"], -np.ones(5, "float32"), np.linspace(0.5, 2, 5).astype("float32"), axis=-1))
out["sc"] = keras.ops.convert_to_numpy(keras.quantizers.compute_float8_scale(
    np.float32(3.0), np.float32(0.5), np.float32(448.0), margin=1))
out["hist"] = keras.ops.convert_to_numpy(keras.quantizers.compute_float8_amax_history(
    inp["x"], np.arange(4, dtype="float32")))
out["qd"] = keras.ops.convert_to_numpy(keras.quantizers.quantize_and_dequantize(
    inp["x"] * 100, np.float32(0.1), "float8_e4m3fn", "float32"))
""", x=X)
    q, s = quantizers.AbsMaxQuantizer(value_range=(-8, 7))(X, axis=-1)
    np.testing.assert_array_equal(_np(q), ref["q"])
    np.testing.assert_allclose(_np(s), ref["s"], rtol=1e-6)
    g, gs, gz = quantizers.abs_max_quantize_grouped_with_zero_point(X, 4)
    np.testing.assert_array_equal(_np(g), ref["g"])
    np.testing.assert_allclose(_np(gs), ref["gs"], rtol=1e-6)
    np.testing.assert_array_equal(_np(gz), ref["gz"])
    np.testing.assert_allclose(_np(quantizers.fake_quant_with_min_max_vars(
        X, -1.0, 1.5, num_bits=4)), ref["fq"], atol=1e-6)
    np.testing.assert_allclose(_np(quantizers.fake_quant_with_min_max_vars(
        X, -np.ones(5, "float32"), np.linspace(0.5, 2, 5).astype("float32"), axis=-1)),
        ref["fqc"], atol=1e-6)
    np.testing.assert_allclose(_np(quantizers.compute_float8_scale(
        np.float32(3.0), np.float32(0.5), np.float32(448.0), margin=1)), ref["sc"], rtol=1e-6)
    np.testing.assert_allclose(_np(quantizers.compute_float8_amax_history(
        X, np.arange(4, dtype="float32"))), ref["hist"])
    # Every engine, torch included (float8 rounding is written from kfront ops).
    np.testing.assert_allclose(_np(quantizers.quantize_and_dequantize(
        X * 100, np.float32(0.1), "float8_e4m3fn", "float32")), ref["qd"], rtol=1e-6)


def test_fake_quant_gradient_passes_inside_the_range():
    x = np.array([-2.0, -0.5, 0.25, 3.0], "float32")
    lo, hi = np.float32(-1.0), np.float32(1.0)
    out = _np(quantizers.fake_quant_with_min_max_vars(x, lo, hi))
    # Clipped at the nudged range; inside it a multiple of the step 2/255.
    assert out[0] == pytest.approx(out.min()) and out[-1] == pytest.approx(out.max())
    assert np.allclose(np.round((out - out.min()) / (2 / 255)), (out - out.min()) / (2 / 255),
                       atol=1e-3)


def test_pack_and_unpack_int4_as_keras_documents():
    original = np.array([[-3, 7], [2, -8], [1, 0]], dtype=np.int8)
    packed, shape, n = quantizers.pack_int4(original, axis=0)
    np.testing.assert_array_equal(_np(packed), [[45, -121], [1, 0]])
    assert shape == (2, 2) and n == 3
    np.testing.assert_array_equal(_np(quantizers.unpack_int4(packed, n, axis=0)), original)
    wide = np.array([[-3, 7, 2], [-8, 1, 0]], dtype=np.int8)
    packed, _, n = quantizers.pack_int4(wide, axis=1)
    np.testing.assert_array_equal(_np(packed), [[125, 2], [24, 0]])
    np.testing.assert_array_equal(_np(quantizers.unpack_int4(packed, n, axis=1)), wide)
    with pytest.raises(TypeError, match="expected a int8 tensor"):
        quantizers.pack_int4(wide.astype("int32"))
    with pytest.raises(ValueError, match="'int8' or 'uint8'"):
        quantizers.unpack_int4(packed, 3, dtype="int4")


def test_configs_serialize_get_and_errors():
    config = quantizers.Int8QuantizationConfig(
        weight_quantizer=quantizers.AbsMaxQuantizer(axis=0), activation_quantizer=None)
    data = quantizers.serialize(config)
    assert data["class_name"] == "Int8QuantizationConfig"
    back = quantizers.deserialize(data)
    assert back.mode == "int8" and back.activation_quantizer is None
    assert back.weight_quantizer.axis == (0,)
    assert quantizers.Int4QuantizationConfig(block_size=-1).get_config()["block_size"] == -1
    assert quantizers.Float8QuantizationConfig().mode == "float8"
    assert isinstance(quantizers.get("abs_max_quantizer"), quantizers.AbsMaxQuantizer)
    assert quantizers.get(None) is None
    with pytest.raises(ValueError, match="Could not interpret quantizer identifier"):
        quantizers.get("nope")
    with pytest.raises(ValueError, match=r"within the interval \[-128, 127\]"):
        quantizers.AbsMaxQuantizer(value_range=(-300, 300))
    with pytest.raises(ValueError, match="block_size must be None, -1, or a positive"):
        quantizers.Int4QuantizationConfig(block_size=0)
    with pytest.raises(ValueError, match="value_range=\\(-8, 7\\)"):
        quantizers.Int4QuantizationConfig(weight_quantizer=quantizers.AbsMaxQuantizer(),
                                          block_size=None)
    with pytest.raises(NotImplementedError, match="Do not instantiate"):
        quantizers.QuantizationConfig().mode
    assert keras.Quantizer is quantizers.Quantizer
