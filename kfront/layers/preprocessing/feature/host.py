"""Support for the layers that work on strings, which torch and JAX tensors cannot hold.

``StringLookup``, ``TextVectorization`` and ``Hashing`` run on the host over NumPy arrays
and Python strings and hand back engine tensors of integers or floats. They belong in the
input pipeline (or before ``fit``): a symbolic (Functional) or compiled call reaches no
strings, so it is refused with a message that says where to apply the layer instead.
"""
import numpy as np

from kfront.backend.keras_tensor import KerasTensor
from kfront.utils import tree


def refuse_symbolic(layer, inputs):
    if any(isinstance(x, KerasTensor) for x in tree.flatten(inputs)):
        raise ValueError(
            f'Layer "{layer.name}" ({type(layer).__name__}) works on strings on the host and '
            "cannot be part of a symbolic model or a compiled step: engine tensors hold no "
            "strings. Apply it to the data before the model instead, e.g. "
            "`x = layer(texts)` before `model.fit(x, y)`, or in a dataset's `map`.")


def host_array(layer, inputs):
    """``inputs`` (strings, lists, NumPy arrays or eager engine tensors) as a NumPy array."""
    refuse_symbolic(layer, inputs)
    if isinstance(inputs, (str, bytes)):
        return np.asarray(inputs, dtype=object)
    if isinstance(inputs, np.ndarray):
        return inputs
    if isinstance(inputs, (list, tuple)):
        try:
            return np.asarray(inputs)
        except ValueError:
            raise ValueError(f'Layer "{layer.name}" received a ragged nested list; pad it '
                             "(e.g. with `kfront.utils.pad_sequences`) first.") from None
    from kfront import ops
    try:
        return ops.convert_to_numpy(inputs)
    except Exception as e:  # noqa: BLE001 - each engine fails differently on a traced value
        raise ValueError(
            f'Layer "{layer.name}" ({type(layer).__name__}) runs on the host and was called '
            "inside a compiled function, where values cannot be read. Apply it to the data "
            f"before the model instead ({type(e).__name__}).") from None


def to_text(value, encoding="utf-8"):
    """A string element as ``str`` (bytes are decoded)."""
    if isinstance(value, bytes):
        return value.decode(encoding)
    if isinstance(value, (str, np.str_)):
        return str(value)
    raise ValueError(f"Expected strings, received {type(value).__name__}: {value!r:.60}")


def batches(data):
    """Yields the feature batches of ``data``: an array/list (one batch) or a dataset of
    batches (``(x, y)`` batches give ``x``)."""
    from kfront.utils.py_dataset import PyDataset
    if isinstance(data, PyDataset) or (hasattr(data, "__iter__") and not isinstance(
            data, (np.ndarray, list, tuple, str, bytes)) and not hasattr(data, "shape")):
        items = (data[i] for i in range(len(data))) if isinstance(data, PyDataset) else data
        for item in items:
            yield item[0] if isinstance(item, tuple) else item
        return
    yield data
