"""``kfront.quantizers``: weight/activation quantizers, quantization configs and the
quantization functions of Keras 3's ``keras.quantizers``."""
from kfront.quantizers.quantization_config import (  # noqa: F401
    Float8QuantizationConfig, Int4QuantizationConfig, Int8QuantizationConfig,
    QuantizationConfig,
)
from kfront.quantizers.quantizers import (  # noqa: F401
    AbsMaxQuantizer, Quantizer, abs_max_quantize, abs_max_quantize_grouped_with_zero_point,
    compute_float8_amax_history, compute_float8_scale, fake_quant_with_min_max_vars, pack_int4,
    quantize_and_dequantize, unpack_int4,
)
from kfront.utils.naming import to_snake_case

_CLASSES = (Quantizer, AbsMaxQuantizer, QuantizationConfig, Int8QuantizationConfig,
            Int4QuantizationConfig, Float8QuantizationConfig)
ALL_OBJECTS_DICT = {cls.__name__: cls for cls in _CLASSES}
ALL_OBJECTS_DICT.update({to_snake_case(cls.__name__): cls for cls in _CLASSES})


def serialize(quantizer):
    """The Keras 3 config of a quantizer or quantization config (None stays None)."""
    if quantizer is None:
        return None
    if not hasattr(quantizer, "get_config"):
        raise ValueError(f"Cannot serialize {quantizer!r}: it has no get_config().")
    config = {k: list(v) if isinstance(v, tuple) else v
              for k, v in quantizer.get_config().items()}
    return {"module": "keras.quantizers", "class_name": type(quantizer).__name__,
            "config": config, "registered_name": None}


def deserialize(config, custom_objects=None):
    """A quantizer or quantization config from its ``serialize`` config."""
    if config is None:
        return None
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError("quantizers.deserialize: expected a dict with 'class_name' and "
                         f"'config'. Received: config={config!r}")
    name = config["class_name"]
    cls = (custom_objects or {}).get(name) or ALL_OBJECTS_DICT.get(name)
    if cls is None:
        from kfront.saving.serialization import resolve_class
        cls = resolve_class(name, config.get("registered_name"), "quantizer", custom_objects)
    inner = dict(config.get("config") or {})
    for key in ("value_range", "axis"):
        if isinstance(inner.get(key), list):
            inner[key] = tuple(inner[key])
    return cls.from_config(inner)


def get(identifier, **kwargs):
    """A quantizer from None, a config dict, a class name (``"AbsMaxQuantizer"`` or
    ``"abs_max_quantizer"``, built with ``kwargs``) or a quantizer object."""
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        obj = deserialize(identifier)
    elif isinstance(identifier, str):
        obj = ALL_OBJECTS_DICT.get(identifier)
    else:
        obj = identifier
    if isinstance(obj, type):
        obj = obj(**kwargs)
    if obj is None or not callable(obj) and not isinstance(obj, QuantizationConfig):
        raise ValueError(f"Could not interpret quantizer identifier: {identifier}")
    return obj
