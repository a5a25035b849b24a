"""``clone_model``: the same architecture with new layers (and freshly initialized weights)."""
from kfront.saving.serialization import deserialize_object, serialize_object


def _default_clone(layer):
    return deserialize_object(serialize_object(layer), "layer")


def clone_model(model, input_tensors=None, clone_function=None, **kwargs):
    """A copy of a Functional or Sequential model; each layer is ``clone_function(layer)``
    (default: a new layer from the layer's config). Weights are not copied, as in Keras."""
    from kfront.layers.core.input_layer import InputLayer
    from kfront.models.functional import Functional
    from kfront.models.sequential import Sequential
    from kfront.saving.model_config import functional_from_config
    if kwargs:
        raise ValueError(f"clone_model: unsupported argument(s) {sorted(kwargs)}.")
    clone = clone_function or _default_clone
    if isinstance(model, Sequential):
        layers = [clone(layer) for layer in model.layers]
        if input_tensors is not None:
            from kfront.utils import tree
            first = tree.flatten(input_tensors)[0]
            layers.insert(0, first._keras_history[0])
        elif model._input_layer is not None:
            layers.insert(0, _default_clone(model._input_layer))
        out = Sequential(layers, name=model.name, trainable=model.trainable)
        if not out.built and model.inputs:
            out.build(tuple(model.inputs[0].shape))
        return out
    if isinstance(model, Functional):
        config = model.get_config()
        feeds = _input_feeds(model, config, input_tensors) if input_tensors is not None else None
        by_name = {layer.name: layer for layer in model.layers}

        def make(entry):
            original = by_name.get(entry.get("name"))
            if original is None or isinstance(original, InputLayer):
                return None
            return clone(original)
        return functional_from_config(type(model), config, make_layer=make, input_tensors=feeds)
    raise ValueError(f"clone_model expects a Functional or Sequential model; received "
                     f"{type(model).__name__} (subclassed models cannot be cloned from config).")


def _input_feeds(model, config, input_tensors):
    """{input layer name: tensor} from a list, a single tensor, or a dict keyed by input name."""
    from kfront.backend.keras_tensor import KerasTensor
    from kfront.utils import tree
    names = [history[0] for history in _histories(config["input_layers"])]
    if isinstance(input_tensors, dict):
        unknown = sorted(set(input_tensors) - set(names))
        if unknown:
            raise ValueError(f"clone_model: `input_tensors` names unknown inputs {unknown}; the "
                             f"model's inputs are {names}.")
        given = [input_tensors.get(name) for name in names]
    else:
        given = tree.flatten(input_tensors)
    if len(given) != len(names) or any(t is None for t in given):
        raise ValueError(f"clone_model: the model has {len(names)} input(s) {names}; "
                         f"`input_tensors` gives {len([t for t in given if t is not None])}.")
    for name, tensor, original in zip(names, given, model.inputs):
        from kfront.layers.core.input_layer import InputLayer
        if not isinstance(tensor, KerasTensor) or \
                not isinstance(tensor._keras_history[0], InputLayer):
            raise ValueError(f"clone_model: `input_tensors` must be tensors made by "
                             f"`kfront.Input(...)`; received {type(tensor).__name__} for input "
                             f"{name!r}" + (" (the output of a layer: wrap the original model "
                                            "with `model(tensor)` instead)"
                                            if isinstance(tensor, KerasTensor) else "") + ".")
        if len(tensor.shape) != len(original.shape) or any(
                a is not None and b is not None and a != b
                for a, b in zip(tensor.shape[1:], original.shape[1:])):
            raise ValueError(f"clone_model: input {name!r} expects shape {original.shape}; the "
                             f"given tensor has shape {tensor.shape}.")
    return dict(zip(names, given))


def _histories(struct):
    if isinstance(struct, list) and struct and isinstance(struct[0], str):
        return [struct]
    if isinstance(struct, dict):
        return [h for v in struct.values() for h in _histories(v)]
    return [h for v in struct for h in _histories(v)]
