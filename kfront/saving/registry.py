"""Which classes a saved file may name: kfront's built-ins and objects the caller registered.

A file never names a module to import. Class names are looked up, in order, in the
``custom_objects`` passed to the loading call, the active ``custom_object_scope``s,
``register_serializable`` registrations, then kfront's public built-in names (read from the
packages at lookup time, so layers added to ``kfront.layers`` later are found too).
"""
import threading

_REGISTERED = {}  # "package>Name" -> object
_REGISTERED_BY_OBJECT = {}  # id(object) -> "package>Name"
_scopes = threading.local()


def register_serializable(package="Custom", name=None):
    """Decorator: makes a class (or function) loadable from files by ``"package>name"``.

    >>> @kfront.saving.register_serializable(package="my_pkg")
    ... class Scale(kfront.layers.Layer): ...
    """
    if not isinstance(package, str) or ">" in package:
        raise ValueError(f"register_serializable: `package` must be a string without '>', "
                         f"received {package!r}.")

    def decorator(obj):
        key = f"{package}>{name or obj.__name__}"
        if isinstance(obj, type) and not hasattr(obj, "get_config"):
            raise ValueError(f"Cannot register {obj!r}: a class must implement get_config().")
        _REGISTERED[key] = obj
        _REGISTERED_BY_OBJECT[id(obj)] = key
        return obj

    return decorator


def get_registered_name(obj):
    """``"package>Name"`` for a registered object, else its plain ``__name__``."""
    return _REGISTERED_BY_OBJECT.get(id(obj), getattr(obj, "__name__", None))


def registered_key(obj):
    """``"package>Name"`` if ``obj`` was registered, else None."""
    return _REGISTERED_BY_OBJECT.get(id(obj))


def get_registered_object(name, custom_objects=None):
    """The object registered or passed under ``name`` (None if none)."""
    if custom_objects and name in custom_objects:
        return custom_objects[name]
    for scope in reversed(getattr(_scopes, "stack", [])):
        if name in scope:
            return scope[name]
    return _REGISTERED.get(name)


def get_custom_objects():
    """The live dict of registered objects (``"package>Name" -> object``)."""
    return _REGISTERED


class custom_object_scope:
    """``with custom_object_scope({"Scale": Scale}): load_model(path)``."""

    def __init__(self, *custom_objects):
        self.objects = {}
        for objects in custom_objects:
            self.objects.update(objects or {})

    def __enter__(self):
        if not hasattr(_scopes, "stack"):
            _scopes.stack = []
        _scopes.stack.append(self.objects)
        return self

    def __exit__(self, *exc):
        _scopes.stack.pop()


CustomObjectScope = custom_object_scope


def _public_classes(module, base):
    out = {}
    for name in dir(module):
        if name.startswith("_"):
            continue
        obj = getattr(module, name)
        if isinstance(obj, type) and issubclass(obj, base):
            out[name] = obj
    return out


def builtin_layers():
    """Layer classes by name: kfront.layers' public classes and the model classes."""
    from kfront import layers
    from kfront.layers.core.op_layer import OpLayer
    from kfront.models import Functional, Model, Sequential
    table = _public_classes(layers, layers.Layer)
    from kfront.utils.feature_space import FeatureSpace
    table.update({"Functional": Functional, "Model": Functional, "Sequential": Sequential,
                  "OpLayer": OpLayer, "FeatureSpace": FeatureSpace})
    return table


def builtin_table(kind):
    """``{name: class or function}`` of kfront's public built-ins of one kind."""
    import kfront
    if kind == "layer":
        return builtin_layers()
    if kind == "optimizer":
        return _public_classes(kfront.optimizers, kfront.optimizers.Optimizer)
    if kind == "initializer":
        return dict(kfront.initializers._ALL)
    if kind == "regularizer":
        table = _public_classes(kfront.regularizers, kfront.regularizers.Regularizer)
        table.update(kfront.regularizers._ALL)
        return table
    if kind == "loss":
        return dict(kfront.losses.ALL_OBJECTS)
    if kind == "metric":
        table = dict(kfront.metrics.CLASSES)
        table.update(kfront.metrics.FUNCTIONS)
        return table
    if kind == "schedule":
        schedules = getattr(kfront.optimizers, "schedules", None)
        if schedules is None:
            return {}
        base = getattr(schedules, "LearningRateSchedule", None)
        return _public_classes(schedules, base) if base is not None else {}
    if kind == "constraint":
        constraints = getattr(kfront, "constraints", None)
        base = getattr(constraints, "Constraint", None)
        return _public_classes(constraints, base) if base is not None else {}
    raise ValueError(f"Unknown kind of object: {kind!r}.")
