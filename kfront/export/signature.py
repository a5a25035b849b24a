"""Input signatures of exported functions: nested structures of ``InputSpec``s.

One engine-free form (``InputSpec`` with ``shape``, ``dtype`` and ``name``) is what every
route reads; ``to_json``/``from_json`` carry it to a process on another backend.
"""
import numpy as np

from kfront import tree
from kfront.backend.dtypes import standardize_dtype
from kfront.backend.keras_tensor import KerasTensor
from kfront.layers.input_spec import InputSpec


def model_signature(model):
    """The positional arguments of ``model(...)`` as a list of (nested) specs, with a
    dynamic batch size. The model must be built (and a subclassed one called once)."""
    from kfront.models.functional import Functional
    from kfront.models.sequential import Sequential
    check_built(model)
    if isinstance(model, Functional):
        return [tree.map_structure(_spec_of_tensor, model._inputs_struct)]
    if isinstance(model, Sequential):
        return [_spec_of_tensor(model.inputs[0])]
    shape = getattr(model, "_build_input_shape", None)
    if shape is None:
        raise ValueError(
            f'Model "{model.name}" has never been called, so the shapes of its inputs are '
            "unknown. Call it once on a batch (or pass `input_signature=`) before export.")
    dtype = getattr(model, "compute_dtype", None) or "float32"
    return [_specs_from_shapes(shape, dtype)]


def check_built(model):
    from kfront.layers.layer import Layer
    if not isinstance(model, Layer):
        raise TypeError(f"Expected a kfront Model or Layer to export; received "
                        f"{type(model).__name__}.")
    if not model.built:
        raise ValueError(
            f'Model "{model.name}" has not yet been built, so it has no weights to export. '
            "Build it first: call it on a batch, call `model.build(input_shape)`, or start "
            "it with `kfront.Input(shape=...)`.")


def as_specs(signature):
    """A user's ``input_signature`` as a list of (nested) ``InputSpec``s, one per positional
    argument. Leaves may be ``InputSpec``, ``KerasTensor``, a tensor or array (its shape
    and dtype; the batch becomes dynamic) or anything with ``shape`` and ``dtype``, such as
    ``tf.TensorSpec``."""
    if isinstance(signature, dict) or not isinstance(signature, (list, tuple)):
        raise ValueError(
            "`input_signature` must be a list with one entry per positional argument, e.g. "
            "[kfront.InputSpec(shape=(None, 3), dtype='float32')]; received "
            f"{type(signature).__name__}.")
    return [tree.map_structure(_spec_of_leaf, arg) for arg in signature]


def _spec_of_leaf(x):
    if isinstance(x, InputSpec):
        if x.shape is None or x.dtype is None:
            raise ValueError(f"An InputSpec in `input_signature` needs both `shape` and "
                             f"`dtype`; received shape={x.shape}, dtype={x.dtype}.")
        return InputSpec(shape=tuple(x.shape), dtype=standardize_dtype(x.dtype), name=x.name)
    if isinstance(x, KerasTensor):
        return _spec_of_tensor(x)
    shape, dtype = getattr(x, "shape", None), getattr(x, "dtype", None)
    if shape is None or dtype is None:
        raise TypeError(
            f"Unsupported entry in `input_signature`: {x!r} of type {type(x).__name__}. "
            "Expected kfront.InputSpec, kfront.KerasTensor, a tensor or tf.TensorSpec.")
    dims = tuple(None if d is None else int(d) for d in _dims(shape))
    if not _is_spec_like(x) and dims:
        dims = (None,) + dims[1:]  # a concrete tensor stands for a batch of any size
    return InputSpec(shape=dims, dtype=_dtype_name(dtype), name=getattr(x, "name", None)
                     if isinstance(getattr(x, "name", None), str) else None)


def _is_spec_like(x):
    return type(x).__name__ in ("TensorSpec", "ShapeDtypeStruct")


def _dims(shape):
    as_list = getattr(shape, "as_list", None)  # tf.TensorShape
    return as_list() if as_list is not None else tuple(shape)


def _dtype_name(dtype):
    name = getattr(dtype, "name", None)  # tf.DType
    if isinstance(name, str):
        return standardize_dtype(name)
    if isinstance(dtype, np.dtype):
        return standardize_dtype(dtype.name)
    return standardize_dtype(dtype)


def _spec_of_tensor(x):
    shape = tuple(x.shape)
    return InputSpec(shape=(None,) + shape[1:] if shape else shape,
                     dtype=standardize_dtype(x.dtype), name=getattr(x, "name", None))


def _specs_from_shapes(shapes, dtype):
    if isinstance(shapes, (list, tuple)) and all(d is None or isinstance(d, int)
                                                 for d in shapes):
        return InputSpec(shape=(None,) + tuple(shapes)[1:], dtype=dtype)
    if isinstance(shapes, dict):
        return {k: _specs_from_shapes(v, dtype) for k, v in shapes.items()}
    return [_specs_from_shapes(v, dtype) for v in shapes]


def with_dynamic_batch(specs):
    """The same specs with the first axis of each one ``None``."""
    return tree.map_structure(
        lambda s: InputSpec(shape=(None,) + tuple(s.shape)[1:] if s.shape else (),
                            dtype=s.dtype, name=s.name), specs)


def to_json(specs):
    """A JSON-able copy: each spec becomes ``{"shape", "dtype", "name"}``."""
    if isinstance(specs, InputSpec):
        return {"__spec__": True, "shape": list(specs.shape), "dtype": specs.dtype,
                "name": specs.name}
    if isinstance(specs, dict):
        return {"__dict__": {k: to_json(v) for k, v in specs.items()}}
    return [to_json(s) for s in specs]


def from_json(data):
    if isinstance(data, dict) and data.get("__spec__"):
        return InputSpec(shape=tuple(data["shape"]), dtype=data["dtype"], name=data["name"])
    if isinstance(data, dict):
        return {k: from_json(v) for k, v in data["__dict__"].items()}
    return [from_json(d) for d in data]


def flat_names(specs):
    """One distinct, safe name per flattened input (a spec's name where it has one)."""
    names = []
    for i, spec in enumerate(tree.flatten(specs)):
        base = "".join(c if c.isalnum() or c == "_" else "_" for c in (spec.name or "")) \
            or f"input_{i}"
        name, n = base, 1
        while name in names:
            name, n = f"{base}_{n}", n + 1
        names.append(name)
    return names
