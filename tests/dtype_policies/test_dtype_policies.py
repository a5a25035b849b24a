"""kfront.dtype_policies: one DTypePolicy class shared with kfront.mixed_precision,
quantized policies parsed and serialized as keras 3.15 does (values recorded from keras),
DTypePolicyMap lookups, quantized policies and policy maps as a layer's dtype, and other
layers refusing quantized compute with a clear error."""
import numpy as np
import pytest

import kfront as keras
from kfront import dtype_policies as dp


def test_one_policy_class_under_every_keras_name():
    assert keras.mixed_precision.DTypePolicy is dp.DTypePolicy
    assert keras.mixed_precision.Policy is dp.DTypePolicy
    assert keras.DTypePolicy is dp.DTypePolicy and keras.FloatDTypePolicy is dp.FloatDTypePolicy
    assert issubclass(dp.FloatDTypePolicy, dp.DTypePolicy)
    assert dp.FloatDTypePolicy("float16") == dp.DTypePolicy("float16")
    assert repr(dp.FloatDTypePolicy("float16")) == '<DTypePolicy "float16">'
    policy = dp.get("mixed_float16")
    assert (policy.compute_dtype, policy.variable_dtype) == ("float16", "float32")
    assert dp.get(None) == keras.mixed_precision.global_policy()
    assert dp.get(np.float64).name == "float64"


@pytest.mark.parametrize("name, cls, compute, variable, mode, config", [
    ("int8_from_float32", "QuantizedDTypePolicy", "float32", "float32", "int8",
     {"mode": "int8", "source_name": "float32"}),
    ("int8_from_mixed_bfloat16", "QuantizedDTypePolicy", "bfloat16", "float32", "int8",
     {"mode": "int8", "source_name": "mixed_bfloat16"}),
    ("float8_from_bfloat16", "QuantizedFloat8DTypePolicy", "bfloat16", "bfloat16", "float8",
     {"mode": "float8", "source_name": "bfloat16", "amax_history_length": 1024}),
    ("int4_from_float32", "QuantizedDTypePolicy", "float32", "float32", "int4",
     {"mode": "int4", "source_name": "float32"}),
    ("int4/128_from_float32", "Int4DTypePolicy", "float32", "float32", "int4",
     {"mode": "int4/128", "source_name": "float32"}),
    ("gptq/4/128_from_float32", "GPTQDTypePolicy", "float32", "float32", "gptq",
     {"mode": "gptq/4/128", "source_name": "float32"}),
    ("awq/4/-1_from_mixed_bfloat16", "AWQDTypePolicy", "bfloat16", "float32", "awq",
     {"mode": "awq/4/-1", "source_name": "mixed_bfloat16"}),
])
def test_quantized_policies_match_keras(name, cls, compute, variable, mode, config):
    policy = dp.get(name)
    assert type(policy) is getattr(dp, cls)
    assert (policy.name, policy.compute_dtype, policy.variable_dtype) == (name, compute,
                                                                          variable)
    assert policy.quantization_mode == mode and policy.get_config() == config
    assert repr(policy) == f'<{cls} "{name}">'
    serialized = dp.serialize(policy)
    assert serialized == {"module": "keras.dtype_policies", "class_name": cls,
                          "config": config, "registered_name": None}
    assert dp.deserialize(serialized) == policy
    assert policy != dp.DTypePolicy(compute)


@pytest.mark.parametrize("make, error, match", [
    (lambda: dp.QuantizedDTypePolicy("int2", "float32"), ValueError,
     "Invalid quantization mode"),
    (lambda: dp.QuantizedDTypePolicy("int8", "float16"), ValueError,
     "doesn't work well with compute_dtype='float16'"),
    (lambda: dp.Int4DTypePolicy("int4", "float32"), ValueError,
     "Expected format 'int4/<block_size>'"),
    (lambda: dp.Int4DTypePolicy("int4/x", "float32"), ValueError, "must be integers"),
    (lambda: dp.Int4DTypePolicy("int4/0", "float32"), ValueError, "Invalid block_size"),
    (lambda: dp.GPTQDTypePolicy("gptq/5/128", "float32"), ValueError,
     "Invalid weight_bits"),
    (lambda: dp.AWQDTypePolicy("awq/8/128", "float32"), ValueError, "Invalid weight_bits"),
    (lambda: dp.QuantizedFloat8DTypePolicy("float8", "float32", 2.5), TypeError,
     "`amax_history_length` must be an integer"),
    (lambda: dp.get("int8_float32"), ValueError, "valid pair"),
    (lambda: dp.get([1]), ValueError, "Cannot interpret `dtype` argument"),
    (lambda: dp.deserialize({"class_name": "Nope", "config": {}}), ValueError,
     "Unknown dtype policy class 'Nope'"),
])
def test_bad_policies_are_refused(make, error, match):
    with pytest.raises(error, match=match):
        make()


def test_policy_map_lookups_and_round_trip():
    policy_map = dp.DTypePolicyMap(default_policy="float32")
    policy_map["encoder/layer_0/dense"] = "bfloat16"
    policy_map["encoder/.*"] = dp.DTypePolicy("float16")
    policy_map["decoder"] = "int8_from_float32"
    assert policy_map["encoder/layer_0/dense"].name == "bfloat16"
    assert policy_map["encoder/attention/query"].name == "float16"
    assert policy_map["decoder"].quantization_mode == "int8"
    assert policy_map["decoder/attention"].name == "float32"
    assert policy_map.name == "map_float32" and policy_map.compute_dtype == "float32"
    assert len(policy_map) == 3 and "decoder" in policy_map
    restored = dp.deserialize(dp.serialize(policy_map))
    assert isinstance(restored, dp.DTypePolicyMap) and restored == policy_map
    with pytest.raises(ValueError, match="already exist in the DTypePolicyMap"):
        policy_map["decoder"] = "float32"
    policy_map["encoder/attention/.*"] = "bfloat16"
    with pytest.raises(ValueError, match="matches multiple dtype policy specification keys"):
        policy_map["encoder/attention/query"]
    with pytest.raises(ValueError, match="Cannot interpret the assigned value"):
        policy_map["other"] = 3.5
    with pytest.raises(ValueError, match="`default_policy` cannot be a `DTypePolicyMap`"):
        dp.DTypePolicyMap(policy_map)
    with pytest.raises(TypeError, match="`policy_map` must be a dict"):
        dp.DTypePolicyMap(policy_map=[1])
    del policy_map["decoder"]
    assert policy_map["decoder"].name == "float32"
    unset = dp.DTypePolicyMap()
    assert unset.default_policy == keras.mixed_precision.global_policy()


def test_layers_take_policies_and_names_and_refuse_quantized_compute():
    x = np.ones((2, 3), "float32")
    layer = keras.layers.Dense(2, dtype=dp.DTypePolicy("mixed_bfloat16"))
    assert layer.compute_dtype == "bfloat16" and layer.variable_dtype == "float32"
    assert keras.backend.standardize_dtype(layer(x).dtype) == "bfloat16"
    assert keras.layers.Dense(2, dtype="float64").dtype_policy.name == "float64"
    assert keras.layers.Dense(2, dtype=dp.FloatDTypePolicy("float16")).compute_dtype == \
        "float16"
    # Dense, EinsumDense and Embedding take quantized policies; the other layers refuse them.
    assert keras.layers.Dense(2, dtype="int8_from_float32").quantization_mode == "int8"
    with pytest.raises(NotImplementedError, match="does not compute with quantized weights: "
                                                  "received dtype policy "
                                                  "'int8_from_float32'"):
        keras.layers.Conv1D(2, 3, dtype="int8_from_float32")


def _round_trip(layer):
    return type(layer).from_config(layer.get_config())


def test_quantized_policies_as_a_layer_dtype_build_the_quantized_variables():
    int8 = keras.layers.Dense(4, dtype="int8_from_float32")
    int8.build((None, 6))
    assert [(w.name, w.dtype) for w in int8.weights] == [
        ("kernel", "int8"), ("kernel_scale", "float32"), ("bias", "float32")]
    grouped = keras.layers.EinsumDense("ab,bc->ac", 5, dtype="int4/4_from_float32")
    grouped.build((None, 8))
    assert {w.name: tuple(w.shape) for w in grouped.weights} == {
        "kernel": (8, 3), "kernel_scale": (2, 5), "kernel_zero": (2, 5), "g_idx": (8,)}
    policy = dp.QuantizedFloat8DTypePolicy("float8", "float32", amax_history_length=16)
    float8 = keras.layers.Dense(4, dtype=policy)
    float8.build((None, 6))
    assert tuple(float8.inputs_amax_history.shape) == (16,)
    assert float8.kernel.trainable and float8.inputs_scale.overwrite_with_gradient
    config = float8.get_config()
    assert config["dtype"] == dp.serialize(policy)
    again = _round_trip(float8)
    assert again.dtype_policy == policy and again.dtype_policy.amax_history_length == 16
    x = np.random.RandomState(0).randn(3, 6).astype("float32")
    again.build((None, 6))
    again.set_weights(float8.get_weights())
    np.testing.assert_allclose(keras.ops.convert_to_numpy(again(x)),
                               keras.ops.convert_to_numpy(float8(x)))
    # A quantized policy on a built float layer quantizes it (as Keras does).
    layer = keras.layers.Dense(3)
    layer.build((None, 6))
    layer.dtype_policy = "int8_from_float32"
    assert layer.kernel.dtype == "int8" and layer.quantization_mode == "int8"


def test_policy_map_as_a_layer_dtype_gives_each_layer_its_policy(tmp_path):
    policy_map = dp.DTypePolicyMap(default_policy="float32", policy_map={
        "q": "int8_from_float32", "half": "mixed_bfloat16"})
    inp = keras.Input((6,))
    q = keras.layers.Dense(4, name="q", dtype=policy_map)
    half = keras.layers.Dense(4, name="half", dtype=policy_map)
    plain = keras.layers.Dense(2, name="plain", dtype=policy_map)
    model = keras.Model(inp, plain(keras.ops.add(q(inp), half(inp))))
    assert q.quantization_mode == "int8" and q.kernel.dtype == "int8"
    assert half.compute_dtype == "bfloat16" and half.variable_dtype == "float32"
    assert plain.dtype_policy.name == "float32"
    config = q.get_config()["dtype"]
    assert config["class_name"] == "DTypePolicyMap"
    assert _round_trip(q).quantization_mode == "int8"
    rng = np.random.RandomState(1)
    model.set_weights([rng.uniform(-1, 1, w.shape).astype(w.dtype) if w.dtype != "int8"
                       else rng.randint(-127, 128, w.shape).astype("int8")
                       for w in model.weights])
    x = rng.randn(3, 6).astype("float32")
    path = str(tmp_path / "m.kfront")
    model.save(path)
    loaded = keras.models.load_model(path)
    assert loaded.get_layer("q").quantization_mode == "int8"
    assert loaded.get_layer("half").compute_dtype == "bfloat16"
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0),
                               rtol=1e-6)
    # Quantizing a layer that holds a map writes its new policy into the map.
    plain_map = dp.DTypePolicyMap(default_policy="float32")
    layer = keras.layers.Dense(2, name="later", dtype=plain_map)
    layer.build((None, 3))
    layer.quantize("int4")
    assert plain_map["later"].name == "int4/128_from_float32"
