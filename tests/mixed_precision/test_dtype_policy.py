"""``DTypePolicy``, the global policy, and a layer's ``dtype=`` argument."""
import pytest

import kfront
from kfront import layers
from kfront.mixed_precision import DTypePolicy, Policy


@pytest.fixture(autouse=True)
def reset_policy():
    yield
    kfront.mixed_precision.set_global_policy(None)


@pytest.mark.parametrize("name, compute, variable", [
    ("mixed_float16", "float16", "float32"),
    ("mixed_bfloat16", "bfloat16", "float32"),
    ("float32", "float32", "float32"),
    ("float64", "float64", "float64"),
    ("float16", "float16", "float16"),
])
def test_policy_dtypes(name, compute, variable):
    policy = DTypePolicy(name)
    assert (policy.name, policy.compute_dtype, policy.variable_dtype) == (name, compute, variable)
    assert policy == DTypePolicy.from_config(policy.get_config())
    assert repr(policy) == f'<DTypePolicy "{name}">'
    assert Policy is DTypePolicy


def test_bad_policy_names_are_refused():
    with pytest.raises(ValueError, match=r"Cannot convert 'mixed_float8' to a mixed precision "
                                         r"DTypePolicy\. Valid policies include"):
        DTypePolicy("mixed_float8")
    with pytest.raises(TypeError, match="must be a string"):
        DTypePolicy(16)
    with pytest.raises(ValueError, match=r"Invalid `policy` argument.*policy=3\.5"):
        kfront.mixed_precision.set_global_policy(3.5)
    with pytest.raises(ValueError, match="Cannot convert 'half_float'"):
        layers.Dense(2, dtype="half_float")


def test_global_policy_applies_to_new_layers_only():
    assert kfront.mixed_precision.global_policy().name == "float32"
    before = layers.Dense(2)
    kfront.mixed_precision.set_global_policy("mixed_float16")
    assert kfront.mixed_precision.global_policy() == DTypePolicy("mixed_float16")
    assert kfront.mixed_precision.dtype_policy().name == "mixed_float16"
    after = layers.Dense(2)
    assert before.dtype_policy.name == "float32"
    assert (after.dtype_policy.name, after.compute_dtype, after.variable_dtype, after.dtype) == \
        ("mixed_float16", "float16", "float32", "float32")
    kfront.mixed_precision.set_global_policy(None)
    assert layers.Dense(2).dtype_policy.name == "float32"


@pytest.mark.parametrize("dtype", ["mixed_bfloat16", DTypePolicy("mixed_bfloat16"),
                                   {"class_name": "DTypePolicy",
                                    "config": {"name": "mixed_bfloat16"}}])
def test_layer_dtype_argument_forms(dtype):
    layer = layers.Dense(2, dtype=dtype)
    assert layer.dtype_policy == DTypePolicy("mixed_bfloat16")
    assert layer.compute_dtype == "bfloat16" and layer.dtype == "float32"
    config = layer.get_config()
    assert config["dtype"] == "mixed_bfloat16"
    assert layers.Dense.from_config(config).dtype_policy.name == "mixed_bfloat16"


def test_dtype_policy_is_settable_on_a_layer():
    layer = layers.Dense(2)
    layer.dtype_policy = "mixed_float16"
    assert layer.compute_dtype == "float16"


def test_keras_names_in_the_namespace():
    from kfront import optimizers
    assert kfront.mixed_precision.LossScaleOptimizer is optimizers.LossScaleOptimizer
    assert kfront.mixed_precision.set_dtype_policy is kfront.mixed_precision.set_global_policy
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        kfront.mixed_precision.Nope
