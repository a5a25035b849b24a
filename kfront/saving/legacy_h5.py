"""The legacy full-model ``.h5`` format of Keras 2 / tf.keras (read and written).

Root attributes ``model_config`` (JSON) and ``training_config``; weights in
``model_weights/<layer name>/...`` listed by each group's ``weight_names`` attribute.
"""
import json
import os

import h5py
import numpy as np

from kfront.saving import h5_store, load_limits, saving_lib, serialization
from kfront.saving.file_io import atomic_write


def _text(value):
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, np.ndarray):
        return value.item() if value.shape == () else value
    return value


def _names(attr):
    return [_text(v) for v in np.asarray(attr).tolist()] if attr is not None else []


def _weight_layers(model):
    from kfront.models.model import Model
    return model.layers if isinstance(model, Model) else [model]


def save_model(model, filepath):
    import io
    from kfront.backend.loader import adapter
    from kfront.version import __version__
    config = saving_lib.model_to_config(model)
    compile_config = config.pop("compile_config", None)
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as f:
        f.attrs["model_config"] = json.dumps(config)
        if compile_config is not None:
            f.attrs["training_config"] = json.dumps(compile_config)
        f.attrs["keras_version"] = f"kfront {__version__}"
        f.attrs["backend"] = adapter().name
        group = f.create_group("model_weights")
        layers = _weight_layers(model)
        group.attrs["layer_names"] = np.array([layer.name.encode("utf-8") for layer in layers])
        for layer in layers:
            sub = group.create_group(layer.name)
            names = []
            for i, var in enumerate(layer.weights):
                name = f"{layer.name}/{i}_{var.name}:0"
                sub.create_dataset(name, data=np.asarray(var.numpy()))
                names.append(name.encode("utf-8"))
            sub.attrs["weight_names"] = np.array(names, dtype="S") if names else \
                np.zeros((0,), dtype="S1")
    data = buffer.getvalue()
    atomic_write(filepath, lambda out: out.write(data))


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    filepath = os.fspath(filepath)
    with h5_store.WeightsFile(filepath, repr(filepath)) as store, \
            load_limits.budget_for_weights(store.array_bytes, repr(filepath)):
        f = store.file
        if "model_config" not in f.attrs:
            raise ValueError(f"{filepath!r}: no model found in this .h5 file (no "
                             "'model_config'); use load_weights() for a weights file.")
        config = saving_lib._parse_json(_text(f.attrs["model_config"]).encode("utf-8"),
                                        f"{filepath!r} (model_config)")
        _upgrade_keras2(config)
        with serialization.SafeModeScope(safe_mode, custom_objects):
            model = serialization.deserialize_object(config, "layer", custom_objects)
        load_weights_by_name(model, store)
        if compile and "training_config" in f.attrs:
            training = saving_lib._parse_json(
                _text(f.attrs["training_config"]).encode("utf-8"),
                f"{filepath!r} (training_config)")
            if "optimizer_config" in training:  # Keras 2's spelling
                training = {**training, "optimizer": training["optimizer_config"]}
            for key in ("metrics", "weighted_metrics"):
                value = training.get(key)
                if isinstance(value, list) and value and all(isinstance(v, list) for v in value):
                    # Keras 2 writes one list per output.
                    names = model.output_names
                    training[key] = value[0] if len(value) == 1 else \
                        dict(zip(names, value)) if len(names) == len(value) else None
            try:
                with serialization.SafeModeScope(safe_mode, custom_objects):
                    saving_lib.compile_from_config(model, training, custom_objects)
            except ValueError as e:
                import warnings
                warnings.warn(f"{filepath!r}: the model was loaded but not compiled ({e}).",
                              UserWarning, stacklevel=2)
            else:
                if isinstance(f.get("optimizer_weights"), h5py.Group):
                    _load_optimizer_weights(model, f["optimizer_weights"], store.label)
    return model


# Keras 2's short slot names, by the names kfront (and Keras 3) use.
_KERAS2_SLOT_NAMES = {"m": "momentum", "v": "velocity", "vhat": "velocity_hat", "u": "norm"}


def _load_optimizer_weights(model, group, label):
    """tf.keras's ``optimizer_weights``: ``iteration:0`` and ``<Optimizer>/<slot>/<weight
    path>:0`` arrays, matched to this optimizer's state by slot kind and weight path. State
    that cannot be matched is not loaded (with a warning): training then restarts the
    optimizer, as Keras 3 does for such files."""
    import warnings
    optimizer = model.optimizer
    names = _names(group.attrs.get("weight_names"))
    if not names:
        return
    if not optimizer.built:
        optimizer.build(model.trainable_variables)
    slots = {}
    for slot in getattr(optimizer, "_slots", []):
        reference, kind = getattr(slot, "_slot_of", (None, None))
        if reference is not None:
            slots[(kind, reference.path)] = slot
    pairs, unmatched = [], []
    for name in names:
        dataset = group.get(name)
        base = name[:-2] if name.endswith(":0") else name
        parts = base.split("/")
        if parts[-1] in ("iteration", "iterations", "iter") and len(parts) <= 2:
            target = optimizer.iterations
        elif len(parts) >= 3:
            kind = _KERAS2_SLOT_NAMES.get(parts[1], parts[1])
            target = slots.get((kind, "/".join(parts[2:])))
        else:
            target = None
        if target is None or not isinstance(dataset, h5py.Dataset):
            unmatched.append(name)
            continue
        pairs.append((target, h5_store.read_array(dataset, target, label, "optimizer")))
    if unmatched or len(pairs) != len(names):
        warnings.warn(f"{label}: the optimizer state in the file could not be matched to "
                      f"the optimizer ({unmatched[:4]}); it is not loaded.", UserWarning,
                      stacklevel=3)
        return
    for var, value in pairs:
        var.assign(value.astype(var.dtype) if value.dtype != np.dtype(var.dtype) else value)


def load_weights_by_name(model, store, by_name=False, skip_mismatch=False):
    """Keras 2 weights: each layer's arrays from the group of the same name, in the order
    of its ``weight_names``. ``skip_mismatch`` (with ``by_name``, as in Keras) skips layers
    whose weight count or shapes differ, with a warning."""
    if skip_mismatch and not by_name:
        raise ValueError("load_weights: `skip_mismatch=True` with a Keras 2 .h5 file requires "
                         "`by_name=True` (layers are otherwise matched by position).")
    f, label = store.file, store.label
    root = f["model_weights"] if "model_weights" in f else f
    saved = _names(root.attrs.get("layer_names"))
    layers = [layer for layer in _weight_layers(model) if layer.weights]
    if not by_name:
        saved_with_weights = [n for n in saved if len(_names(root[n].attrs.get("weight_names")))]
        if len(saved_with_weights) != len(layers):
            raise ValueError(f"{label}: the file has weights for {len(saved_with_weights)} "
                             f"layers {saved_with_weights[:10]}, the model has "
                             f"{len(layers)} layers with weights "
                             f"{[layer.name for layer in layers][:10]}.")
    pairs = []
    for i, layer in enumerate(layers):
        # As in Keras: by name when asked, otherwise by position among layers with weights.
        name = layer.name if by_name else saved_with_weights[i]
        if name not in root:
            if by_name:
                continue
            raise ValueError(f"{label}: weight mismatch at layer {layer.name!r}: no group "
                             f"{name!r} in the file.")
        try:
            pairs.extend(_layer_pairs(root[name], layer, label))
        except ValueError as e:
            h5_store._mismatch(str(e), skip_mismatch)
    for var, value in pairs:
        var.assign(value)


def _layer_pairs(group, layer, label):
    names = _names(group.attrs.get("weight_names"))
    variables = layer.weights
    if len(names) != len(variables):
        raise ValueError(f"{label}: weight mismatch at layer {layer.name!r}: the layer has "
                         f"{len(variables)} weights {[tuple(v.shape) for v in variables]}, "
                         f"the file has {len(names)}.")
    pairs = []
    for weight_name, var in zip(names, variables):
        dataset = group.get(weight_name)
        if not isinstance(dataset, h5py.Dataset):
            raise ValueError(f"{label}: weight mismatch at layer {layer.name!r}: missing "
                             f"dataset {weight_name!r}.")
        pairs.append((var, h5_store.read_array(dataset, var, label, repr(layer.name))))
    return pairs


def _upgrade_keras2(config):
    """Keras 2 spellings Keras 3 changed, fixed in place (BatchNormalization's axis list)."""
    if isinstance(config, list):
        for item in config:
            _upgrade_keras2(item)
    elif isinstance(config, dict):
        inner = config.get("config")
        if config.get("class_name") == "BatchNormalization" and isinstance(inner, dict):
            axis = inner.get("axis")
            if isinstance(axis, list) and len(axis) == 1:
                inner["axis"] = axis[0]
        for value in config.values():
            _upgrade_keras2(value)
