"""Weights as HDF5, keyed by layer path (Keras 3's ``model.weights.h5`` layout).

``layers/<key>/vars/<i>``: the i-th weight of the layer stored under ``key`` (the snake-case
class name, made unique, as Keras 3 writes it); nested models add ``layers/<key>`` levels.
``optimizer/vars/<i>``: the optimizer's variables. Reading refuses external links, soft
links, virtual and externally stored datasets, non-numeric data and oversized shapes.
"""
import io
import math

import h5py
import numpy as np

from kfront.saving.file_io import MAX_MEMBER_BYTES
from kfront.utils.naming import to_snake_case

_NUMERIC = "biuf"


def layer_keys(layers):
    """``[(key, layer)]``: Keras 3's unique keys, from the class names."""
    used, out = {}, []
    for layer in layers:
        base = to_snake_case(type(layer).__name__)
        n = used.get(base, 0)
        used[base] = n + 1
        out.append((base if n == 0 else f"{base}_{n}", layer))
    return out


def _child_layers(layer):
    from kfront.models.model import Model
    return layer.layers if isinstance(layer, Model) else None


def _own_weights(layer):
    children = _child_layers(layer)
    if children is None:
        # A layer may store other values than its variables (LoRA merged into the kernel).
        stored = getattr(layer, "_storage_variables", None)
        return stored() if stored is not None and layer.built else layer.weights
    inside = {id(v) for child in children for v in child.weights}
    return [v for v in layer.weights if id(v) not in inside]


def _seed_states(layer):
    from kfront.models.model import Model
    if isinstance(layer, Model):
        return []
    return [g.state for g in layer._seed_generators()]


def optimizer_variables(optimizer):
    """The optimizer's state in Keras 3's order, so files move between kfront and Keras."""
    ordered = getattr(optimizer, "keras_ordered_variables", None)
    return ordered() if ordered is not None else list(optimizer.variables)


# ---- writing ----
def _write_vars(group, variables):
    vars_group = group.create_group("vars")
    for i, v in enumerate(variables):
        vars_group.create_dataset(str(i), data=np.asarray(v.numpy()))


def _write_layers(group, layers):
    layers_group = group.create_group("layers")
    for key, layer in layer_keys(layers):
        sub = layers_group.create_group(key)
        sub.attrs["name"] = layer.name
        _write_vars(sub, _own_weights(layer))
        seeds = _seed_states(layer)
        if seeds:
            _write_vars(sub.create_group("seed_generator"), seeds)
        children = _child_layers(layer)
        if children is not None:
            _write_layers(sub, children)


def weights_bytes(model, include_optimizer=True):
    """The model's weights (and optimizer state) as the bytes of an HDF5 file."""
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as f:
        _write_layers(f, model.layers if _child_layers(model) is not None else [])
        if _child_layers(model) is None or _own_weights(model):
            _write_vars(f, _own_weights(model))
        else:
            f.create_group("vars")
        optimizer = getattr(model, "optimizer", None)
        if include_optimizer and optimizer is not None and hasattr(optimizer, "variables"):
            _write_vars(f.create_group("optimizer"), optimizer_variables(optimizer))
    return buffer.getvalue()


# ---- reading ----
class WeightsFile:
    """A validated, read-only HDF5 weights file (from bytes or a path)."""

    def __init__(self, source, label):
        self.label = label
        try:
            self.file = h5py.File(io.BytesIO(source) if isinstance(source, bytes) else source,
                                  "r")
        except (OSError, ValueError) as e:
            raise ValueError(f"{label}: not a valid HDF5 weights file ({e}).") from None
        self.file.visititems(lambda *_: None)  # touches every object: corrupt trees fail here
        _check_tree(self.file, label)
        # What the arrays hold, from their declared shapes (nothing is read yet): the
        # variable budget of a load is set from it.
        sizes = []
        self.file.visititems(lambda _, obj: sizes.append(
            math.prod(obj.shape or ()) * obj.dtype.itemsize)
            if isinstance(obj, h5py.Dataset) else None)
        self.array_bytes = int(sum(sizes))

    def close(self):
        self.file.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _check_tree(group, label, depth=0):
    if depth > 64:
        raise ValueError(f"{label}: HDF5 groups nested too deeply.")
    for name in group:
        link = group.get(name, getlink=True)
        if isinstance(link, h5py.ExternalLink):
            raise ValueError(f"{label}: HDF5 external link {group.name}/{name} refused.")
        if isinstance(link, h5py.SoftLink):
            raise ValueError(f"{label}: HDF5 soft link {group.name}/{name} refused.")
        obj = group[name]
        if isinstance(obj, h5py.Group):
            _check_tree(obj, label, depth + 1)
        elif isinstance(obj, h5py.Dataset):
            if obj.is_virtual:
                raise ValueError(f"{label}: HDF5 virtual dataset {obj.name} refused.")
            if obj.external:
                raise ValueError(f"{label}: HDF5 dataset {obj.name} with external storage "
                                 "refused.")
            if obj.dtype.kind not in _NUMERIC:
                raise ValueError(f"{label}: dataset {obj.name} has non-numeric dtype "
                                 f"{obj.dtype}.")
            size = math.prod(obj.shape or ()) * obj.dtype.itemsize
            if size > MAX_MEMBER_BYTES:
                raise ValueError(f"{label}: dataset {obj.name} claims shape {obj.shape} "
                                 f"({size} bytes), more than the limit of {MAX_MEMBER_BYTES}.")


def read_array(dataset, variable, label, where):
    """The dataset's values for ``variable``, checked against its shape before reading."""
    if tuple(dataset.shape) != tuple(variable.shape):
        raise ValueError(f"{label}: weight mismatch at layer {where}: variable "
                         f"{variable.path!r} has shape {tuple(variable.shape)}, but the file "
                         f"holds shape {tuple(dataset.shape)}.")
    try:
        return np.asarray(dataset[()])
    except (OSError, ValueError, TypeError) as e:
        raise ValueError(f"{label}: cannot read {dataset.name} ({e}).") from None


def _read_vars(group, variables, label, where, strict=True):
    vars_group = group.get("vars") if group is not None else None
    count = len(vars_group) if isinstance(vars_group, h5py.Group) else 0
    if count != len(variables):
        if not strict and count == 0:
            return []
        raise ValueError(f"{label}: weight mismatch at layer {where}: the model's layer has "
                         f"{len(variables)} weights {[tuple(v.shape) for v in variables]}, the "
                         f"file has {count}"
                         + (f" {[tuple(vars_group[str(i)].shape) for i in range(count) if str(i) in vars_group]}"
                            if count else "") + ".")
    pairs = []
    for i, v in enumerate(variables):
        if str(i) not in vars_group or not isinstance(vars_group[str(i)], h5py.Dataset):
            raise ValueError(f"{label}: weight mismatch at layer {where}: missing weight {i}.")
        pairs.append((v, read_array(vars_group[str(i)], v, label, where)))
    return pairs


def _read_layers(group, layers, label, prefix, pairs, skip_mismatch=False):
    layers_group = group.get("layers") if group is not None else None
    for key, layer in layer_keys(layers):
        where = f"{layer.name!r} ({prefix}layers/{key})"
        sub = layers_group.get(key) if isinstance(layers_group, h5py.Group) else None
        own = _own_weights(layer)
        if sub is None or not isinstance(sub, h5py.Group):
            if own or any(c.weights for c in (_child_layers(layer) or [])):
                _mismatch(f"{label}: weight mismatch at layer {where}: the file has no "
                          "weights for it.", skip_mismatch)
            continue
        try:
            found = _read_vars(sub, own, label, where)
        except ValueError as e:
            _mismatch(str(e), skip_mismatch)
            found = []
        pairs.extend(found)
        seeds = _seed_states(layer)
        if seeds and isinstance(sub.get("seed_generator"), h5py.Group):
            pairs.extend(_read_vars(sub["seed_generator"], seeds, label, where, strict=False))
        children = _child_layers(layer)
        if children is not None:
            _read_layers(sub, children, label, f"{prefix}layers/{key}/", pairs, skip_mismatch)


def _mismatch(message, skip):
    """A weight mismatch: an error, or with ``skip_mismatch=True`` a warning and the layer
    keeps its weights (Keras's behaviour)."""
    if not skip:
        raise ValueError(message)
    import warnings
    warnings.warn(f"{message} Skipping this layer (skip_mismatch=True).", UserWarning,
                  stacklevel=4)


def load_into(model, weights, load_optimizer=True, skip_mismatch=False):
    """Assigns every weight from a ``WeightsFile``; all shapes are checked first, so a
    mismatch leaves the model unchanged (or, with ``skip_mismatch``, only that layer)."""
    f, label = weights.file, weights.label
    pairs = []
    children = _child_layers(model)
    if children is not None:
        _read_layers(f, children, label, "", pairs, skip_mismatch)
    own = _own_weights(model) if children is not None else model.weights
    if own or (isinstance(f.get("vars"), h5py.Group) and len(f["vars"])):
        pairs.extend(_read_vars(f, own, label, "(the model itself)"))
    optimizer = getattr(model, "optimizer", None)
    opt_group = f.get("optimizer")
    if load_optimizer and optimizer is not None and isinstance(opt_group, h5py.Group):
        stored = len(opt_group.get("vars", {}))
        if stored > 2 and not optimizer.built:
            optimizer.build(model.trainable_variables)
        variables = optimizer_variables(optimizer)
        if stored == len(variables):
            pairs.extend(_read_vars(opt_group, variables, label, "optimizer"))
        else:
            import warnings
            warnings.warn(f"{label}: the optimizer state in the file ({stored} variables) does "
                          f"not match the optimizer ({len(variables)} variables); it is not "
                          "loaded.", UserWarning, stacklevel=3)
    for var, value in pairs:
        var.assign(value.astype(var.dtype) if value.dtype != np.dtype(var.dtype) else value)
