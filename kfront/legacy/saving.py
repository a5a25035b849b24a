"""``keras.legacy.saving``: Keras 2's ``serialize_keras_object`` / ``deserialize_keras_object``.

Keras 2 configs are ``{"class_name": ..., "config": {...}}`` with no module or registered
name; objects are found in ``custom_objects``, then ``module_objects``, then kfront's own.
"""
from kfront.saving.serialization import resolve_class

__all__ = ["serialize_keras_object", "deserialize_keras_object"]

# Keras 2 callers name what they load ("optimizer", "loss"...): kfront's built-ins of that kind.
_KINDS = frozenset({"layer", "optimizer", "initializer", "regularizer", "loss", "metric",
                    "constraint"})


def serialize_keras_object(instance):
    """The Keras 2 config of ``instance``: ``{"class_name", "config"}``.

    >>> serialize_keras_object(kfront.layers.Dense(2))["class_name"]
    'Dense'
    """
    if instance is None:
        return None
    if not hasattr(instance, "get_config"):
        name = getattr(instance, "__name__", None)
        if name is None:
            raise ValueError(f"Cannot serialize {instance!r}: it has no `get_config()` and "
                             "no `__name__`.")
        return name
    return {"class_name": type(instance).__name__, "config": instance.get_config()}


def deserialize_keras_object(identifier, module_objects=None, custom_objects=None,
                             printable_module_name="object"):
    """The object a Keras 2 config (or a name) describes.

    Args:
        identifier: a ``{"class_name", "config"}`` dict, or the name of a function/class.
        module_objects: a dict of names to look the class or function up in.
        custom_objects: a dict of user classes/functions, searched first.
        printable_module_name: what the object is, for error messages.
    """
    if identifier is None:
        return None
    lookup = {**(module_objects or {}), **(custom_objects or {})}
    if isinstance(identifier, str):
        if identifier in lookup:
            return lookup[identifier]
        raise ValueError(f"Unknown {printable_module_name}: {identifier!r}. Pass it in "
                         "`custom_objects` or `module_objects`.")
    if not isinstance(identifier, dict) or "class_name" not in identifier:
        raise ValueError(f"Could not interpret serialized {printable_module_name}: "
                         f"{identifier!r} (expected a dict with 'class_name' and 'config').")
    name, config = identifier["class_name"], identifier.get("config", {})
    cls = lookup.get(name)
    if cls is None:
        kind = printable_module_name if printable_module_name in _KINDS else "layer"
        cls = resolve_class(name, kind=kind, custom_objects=custom_objects)
    if hasattr(cls, "from_config"):
        return cls.from_config(config)
    return cls(**config)
