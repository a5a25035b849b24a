"""The file behind ``Dataset.cache(filename)``: a dataset's elements in one NumPy ``.npz``.

The first complete pass writes the file; later passes (and later programs) read it
instead of running the pipeline above the cache, as ``tf.data``'s file cache does. A pass
that stops early writes nothing, and the file appears only once complete (written under
a temporary name, then renamed), so a cache file is never partial.

The file holds only arrays: the element structure is JSON stored as bytes, and it is read
with ``allow_pickle=False``, so loading a cache never runs code from it. Elements may be
arrays, numbers, strings, bytes, and tuples, lists and dicts of them.
"""
import json
import os

import numpy as np

FORMAT = "kfront.dataset_cache/1"
_META = "__meta__"


def cache_path(filename):
    """The file a cache named ``filename`` is stored in (``.npz`` added if missing)."""
    filename = os.fspath(filename)
    return filename if filename.endswith(".npz") else filename + ".npz"


def _leaf_array(value):
    """(kind, array): the array a leaf is stored as and how to give it back."""
    if isinstance(value, str):
        return "str", np.asarray(value, dtype=str)
    if isinstance(value, bytes):
        return "bytes", np.asarray(value, dtype=bytes)
    if isinstance(value, (bool, int, float)):
        return type(value).__name__, np.asarray(value)
    if not isinstance(value, np.ndarray):
        from kfront.trainers.data_adapters.engine_tensors import (
            engine_to_numpy, is_engine_tensor,
        )
        value = engine_to_numpy(value) if is_engine_tensor(value) else np.asarray(value)
    if value.dtype == object:
        if all(isinstance(v, str) for v in value.flat):
            return "object_str", value.astype(str)
        if all(isinstance(v, bytes) for v in value.flat):
            return "object_bytes", value.astype(bytes)
        raise ValueError("Dataset.cache(filename): an element holds an array of Python "
                         "objects, which a cache file cannot store (only numbers, strings "
                         f"and bytes). Received an object array of shape {value.shape}.")
    return "array", value


def _restore(kind, array):
    if kind == "str":
        return str(array)
    if kind == "bytes":
        return bytes(array)
    if kind in ("bool", "int", "float"):
        return {"bool": bool, "int": int, "float": float}[kind](array)
    if kind in ("object_str", "object_bytes"):
        out = np.empty(array.shape, dtype=object)
        out[...] = array.tolist() if array.ndim else array.item()
        return out
    return array


def _split(element, leaves):
    """The JSON structure of ``element``; its leaves are appended to ``leaves``."""
    if isinstance(element, dict):
        keys = list(element)
        if not all(isinstance(k, str) for k in keys):
            raise ValueError("Dataset.cache(filename): dict elements need string keys; "
                             f"received keys {keys!r}.")
        return {"dict": keys, "items": [_split(element[k], leaves) for k in keys]}
    if isinstance(element, (tuple, list)):
        return {type(element).__name__: [_split(v, leaves) for v in element]}
    kind, array = _leaf_array(element)
    leaves.append(array)
    return {"leaf": kind}


def _join(structure, leaves):
    if "dict" in structure:
        return {k: _join(s, leaves) for k, s in zip(structure["dict"], structure["items"])}
    if "tuple" in structure:
        return tuple(_join(s, leaves) for s in structure["tuple"])
    if "list" in structure:
        return [_join(s, leaves) for s in structure["list"]]
    return _restore(structure["leaf"], next(leaves))


def write(path, elements):
    """Writes ``elements`` (a list, all of one structure) to the cache file ``path``."""
    structure, columns = None, []
    for element in elements:
        leaves = []
        shape = _split(element, leaves)
        if structure is None:
            structure, columns = shape, [[] for _ in leaves]
        elif shape != structure:
            raise ValueError("Dataset.cache(filename): every element must have the same "
                             f"structure; the first was {structure} and a later one {shape}.")
        for column, leaf in zip(columns, leaves):
            column.append(leaf)
    arrays, stacked = {}, []
    for j, column in enumerate(columns):
        # Leaves of one shape and dtype are stored as one array, others one by one.
        uniform = len({(a.shape, a.dtype.str) for a in column}) == 1
        stacked.append(uniform)
        if uniform:
            arrays[f"leaf{j}"] = np.stack(column)
        else:
            arrays.update({f"leaf{j}_{i}": a for i, a in enumerate(column)})
    meta = {"format": FORMAT, "count": len(elements), "structure": structure,
            "stacked": stacked}
    arrays[_META] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    partial = f"{path}.{os.getpid()}.partial.npz"
    try:
        with open(partial, "wb") as f:
            np.savez(f, **arrays)
        os.replace(partial, path)  # atomic: readers never see half a file
    finally:
        if os.path.exists(partial):
            os.remove(partial)


def read(path):
    """The elements stored in the cache file ``path`` (a list)."""
    try:
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(bytes(data[_META]).decode())
            if meta.get("format") != FORMAT:
                raise ValueError(f"unknown format {meta.get('format')!r}")
            count, columns = meta["count"], []
            for j, uniform in enumerate(meta["stacked"]):
                columns.append(list(data[f"leaf{j}"]) if uniform else
                               [data[f"leaf{j}_{i}"] for i in range(count)])
    except (OSError, KeyError, ValueError) as e:
        raise ValueError(f"Dataset.cache: {path} is not a kfront dataset cache file "
                         f"({e}). Delete it to rebuild the cache.") from None
    return [_join(meta["structure"], iter([c[i] for c in columns])) for i in range(count)]
