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
        if input_tensors is not None:
            raise NotImplementedError("clone_model(input_tensors=...) is only supported for "
                                      "Sequential models.")
        by_name = {layer.name: layer for layer in model.layers}

        def make(entry):
            original = by_name.get(entry.get("name"))
            if original is None or isinstance(original, InputLayer):
                return None
            return clone(original)
        return functional_from_config(type(model), model.get_config(), make_layer=make)
    raise ValueError(f"clone_model expects a Functional or Sequential model; received "
                     f"{type(model).__name__} (subclassed models cannot be cloned from config).")
