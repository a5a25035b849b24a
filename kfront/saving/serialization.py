"""Objects to JSON-friendly configs and back, naming only classes the registry knows.

A config is ``{"module", "class_name", "config", "registered_name"}`` as in Keras 3. On
load ``module`` is informative only: nothing is ever imported by name. Python code
(a ``Lambda``'s function) is stored as marshalled bytecode and refused unless the caller
passes ``safe_mode=False``.
"""
import base64
import inspect
import marshal
import threading
import types
import warnings

from kfront.saving import registry

_state = threading.local()

# Arguments Keras 3 writes that kfront does not take; dropped when unset.
_KERAS_ONLY_KEYS = frozenset({"quantization_config", "ragged", "optional", "input_axes",
                              "output_axes", "shared_object_id", "lora_alpha"})
# The ``module`` written for each kind: Keras 3's public module names, so Keras 3 reads the
# files kfront writes. kfront itself never reads it.
_MODULES = {"layer": "keras.layers", "optimizer": "keras.optimizers",
            "initializer": "keras.initializers", "regularizer": "keras.regularizers",
            "loss": "keras.losses", "metric": "keras.metrics",
            "schedule": "keras.optimizers.schedules", "constraint": "keras.constraints"}


# Set by kfront.config.enable_unsafe_deserialization: overrides every safe_mode=True.
_global_unsafe = [False]


def set_global_unsafe(value):
    _global_unsafe[0] = bool(value)


def in_safe_mode():
    return getattr(_state, "safe_mode", True) and not _global_unsafe[0]


class SafeModeScope:
    """Sets the safe mode (and custom objects) of the loading in progress."""

    def __init__(self, safe_mode=True, custom_objects=None):
        self.safe_mode = (True if safe_mode is None else bool(safe_mode)) and \
            not _global_unsafe[0]
        self.custom_objects = dict(custom_objects or {})

    def __enter__(self):
        self._previous = (getattr(_state, "safe_mode", True), getattr(_state, "custom", {}))
        _state.safe_mode = self.safe_mode
        _state.custom = {**self._previous[1], **self.custom_objects}
        return self

    def __exit__(self, *exc):
        _state.safe_mode, _state.custom = self._previous


def _custom():
    return getattr(_state, "custom", {})


def check_declared_arguments(fn, arguments, what):
    """In safe mode, keyword arguments a config gives a function must be ones the function
    names in its signature. A file may name a registered function; it must not also pick
    arguments that only a ``**kwargs`` catch-all would take (and pass on to who knows what).
    """
    if not arguments or not in_safe_mode():
        return
    name = getattr(fn, "__name__", type(fn).__name__)
    try:
        parameters = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        raise ValueError(f"{what}: the config passes arguments {sorted(arguments)} to {name!r}, "
                         "whose signature cannot be read; refused in safe mode.") from None
    named = {n for n, p in parameters.items()
             if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}
    extra = sorted(str(k) for k in arguments if k not in named)
    if extra:
        raise ValueError(f"{what}: the config passes {extra} to {name!r}, which does not declare "
                         f"them (its named arguments: {sorted(named)}). Refused in safe mode; "
                         "pass safe_mode=False if you trust the file.")


# ---- serializing ----
def serialize_object(obj, kind="layer"):
    """The Keras 3 style config of a layer, optimizer, loss, metric, initializer, ..."""
    if obj is None:
        return None
    if isinstance(obj, type) or not hasattr(obj, "get_config"):
        if callable(obj):
            return serialize_function(obj)
        raise ValueError(f"Cannot serialize {obj!r}: it has no get_config().")
    cls = type(obj)
    registered = registry.registered_key(cls)
    config = obj.get_config()
    from kfront.layers.core.lambda_layer import Lambda
    if isinstance(obj, Lambda):
        config = dict(config, function=serialize_function(obj.function))
    out = {"module": _MODULES.get(kind, "kfront"), "class_name": cls.__name__,
           "config": to_json_value(config),
           "registered_name": registered}
    return out


def serialize_function(fn):
    """A registered or built-in function by name; any other function as bytecode."""
    registered = registry.registered_key(fn)
    if registered:
        return {"class_name": "function", "config": registered, "registered_name": registered}
    import kfront
    name = getattr(fn, "__name__", None)
    for module in (kfront.activations, kfront.losses, kfront.metrics):
        if name and getattr(module, name, None) is fn:
            return {"module": module.__name__.replace("kfront.", "keras."),
                    "class_name": "function", "config": name,
                    "registered_name": None}
    if isinstance(fn, types.FunctionType):
        code = base64.b64encode(marshal.dumps(fn.__code__)).decode("ascii")
        defaults = fn.__defaults__
        return {"class_name": "__lambda__",
                "config": {"code": code, "defaults": to_json_value(list(defaults))
                           if defaults else None, "name": fn.__name__}}
    raise ValueError(f"Cannot serialize {fn!r}: register it with "
                     "kfront.saving.register_serializable().")


def to_json_value(value):
    """``value`` with tuples as lists, NumPy scalars as Python numbers and nested objects as
    configs; raises ValueError for anything else."""
    import numpy as np
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (np.integer, np.floating, np.bool_)):
        return value.item()
    if isinstance(value, dict):
        return {str(k): to_json_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json_value(v) for v in value]
    if isinstance(value, slice):
        return {"class_name": "__slice__", "config": {
            "start": to_json_value(value.start), "stop": to_json_value(value.stop),
            "step": to_json_value(value.step)}}
    if isinstance(value, np.ndarray) and value.size <= 1024:
        return {"class_name": "__numpy__", "config": {"value": value.tolist(),
                                                      "dtype": str(value.dtype)}}
    if hasattr(value, "get_config"):
        return serialize_object(value, kind=_kind_of(value))
    if callable(value):
        return serialize_function(value)
    raise ValueError(f"Cannot serialize value {value!r} of type {type(value).__name__}.")


def _kind_of(obj):
    import kfront
    for kind, base in (("layer", kfront.layers.Layer), ("optimizer", kfront.optimizers.Optimizer),
                       ("initializer", kfront.initializers.Initializer),
                       ("regularizer", kfront.regularizers.Regularizer),
                       ("loss", kfront.losses.Loss), ("metric", kfront.metrics.Metric)):
        if isinstance(obj, base):
            return kind
    return "schedule" if callable(obj) else "object"


# ---- deserializing ----
def resolve_class(class_name, registered_name=None, kind="layer", custom_objects=None):
    """The class (or function) a config names; ValueError when it is unknown."""
    custom = {**_custom(), **(custom_objects or {})}
    for name in (registered_name, class_name):
        if isinstance(name, str):
            obj = registry.get_registered_object(name, custom)
            if obj is not None:
                return obj
    if not isinstance(class_name, str):
        raise ValueError(f"Invalid {kind} config: 'class_name' must be a string, received "
                         f"{class_name!r}.")
    table = registry.builtin_table(kind)
    if class_name in table:
        return table[class_name]
    if class_name.startswith("Custom>") and class_name[7:] in table:
        # tf.keras writes its own optimizers as "Custom>Adam".
        return table[class_name[7:]]
    raise ValueError(
        f"Unknown {kind}: {class_name!r}. Only built-in kfront classes and custom objects can "
        "be loaded: register the class with @kfront.saving.register_serializable(), or pass "
        f"custom_objects={{{class_name!r}: ...}} (or use kfront.saving.custom_object_scope).")


def deserialize_object(config, kind="layer", custom_objects=None):
    """The object described by a Keras-3-style (or Keras 2 style) config."""
    if config is None:
        return None
    if isinstance(config, str):
        return resolve_class(config, None, kind, custom_objects)
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(f"Invalid {kind} config: expected a dict with 'class_name' and "
                         f"'config', received {str(config)[:200]!r}.")
    class_name = config["class_name"]
    if class_name in ("__lambda__", "function") or class_name == "__passive_serialization__":
        return deserialize_function(config, custom_objects)
    inner = config.get("config") or {}
    if not isinstance(inner, dict):
        raise ValueError(f"Invalid {kind} config for {class_name!r}: 'config' must be a dict.")
    cls = resolve_class(class_name, config.get("registered_name"), kind, custom_objects)
    if not isinstance(inner.get("layers"), list):
        # A model's layer list is rebuilt entry by entry, in its from_config.
        inner = clean_config(inner, custom_objects)
    from kfront.layers.core.lambda_layer import Lambda
    from kfront.layers.core.op_layer import OpLayer
    if isinstance(cls, type) and issubclass(cls, Lambda):
        if not callable(inner.get("function")):
            inner["function"] = deserialize_function(inner.get("function"), custom_objects)
        inner = {k: v for k, v in inner.items() if k in _LAMBDA_KEYS}
    if isinstance(cls, type) and issubclass(cls, OpLayer):
        return _op_layer(cls, inner)
    if not isinstance(cls, type):
        return cls
    try:
        if hasattr(cls, "from_config"):
            obj = cls.from_config(inner)
        else:
            obj = cls(**inner)
    except (TypeError, ValueError, KeyError, AttributeError, IndexError, OverflowError) as e:
        named = f" {inner['name']!r}" if isinstance(inner.get("name"), str) else ""
        raise ValueError(f"Could not rebuild {kind} {class_name!r}{named} from its config: "
                         f"{type(e).__name__ + ': ' if not isinstance(e, ValueError) else ''}"
                         f"{e}") from e
    build = config.get("build_config")
    if kind == "layer" and isinstance(build, dict) and not getattr(obj, "built", True):
        shape = build.get("input_shape")
        if shape is not None:
            try:
                obj.build(_shape_tuple(shape))
                obj.built = True
            except Exception:  # noqa: BLE001 - a layer built on first call is fine too
                pass
    return obj


_LAMBDA_KEYS = {"function", "output_shape", "mask", "arguments", "name", "trainable", "dtype"}


def _shape_tuple(shape):
    if isinstance(shape, list) and shape and isinstance(shape[0], list):
        return [tuple(s) for s in shape]
    return tuple(shape)


def _op_layer(cls, config):
    from kfront import ops
    name = config.get("op_name")
    op = getattr(ops, name, None) if isinstance(name, str) and not name.startswith("_") \
        else None
    if not callable(op):
        raise ValueError(f"Unknown op in a saved graph: {name!r} is not a kfront.ops function.")
    kwargs = {k: v for k, v in config.items() if k in ("name", "trainable", "dtype")}
    return cls(name, op, **kwargs)


def deserialize_function(config, custom_objects=None):
    """A function from its config: by name (built-in or registered), or bytecode (unsafe)."""
    if config is None:
        return None
    if isinstance(config, str):
        config = {"class_name": "function", "config": config}
    if not isinstance(config, dict):
        raise ValueError(f"Invalid function config: {str(config)[:200]!r}.")
    if config.get("class_name") == "__lambda__":
        if in_safe_mode():
            raise ValueError(
                "Requested the deserialization of a Python lambda/function stored as code. "
                "This carries a potential risk of arbitrary code execution and is disallowed "
                "in safe_mode (the default). Pass safe_mode=False to load it if you trust "
                "the source of the file.")
        warnings.warn("Loading a Python function from its bytecode (safe_mode=False): only do "
                      "this with files you trust.", UserWarning, stacklevel=3)
        inner = config.get("config") or {}
        code = marshal.loads(base64.b64decode(inner["code"]))
        defaults = inner.get("defaults")
        return types.FunctionType(code, _function_globals(),
                                  inner.get("name") or "lambda",
                                  tuple(defaults) if defaults else None)
    name = config.get("registered_name") or config.get("config")
    custom = {**_custom(), **(custom_objects or {})}
    for key in (config.get("registered_name"), config.get("config")):
        if isinstance(key, str):
            obj = registry.get_registered_object(key, custom)
            if obj is not None:
                return obj
    import kfront
    plain = config.get("config")
    if isinstance(plain, str) and not plain.startswith("_"):
        for module in (kfront.activations, kfront.losses, kfront.metrics, kfront.ops):
            fn = getattr(module, plain, None)
            if callable(fn) and not isinstance(fn, type) and not inspect.ismodule(fn):
                return fn
    raise ValueError(f"Unknown function {name!r}: register it with "
                     "@kfront.saving.register_serializable() or pass it in custom_objects=.")


def _function_globals():
    import kfront
    return {"kfront": kfront, "keras": kfront, "ops": kfront.ops, "__builtins__": __builtins__}


def clean_config(config, custom_objects=None):
    """A layer config ready for ``from_config``: Keras-only unset keys dropped, custom
    objects named in it resolved, ``__numpy__``/``__slice__`` values rebuilt."""
    out = {}
    for key, value in config.items():
        if key in _KERAS_ONLY_KEYS and not value:
            continue
        out[key] = _clean_value(value, custom_objects)
    return out


def _clean_value(value, custom_objects):
    if isinstance(value, list):
        return [_clean_value(v, custom_objects) for v in value]
    if not isinstance(value, dict):
        if isinstance(value, str) and value:
            custom = {**_custom(), **(custom_objects or {})}
            obj = registry.get_registered_object(value, custom)
            if obj is not None and not isinstance(obj, type):
                return obj
        return value
    name = value.get("class_name")
    if name == "__slice__":
        c = value.get("config") or {}
        return slice(c.get("start"), c.get("stop"), c.get("step"))
    if name == "__numpy__":
        import numpy as np
        c = value.get("config") or {}
        return np.asarray(c.get("value"), dtype=_safe_dtype(c.get("dtype")))
    if name in ("__lambda__", "function"):
        return deserialize_function(value, custom_objects)
    if isinstance(name, str) and isinstance(value.get("config"), (dict, type(None))):
        custom = {**_custom(), **(custom_objects or {})}
        cls = None
        for key in (value.get("registered_name"), name):
            if isinstance(key, str):
                cls = cls or registry.get_registered_object(key, custom)
        if cls is not None:
            inner = clean_config(value.get("config") or {}, custom_objects)
            return cls.from_config(inner) if hasattr(cls, "from_config") else cls(**inner)
        return {**value, "config": clean_config(value.get("config") or {}, custom_objects)}
    return {k: _clean_value(v, custom_objects) for k, v in value.items()}


def _safe_dtype(name):
    allowed = {"float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8",
               "uint16", "uint32", "uint64", "bool"}
    if name not in allowed:
        raise ValueError(f"Unsupported dtype in a saved config: {name!r}.")
    return name
