"""Helpers shared by the data adapters: unpacking batches and moving leaves to the engine."""
import numpy as np

from kfront import config
from kfront.backend.loader import adapter
from kfront.trainers.data_adapters.engine_tensors import engine_of, engine_to_numpy
from kfront.utils import tree

_B = adapter()
_batch_array = getattr(_B, "batch_array", None) or \
    (lambda arr, dtype, copy: _B.convert_to_tensor(arr, dtype=dtype))  # tensors are copies


def pack_x_y_sample_weight(x, y=None, sample_weight=None):
    """The batch a step receives, as Keras packs it (also ``kfront.utils``'s): ``x`` alone
    when there is no ``y`` (``(x,)`` when ``x`` is itself a list or tuple, so it is not read
    as ``(x, y)``), then ``(x, y)``, ``(x, y, sample_weight)``."""
    if y is None:
        return (x,) if isinstance(x, (list, tuple)) else x
    return (x, y) if sample_weight is None else (x, y, sample_weight)


def unpack_x_y_sample_weight(data):
    """(x,), (x, y), (x, y, sample_weight) or a bare x -> (x, y, sample_weight), absent parts
    None; a list counts as a tuple, as in Keras (also ``kfront.utils``'s)::

        x, y, sample_weight = kfront.utils.unpack_x_y_sample_weight((features, labels))
    """
    if isinstance(data, list):
        data = tuple(data)
    if isinstance(data, tuple):
        if len(data) == 1:
            return data[0], None, None
        if len(data) == 2:
            return data[0], data[1], None
        if len(data) == 3:
            return data
        raise ValueError(
            "Data should be a tuple (x,), (x, y) or (x, y, sample_weight); received a tuple of "
            f"{len(data)} elements."
        )
    return data, None, None


def to_tensor(arr, copy=False):
    """A host array (or a tensor of the running engine) as a compiled step takes it;
    floating point data in ``floatx``, as layers expect. NumPy arrays go through the
    adapter's ``batch_array`` where it has one (JAX on CPU keeps them NumPy); ``copy``:
    the array may be refilled by its source (a generator reusing a buffer) while the
    batch waits in the prefetch queue, so a batch kept as NumPy must be a copy."""
    if isinstance(arr, np.ndarray):
        return _batch_array(arr, config.floatx() if arr.dtype.kind == "f" else None, copy)
    if "float" in _B.dtype(arr):
        return _B.convert_to_tensor(arr, dtype=config.floatx())
    return _B.convert_to_tensor(arr)


def leaf_to_tensor(leaf, arg):
    """One leaf of a batch from a generator, PyDataset, tf.data or DataLoader."""
    if leaf is None:
        return None
    if _B.is_tensor(leaf):
        return to_tensor(leaf)
    # The source owns what it yields (torch's .numpy() shares the tensor's memory).
    if engine_of(leaf) is not None:
        return to_tensor(engine_to_numpy(leaf), copy=True)
    from kfront.trainers.data_adapters.array_data_adapter import to_array
    return to_tensor(to_array(leaf, arg), copy=True)


def leaf_to_numpy(leaf, arg):
    if leaf is None:
        return None
    if engine_of(leaf) is not None:
        return engine_to_numpy(leaf)
    from kfront.trainers.data_adapters.array_data_adapter import to_array
    return to_array(leaf, arg)


def class_weight_to_sample_weight(y, class_weight):
    """Per-sample weights from a ``{class: weight}`` dict and integer or one-hot labels."""
    y = np.asarray(y)
    if y.ndim > 1 and y.shape[-1] > 1:
        labels = np.argmax(y, axis=-1)
    else:
        labels = y.reshape(len(y), -1)[:, 0]
    labels = labels.astype(int)
    missing = sorted(set(np.unique(labels).tolist()) - set(int(k) for k in class_weight))
    if missing:
        raise ValueError(f"`class_weight` has no entry for class(es) {missing} found in y. "
                         f"Classes given: {sorted(class_weight)}.")
    return np.array([class_weight[int(c)] for c in labels], dtype="float32")


def batch_to_tensors(batch, class_weight=None):
    """A host batch ``(x[, y[, sample_weight]])`` as engine tensors."""
    names = ("x", "y", "sample_weight")
    if class_weight is not None and len(batch) == 2:
        y = tree.map_structure(lambda a: leaf_to_numpy(a, "y"), batch[1])
        batch = (batch[0], y, class_weight_to_sample_weight(tree.flatten(y)[0], class_weight))
    return pack_x_y_sample_weight(*(
        tree.map_structure(lambda a, arg=names[i]: leaf_to_tensor(a, arg), part)
        for i, part in enumerate(batch)))
