"""``KerasFileEditor``: inspect and edit the weights of a saved ``.kfront``/``.keras``
archive or ``.weights.h5`` file, then write them out as a ``.weights.h5`` file.

The weights are a nested dict mirroring the file: ``{"layers": {"dense": {"0": kernel,
"1": bias}}, "optimizer": {...}}`` (each ``vars`` group folded into its object). Files are
read with the same checks as loading (no links, no external or virtual datasets, numeric
data only, size limits); nothing in them is executed.
"""
import io
import json
import os

import h5py
import numpy as np

from kfront.saving import file_io, h5_store

_CONFIG, _METADATA, _WEIGHTS = "config.json", "metadata.json", "model.weights.h5"


def _read_group(group, path, metadata):
    """``group`` as a nested dict of NumPy arrays (``vars`` groups folded in)."""
    if group.attrs:
        metadata[path] = dict(group.attrs)
    out = {}
    for key in group:
        value = group[key]
        child = f"{path}/{key}" if path else key
        if isinstance(value, h5py.Group):
            if "vars" in value:
                if value.attrs:
                    metadata[child] = dict(value.attrs)
                merged = _read_group(value["vars"], child, {})
                merged.update({k: v for k, v in _read_group(value, child, metadata).items()
                               if k != "vars"})
                if merged:
                    out[key] = merged
            elif len(value):
                sub = _read_group(value, child, metadata)
                if sub:
                    out[key] = sub
        elif isinstance(value, h5py.Dataset):
            out[key] = value[()]
    return out


def _weights_tree(data, label):
    metadata = {}
    with h5_store.WeightsFile(data, label) as weights:
        tree = _read_group(weights.file, "", metadata)
    return tree, metadata


class KerasFileEditor:
    """Inspect and edit a saved model's weights.

    Args:
        filepath: a ``.kfront``/``.keras`` archive or a ``.weights.h5`` file.

    >>> editor = KerasFileEditor("model.kfront")
    >>> editor.summary()
    >>> editor.delete_object("layers/dense_2")
    >>> editor.add_object("layers/einsum_dense", weights={"0": kernel, "1": bias})
    >>> editor.save("edited.weights.h5")
    """

    def __init__(self, filepath):
        self.filepath = os.fspath(filepath)
        self.config = self.metadata = None
        if self.filepath.endswith((".kfront", ".keras")):
            with file_io.Archive(self.filepath) as archive:
                self.config = json.loads(archive.read(_CONFIG).decode("utf-8"))
                if archive.has(_METADATA):
                    self.metadata = json.loads(archive.read(_METADATA).decode("utf-8"))
                data = archive.read(_WEIGHTS)
        elif self.filepath.endswith(".weights.h5"):
            data = self.filepath
        else:
            raise ValueError("Invalid filename: expected a `.kfront`, `.keras` or "
                             f"`.weights.h5` extension. Received: filepath={self.filepath!r}")
        self.weights_dict, self.object_metadata = _weights_tree(data, self.filepath)
        print(f"Opened {self.filepath}")

    # ---- reading ----
    def summary(self):
        """Prints the weight structure: objects, and each weight's shape and dtype."""
        lines = [f"Weights file: {self.filepath}"]
        if self.metadata:
            lines.append("Metadata: " + ", ".join(f"{k}={v}" for k, v in
                                                  sorted(self.metadata.items())))

        def walk(d, depth):
            for key, value in d.items():
                if isinstance(value, dict):
                    lines.append("  " * depth + f"{key}/")
                    walk(value, depth + 1)
                else:
                    lines.append("  " * depth +
                                 f"{key}: shape={tuple(value.shape)}, dtype={value.dtype}")

        walk(self.weights_dict, 1)
        print("\n".join(lines))

    def compare(self, reference_model):
        """Lists every difference between the file and ``reference_model``'s weights:
        objects or weights present on one side only, and shape mismatches.

        Returns:
            ``{"status": "success" or "error", "error_count": int, "match_count": int}``.
        """
        has_optimizer = "optimizer" in self.weights_dict
        reference, _ = _weights_tree(h5_store.weights_bytes(reference_model, has_optimizer),
                                     "reference model")
        errors, matches = [], [0]

        def walk(ours, theirs, path, ours_name, theirs_name, count_matches):
            for key, theirs_value in theirs.items():
                where = f"{path}/{key}"
                if key not in ours:
                    kind = "Object" if isinstance(theirs_value, dict) else "Weight"
                    errors.append(f"{kind} {where} present in {theirs_name}, missing from "
                                  f"{ours_name}")
                elif isinstance(theirs_value, dict) != isinstance(ours[key], dict):
                    errors.append(f"{where} is an object in one and a weight in the other")
                elif isinstance(theirs_value, dict):
                    walk(ours[key], theirs_value, where, ours_name, theirs_name, count_matches)
                elif count_matches:
                    if ours[key].shape != theirs_value.shape:
                        errors.append(f"Weight shape mismatch for {where}: in {theirs_name} "
                                      f"shape={theirs_value.shape}, in {ours_name} "
                                      f"shape={ours[key].shape}")
                    else:
                        matches[0] += 1

        walk(self.weights_dict, reference, "", "saved file", "reference model", True)
        walk(reference, self.weights_dict, "", "reference model", "saved file", False)
        for error in errors:
            print("..." + error)
        if errors:
            print(f"Found {len(errors)} error{'s' * (len(errors) != 1)}: saved file is not "
                  "compatible with the reference model")
        else:
            print("Comparison successful: saved file is compatible with the reference model\n"
                  f"    Found {matches[0]} matching weight{'s' * (matches[0] != 1)}")
        return {"status": "error" if errors else "success", "error_count": len(errors),
                "match_count": matches[0]}

    # ---- editing ----
    def _locate(self, object_name):
        """``[(parent dict, key)]`` for a path ("layers/dense") or a unique name."""
        if "/" in object_name:
            parent = self.weights_dict
            parts = object_name.split("/")
            for part in parts[:-1]:
                if not isinstance(parent.get(part), dict):
                    raise ValueError(f"Path '{object_name}' not found in the file.")
                parent = parent[part]
            if parts[-1] not in parent:
                raise ValueError(f"Path '{object_name}' not found in the file.")
            return parent, parts[-1]
        found = []

        def walk(d):
            if object_name in d:
                found.append(d)
            for value in d.values():
                if isinstance(value, dict):
                    walk(value)

        walk(self.weights_dict)
        if len(found) > 1:
            raise ValueError(f"Name '{object_name}' occurs more than once in the file; pass "
                             "its full path (e.g. 'layers/dense').")
        if not found:
            raise ValueError(f"Name '{object_name}' does not appear in the file; "
                             "`editor.summary()` lists its objects.")
        return found[0], object_name

    def rename_object(self, object_name, new_name):
        """Renames an object (``"dense_2"`` or ``"layers/dense_2"``); ``new_name`` is a
        leaf name."""
        if not isinstance(new_name, str) or "/" in new_name or not new_name:
            raise ValueError("Argument `new_name` should be a leaf name, not a full path. "
                             f"Received: new_name={new_name!r}")
        parent, key = self._locate(object_name)
        if new_name in parent:
            raise ValueError(f"Cannot rename '{object_name}' to '{new_name}': that name "
                             "already exists there.")
        # Keep the key order, so the file reads the same way round.
        items = [(new_name if k == key else k, v) for k, v in parent.items()]
        parent.clear()
        parent.update(items)

    def delete_object(self, object_name):
        """Removes an object (``"dense_2"`` or ``"layers/dense_2"``) and its weights."""
        parent, key = self._locate(object_name)
        del parent[key]

    def add_object(self, object_path, weights):
        """Adds an object at ``object_path`` (``"layers/dense_2"``) with ``weights``
        (``{"0": kernel, "1": bias}``)."""
        weights = _check_weights(weights)
        parts = object_path.split("/")
        parent = self.weights_dict
        for part in parts[:-1]:
            if not isinstance(parent.get(part), dict):
                raise ValueError(f"Path '{'/'.join(parts[:-1])}' not found in the file.")
            parent = parent[part]
        if parts[-1] in parent:
            raise ValueError(f"Object '{object_path}' already exists; delete it first or use "
                             "`add_weights`.")
        parent[parts[-1]] = weights

    def delete_weight(self, object_name, weight_name):
        """Removes the weight ``weight_name`` (``"0"``) of an object."""
        parent, key = self._locate(object_name)
        weight_name = str(weight_name)
        if not isinstance(parent[key], dict) or weight_name not in parent[key]:
            found = list(parent[key]) if isinstance(parent[key], dict) else []
            raise ValueError(f"Weight {weight_name} not found in object {object_name}. "
                             f"Weights found: {found}")
        del parent[key][weight_name]

    def add_weights(self, object_name, weights):
        """Adds ``weights`` (``{"2": array}``) to an existing object."""
        weights = _check_weights(weights)
        parent, key = self._locate(object_name)
        parent[key].update(weights)

    # ---- writing ----
    def save(self, filepath):
        """Writes the edited weights as a ``.weights.h5`` file (atomically)."""
        filepath = os.fspath(filepath)
        if not filepath.endswith(".weights.h5"):
            raise ValueError("Invalid `filepath` argument: expected a `.weights.h5` "
                             f"extension. Received: filepath={filepath!r}")

        def write(group, d, path):
            arrays = {k: v for k, v in d.items() if not isinstance(v, dict)}
            for key, value in d.items():
                if isinstance(value, dict) and value:
                    child = f"{path}/{key}" if path else key
                    sub = group.require_group(key)
                    for name, attr in self.object_metadata.get(child, {}).items():
                        sub.attrs[name] = attr
                    write(sub, value, child)
            if arrays:
                vars_group = group.require_group("vars")
                for name, value in arrays.items():
                    vars_group.create_dataset(name, data=value)

        buffer = io.BytesIO()
        with h5py.File(buffer, "w") as f:
            write(f, self.weights_dict, "")
        file_io.atomic_write(filepath, lambda out: out.write(buffer.getvalue()))

    def resave_weights(self, filepath):
        """Same as ``save``."""
        self.save(filepath)


def _check_weights(weights):
    if not isinstance(weights, dict):
        raise ValueError("Argument `weights` should be a dict where keys are weight names "
                         "(usually '0', '1', etc.) and values are NumPy arrays. Received: "
                         f"type(weights)={type(weights).__name__}")
    out = {}
    for name, value in weights.items():
        array = np.asarray(value)
        if array.dtype.kind not in "biuf":
            raise ValueError(f"Weight {name!r}: expected a numeric array, received dtype "
                             f"{array.dtype}.")
        out[str(name)] = array
    return out
