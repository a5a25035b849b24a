"""kfront.dtype_policies: one DTypePolicy class shared with kfront.mixed_precision,
quantized policies parsed and serialized as keras 3.15 does (values recorded from keras),
DTypePolicyMap lookups, and layers refusing quantized compute with a clear error."""
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
    # Dense, EinsumDense and Embedding run int8 policies (tests/quantizers); the others not.
    assert keras.layers.Dense(2, dtype="int8_from_float32").quantization_mode == "int8"
    with pytest.raises(NotImplementedError, match="quantization mode 'int4' is not supported"):
        keras.layers.Dense(2, dtype="int4/-1_from_float32")
    with pytest.raises(NotImplementedError, match="do not compute with quantized weights "
                                                  "yet: received dtype policy "
                                                  "'int8_from_float32'"):
        keras.layers.Conv1D(2, 3, dtype="int8_from_float32")
    with pytest.raises(NotImplementedError, match="do not take a DTypePolicyMap"):
        keras.layers.Dense(2, dtype=dp.DTypePolicyMap("float32"))
