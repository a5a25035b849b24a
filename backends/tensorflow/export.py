"""SavedModel writing on TensorFlow: the engine half of ``kfront.export.ExportArchive``."""
import tensorflow as tf

from kfront import tree


def tensor_spec(spec, name=None):
    return tf.TensorSpec(tuple(spec.shape), tf.as_dtype(spec.dtype), name=name or spec.name)


def is_tf_function(fn):
    return isinstance(fn, tf.types.experimental.GenericFunction)


def traced_at_least_once(fn):
    return bool(fn._list_all_concrete_functions())


class SavedModelArchive:
    """A ``tf.Module`` root that gathers endpoints, variables and collections, then
    ``tf.saved_model.save``s them with every endpoint as a serving signature."""

    def __init__(self):
        # AutoTrackable (not tf.Module) so `variables` can be set as a plain attribute.
        self.root = tf.__internal__.tracking.AutoTrackable()
        self.endpoints = []  # names, in the order they were added
        self.tracked = []

    def track(self, layer):
        self.tracked.append(layer)
        storages = [v._storage for v in layer.weights]
        # Reachable from the root: the revived object lists them as in Keras.
        self.root.variables_ = list(_unique(getattr(self.root, "variables_", []) + storages))

    def track_resource(self, resource):
        # A TF resource (a lookup table, say) the endpoints use: saved with the root.
        self.root.resources_ = list(getattr(self.root, "resources_", [])) + [resource]

    def add_endpoint(self, name, fn, specs):
        """Wraps ``fn`` in a ``tf.function`` with the given input signature (a list of
        nested ``InputSpec``s, one per positional argument); returns it."""
        signature = tree.map_structure(tensor_spec, specs)

        def endpoint(*args):
            return fn(*args)

        traced = tf.function(endpoint, input_signature=signature, autograph=False)
        traced.get_concrete_function()  # traces now: a wrong fn fails at add_endpoint
        return self.add_function(name, traced)

    def add_function(self, name, traced):
        setattr(self.root, name, traced)
        self.endpoints.append(name)
        return traced

    def add_variable_collection(self, name, variables):
        setattr(self.root, name, [_storage(v) for v in variables])

    def write_out(self, filepath, options=None):
        concrete = {name: _concrete(getattr(self.root, name)) for name in self.endpoints}
        used = _unique(v for fn in concrete.values() for v in fn.variables)
        # Variables an endpoint captures must be reachable from the root to be saved.
        self.root.all_variables_ = list(used)
        listed = getattr(self.root, "variables_", None) or list(used)
        self.root.variables = listed
        self.root.trainable_variables = [v for v in listed if v.trainable]
        self.root.non_trainable_variables = [v for v in listed if not v.trainable]
        signatures = dict(concrete)
        signatures.setdefault("serving_default", concrete[self.endpoints[0]])
        tf.saved_model.save(self.root, str(filepath), signatures=signatures, options=options)

    def describe(self):
        """One line per endpoint: its name and input signature."""
        lines = []
        for name in self.endpoints:
            fn = _concrete(getattr(self.root, name))
            args = ", ".join(f"{s.name or 'x'}: {s.dtype.name}{list(s.shape)}"
                             for s in tf.nest.flatten(fn.structured_input_signature[0]))
            lines.append(f"* Endpoint {name!r}: ({args})")
        return "\n".join(lines)


def _concrete(fn):
    traces = fn._list_all_concrete_functions()
    return traces[0] if traces else fn.get_concrete_function()


def _storage(v):
    storage = getattr(v, "_storage", v)
    if not isinstance(storage, tf.Variable):
        raise ValueError(f"Expected kfront or TensorFlow variables; received "
                         f"{type(v).__name__}.")
    return storage


def _unique(variables):
    seen = set()
    for v in variables:
        if id(v) not in seen:
            seen.add(id(v))
            yield v

