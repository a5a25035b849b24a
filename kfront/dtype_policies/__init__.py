"""``kfront.dtype_policies``: dtype policies (``DTypePolicy`` is the one class that
``kfront.mixed_precision.DTypePolicy``/``Policy`` also name), quantized policies, policy
maps, and ``get``/``serialize``/``deserialize``."""
from kfront.dtype_policies.dtype_policy_map import DTypePolicyMap
from kfront.dtype_policies.quantized import (
    AWQDTypePolicy, GPTQDTypePolicy, Int4DTypePolicy, QuantizedDTypePolicy,
    QuantizedFloat8DTypePolicy, quantized_policy_from_name,
)
from kfront.mixed_precision.dtype_policy import (
    QUANTIZATION_MODES, DTypePolicy, FloatDTypePolicy,
)

_ALL = {cls.__name__: cls for cls in (
    DTypePolicy, FloatDTypePolicy, QuantizedDTypePolicy, QuantizedFloat8DTypePolicy,
    Int4DTypePolicy, GPTQDTypePolicy, AWQDTypePolicy, DTypePolicyMap)}


def serialize(dtype_policy):
    """The Keras config of a policy: ``{"module": ..., "class_name": ..., "config": ...,
    "registered_name": None}``, as Keras writes it."""
    if not isinstance(dtype_policy, DTypePolicy):
        raise TypeError("serialize: expected a DTypePolicy. Received: "
                        f"dtype_policy={dtype_policy!r}")
    # Keras exports the float policies at its top level, the others here.
    module = "keras" if type(dtype_policy) in (DTypePolicy, FloatDTypePolicy) else \
        "keras.dtype_policies"
    return {"module": module, "class_name": type(dtype_policy).__name__,
            "config": dtype_policy.get_config(), "registered_name": None}


def deserialize(config, custom_objects=None):
    """A policy from its ``serialize`` config (``class_name`` among this package's classes
    or ``custom_objects``)."""
    if isinstance(config, str):
        return get(config)
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError("deserialize: expected a dtype policy config with a `class_name`. "
                         f"Received: config={config!r}")
    name = config["class_name"]
    cls = (custom_objects or {}).get(name) or _ALL.get(name)
    if cls is None:
        raise ValueError(f"Unknown dtype policy class {name!r}. Expected one of "
                         f"{sorted(_ALL)} or a class passed in `custom_objects`.")
    if cls is DTypePolicyMap:
        return cls.from_config(config.get("config", {}), custom_objects)
    return cls.from_config(config.get("config", {}))


def get(identifier):
    """A policy from None (the global policy), a policy, a name (``"mixed_float16"``,
    ``"int8_from_float32"``...), a config dict, or a NumPy/engine dtype.

    >>> kfront.dtype_policies.get("mixed_bfloat16").compute_dtype
    'bfloat16'
    """
    if identifier is None:
        from kfront.mixed_precision.policy_state import global_policy
        return global_policy()
    if isinstance(identifier, DTypePolicy):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        if identifier.startswith(QUANTIZATION_MODES):
            return quantized_policy_from_name(identifier)
        return DTypePolicy(identifier)
    from kfront.backend.dtypes import standardize_dtype
    try:
        return DTypePolicy(standardize_dtype(identifier))
    except (TypeError, ValueError):
        raise ValueError("Cannot interpret `dtype` argument. Expected a string or an "
                         f"instance of DTypePolicy. Received: dtype={identifier!r}") from None
