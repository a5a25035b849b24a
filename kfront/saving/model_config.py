"""The configs of Functional and Sequential models (Keras 3's format; Keras 2's read too)."""
import collections

from kfront.backend.keras_tensor import KerasTensor
from kfront.saving.serialization import deserialize_object, serialize_object, to_json_value


# ---- Functional ----
def _node_indices(model):
    """{id(node): index among that layer's nodes inside this model}."""
    counts, out = {}, {}
    for layer in model.layers:
        if _is_input_layer(layer):
            out[id(layer._inbound_nodes[0])] = 0
    for node in model._nodes:
        i = counts.get(id(node.layer), 0)
        counts[id(node.layer)] = i + 1
        out[id(node)] = i
    return out


def _is_input_layer(layer):
    from kfront.layers.core.input_layer import InputLayer
    return isinstance(layer, InputLayer)


def _history(t, indices):
    layer, node_index, tensor_index = t._keras_history
    node = layer._inbound_nodes[node_index]
    return [layer.name, indices.get(id(node), 0), tensor_index]


def _encode_args(value, indices):
    if isinstance(value, KerasTensor):
        return {"class_name": "__keras_tensor__",
                "config": {"shape": list(value.shape), "dtype": str(value.dtype),
                           "keras_history": _history(value, indices)}}
    if isinstance(value, (list, tuple)):
        return [_encode_args(v, indices) for v in value]
    if isinstance(value, dict):
        return {str(k): _encode_args(v, indices) for k, v in value.items()}
    return to_json_value(value)


def _encode_structure(struct, indices):
    if isinstance(struct, KerasTensor):
        return _history(struct, indices)
    if isinstance(struct, dict):
        return {k: _encode_structure(v, indices) for k, v in struct.items()}
    return [_encode_structure(v, indices) for v in struct]


def functional_get_config(model):
    indices = _node_indices(model)
    nodes_by_layer = {}
    for node in model._nodes:
        nodes_by_layer.setdefault(id(node.layer), []).append(node)
    layers = []
    for layer in model.layers:
        entry = serialize_object(layer)
        entry["name"] = layer.name
        entry["inbound_nodes"] = [
            {"args": _encode_args(list(node.call_args), indices),
             "kwargs": _encode_args(node.call_kwargs, indices)}
            for node in nodes_by_layer.get(id(layer), [])]
        layers.append(entry)
    return {"name": model.name, "trainable": model.trainable, "layers": layers,
            "input_layers": _encode_structure(model._inputs_struct, indices),
            "output_layers": _encode_structure(model._outputs_struct, indices)}


def _is_history(x):
    return isinstance(x, list) and len(x) in (3, 4) and isinstance(x[0], str) and \
        all(isinstance(i, int) for i in x[1:3])


def functional_from_config(cls, config, custom_objects=None, make_layer=None,
                           input_tensors=None):
    """Rebuilds the graph: each layer from its config (or ``make_layer(entry)``), then its
    calls in dependency order. ``input_tensors`` ({input layer name: tensor}) feeds given
    tensors in place of the config's inputs (``clone_model(input_tensors=...)``)."""
    input_tensors = input_tensors or {}
    if not isinstance(config.get("layers"), list):
        raise ValueError("Invalid Functional config: 'layers' must be a list.")
    created, pending = {}, []
    for entry in config["layers"]:
        if not isinstance(entry, dict):
            raise ValueError("Invalid Functional config: each layer must be a dict.")
        layer = make_layer(entry) if make_layer is not None else None
        if layer is None:
            layer = deserialize_object(entry, "layer", custom_objects)
        name = entry.get("name") or layer.name
        if name in created:
            raise ValueError(f"Invalid Functional config: layer name {name!r} is used twice.")
        created[name] = layer
        for node in entry.get("inbound_nodes") or []:
            pending.append((name, node))
    outputs = {}  # (layer name, node index) -> list of output tensors
    for name, layer in created.items():
        if _is_input_layer(layer):
            outputs[(name, 0)] = [input_tensors.get(name, layer.output)]
    _replay_nodes(created, pending, outputs)

    def lookup(history):
        try:
            return outputs[(history[0], history[1])][history[2]]
        except (KeyError, IndexError):
            raise ValueError(f"Invalid Functional config: no tensor {history[:3]}.") from None

    def decode(struct):
        if _is_history(struct):
            return lookup(struct)
        if isinstance(struct, dict):
            return {k: decode(v) for k, v in struct.items()}
        if isinstance(struct, list):
            return [decode(v) for v in struct]
        raise ValueError(f"Invalid Functional config: bad input/output entry {struct!r}.")

    inputs = decode(config.get("input_layers"))
    outputs_struct = decode(config.get("output_layers"))
    keras2 = any(isinstance(node, list) for entry in config["layers"]
                 for node in (entry.get("inbound_nodes") or []))
    if keras2 and isinstance(outputs_struct, list) and len(outputs_struct) == 1:
        # Keras 2 lists even a single output; the model returns the tensor itself.
        outputs_struct = outputs_struct[0]
    kwargs = {"name": config.get("name"), "trainable": config.get("trainable", True)}
    from kfront.models.functional import Functional
    if cls is Functional or not issubclass(cls, Functional):
        return Functional(inputs, outputs_struct, **kwargs)
    return cls(inputs, outputs_struct, **kwargs)


class _NotReady(Exception):
    """A node's input ``key`` = (layer name, node index) is not made yet."""

    def __init__(self, key):
        super().__init__(key)
        self.key = key


def _replay_nodes(created, pending, outputs):
    """Calls each saved node once its inputs exist, filling ``outputs``.

    Linear in the graph: a node waiting for a tensor is parked under that tensor's key and
    retried only when the key is made, so a graph listed in any order (even reversed)
    costs one pass. A layer's calls run in their saved order, so its n-th call is node n.
    """
    waiting = collections.defaultdict(list)    # key -> nodes parked until it exists
    ready = collections.deque()
    calls = collections.defaultdict(int)        # layer name -> calls made so far
    seen = collections.defaultdict(int)
    for name, node in pending:
        ready.append((name, node, seen[name]))  # the node's index among its layer's calls
        seen[name] += 1
    while ready:
        item = ready.popleft()
        name, node, index = item
        if index != calls[name]:
            waiting[("__call__", name, index)].append(item)
            continue
        try:
            args, kwargs = _decode_node(node, outputs)
        except _NotReady as e:
            waiting[e.key].append(item)
            continue
        if not any(isinstance(t, KerasTensor) for t in _flatten([args, list(kwargs.values())])):
            raise ValueError(f"Invalid Functional config: the saved call of layer {name!r} "
                             "takes no tensor from another layer; every node of a graph does.")
        layer = created[name]
        try:
            result = layer(*args, **kwargs)
        except (TypeError, KeyError, AttributeError, IndexError) as e:
            raise ValueError(f"Invalid Functional config: calling layer {name!r} on its "
                             f"saved inbound node failed ({type(e).__name__}: "
                             f"{str(e)[:200]}).") from e
        outputs[(name, index)] = [t for t in _flatten(result)]
        calls[name] = index + 1
        ready.extend(waiting.pop((name, index), ()))
        ready.extend(waiting.pop(("__call__", name, index + 1), ()))
    if waiting:
        stuck = sorted({item[0] for items in waiting.values() for item in items})
        raise ValueError("Invalid Functional config: the graph cannot be rebuilt (a layer "
                         f"input is missing): {stuck[:5]}.")


def _flatten(x):
    if isinstance(x, (list, tuple)):
        out = []
        for v in x:
            out.extend(_flatten(v))
        return out
    if isinstance(x, dict):
        out = []
        for k in sorted(x):
            out.extend(_flatten(x[k]))
        return out
    return [x]


def _decode_node(node, outputs):
    """(args, kwargs) of one saved call: Keras 3 ``{"args", "kwargs"}`` or Keras 2 lists."""
    def tensor(history):
        key = (history[0], history[1])
        if key not in outputs:
            raise _NotReady(key)
        try:
            return outputs[key][history[2]]
        except IndexError:
            raise ValueError(f"Invalid Functional config: no tensor {history[:3]}.") from None

    def decode(v):
        if isinstance(v, dict) and v.get("class_name") == "__keras_tensor__":
            inner = v.get("config")
            history = inner.get("keras_history") if isinstance(inner, dict) else None
            if not _is_history(history):
                raise ValueError("Invalid Functional config: a tensor's 'keras_history' must "
                                 "be [layer name, node index, tensor index], received "
                                 f"{str(history)[:100]!r}.")
            return tensor(history)
        if isinstance(v, dict):
            from kfront.saving.serialization import _clean_value
            if "class_name" in v:
                return _clean_value(v, None)
            return {k: decode(x) for k, x in v.items()}
        if isinstance(v, list):
            return [decode(x) for x in v]
        return v

    if isinstance(node, dict):
        args = [] if node.get("args") is None else node["args"]
        kwargs = {} if node.get("kwargs") is None else node["kwargs"]
        # Checked before decoding: a lone tensor where the list belongs must not be iterated.
        if not isinstance(args, list):
            raise ValueError("Invalid Functional config: an inbound node's 'args' must be a "
                             f"list, received {_describe(args)}.")
        if not isinstance(kwargs, dict) or kwargs.get("class_name") == "__keras_tensor__":
            raise ValueError("Invalid Functional config: an inbound node's 'kwargs' must be a "
                             f"dict of arguments, received {_describe(kwargs)}.")
        return decode(args), {str(k): decode(v) for k, v in kwargs.items()}
    if isinstance(node, list):  # Keras 2: [[layer, node_index, tensor_index, kwargs], ...]
        tensors, kwargs = [], {}
        for item in node:
            if not _is_history(item):
                raise ValueError(f"Invalid Functional config: bad inbound node {item!r}.")
            tensors.append(tensor(item))
            if len(item) > 3 and isinstance(item[3], dict):
                kwargs.update(item[3])
        return ([tensors[0]] if len(tensors) == 1 else [tensors]), kwargs
    raise ValueError(f"Invalid Functional config: bad inbound node {str(node)[:100]!r}.")


def _describe(value):
    if isinstance(value, dict) and value.get("class_name") == "__keras_tensor__":
        return "a single tensor"
    return f"{type(value).__name__} {str(value)[:80]!r}"


# ---- Sequential ----
def sequential_get_config(model):
    layers = []
    if model._input_layer is not None:
        layers.append(serialize_object(model._input_layer))
    layers.extend(serialize_object(layer) for layer in model._stack)
    config = {"name": model.name, "trainable": model.trainable, "layers": layers}
    if model.inputs:
        config["build_input_shape"] = list(model.inputs[0].shape)
    return config


def sequential_from_config(cls, config, custom_objects=None):
    from kfront.models.sequential import Sequential
    entries = config.get("layers")
    if not isinstance(entries, list):
        raise ValueError("Invalid Sequential config: 'layers' must be a list.")
    layers = [deserialize_object(entry, "layer", custom_objects) for entry in entries]
    target = cls if isinstance(cls, type) and issubclass(cls, Sequential) else Sequential
    model = target(layers, name=config.get("name"), trainable=config.get("trainable", True))
    shape = config.get("build_input_shape")
    if not model.built and isinstance(shape, list) and model.layers:
        model.build(tuple(shape))
    return model
