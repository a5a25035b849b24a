"""Public ops of ``kfront.ops``: slicing, scatter and segment reductions (Keras 3's
``keras.ops.slice``, ``slice_update``, ``scatter``, ``scatter_update`` and
``keras.ops.segment_*``). They check Keras's arguments, build Functional graph nodes on
``KerasTensor``s and call the engine kernel (``contract.CONTROL_FLOW_OPS``)."""
import numpy as np

from kfront.backend.keras_tensor import KerasTensor
from kfront.backend.loader import adapter
from kfront.ops import _structured as st

_B = adapter()


def _shape_of(x):
    if isinstance(x, KerasTensor):
        return x.shape
    return tuple(_B.shape(x)) if _B.is_tensor(x) else np.shape(x)


def _dtype_of(x):
    if isinstance(x, KerasTensor):
        return x.dtype
    return _B.dtype(x)


def _static_ints(values):
    """``values`` as Python ints when known before running (ints, lists, NumPy), else None."""
    if isinstance(values, (list, tuple)) and all(
            isinstance(v, (int, np.integer)) for v in values):
        return [int(v) for v in values]
    if isinstance(values, np.ndarray) and values.dtype.kind in "iu":
        return [int(v) for v in values.reshape(-1)]
    return None


def _check_block(op, shape, starts, sizes, sizes_name):
    """A block of ``sizes`` at ``starts`` must lie inside ``shape`` (known dims only)."""
    for axis, (dim, start, size) in enumerate(zip(shape, starts, sizes)):
        end = dim if size == -1 else start + size
        if start < 0 or (dim is not None and end > dim) or size < -1:
            raise ValueError(
                f"{op}: the block at start_indices={tuple(starts)} with {sizes_name}="
                f"{tuple(sizes)} does not fit in inputs of shape {tuple(shape)} (axis {axis}).")


def slice(inputs, start_indices, shape):
    """``inputs[start : start + shape]`` on every axis; ``start_indices`` may be a tensor.
    A ``shape`` entry of -1 takes the rest of that axis.

    Example: ``ops.slice(x, [1, 0], [2, -1])`` is ``x[1:3, :]``.
    """
    inputs, start_indices = st.values(inputs), st.values(start_indices)
    in_shape = _shape_of(inputs)
    shape = tuple(int(n) for n in shape)
    if len(shape) != len(in_shape):
        raise ValueError("slice: the number of dimensions in `inputs` must match the number "
                         f"of dimensions in `shape`. Received inputs.shape={tuple(in_shape)} "
                         f"and shape={shape}")
    starts = _static_ints(start_indices)
    n_starts = len(starts) if starts is not None else _shape_of(start_indices)[0]
    if n_starts is not None and n_starts != len(in_shape):
        raise ValueError("slice: `start_indices` must have one entry per dimension of "
                         f"`inputs`. Received start_indices={start_indices!r} and "
                         f"inputs.shape={tuple(in_shape)}")
    if starts is not None:
        _check_block("slice", in_shape, starts, shape, "shape")
    if st.is_symbolic(inputs, start_indices):
        out = tuple(n if n != -1 else (None if starts is None or d is None else d - s)
                    for n, d, s in zip(shape, in_shape, starts or [0] * len(shape)))
        return st.symbolic_node("slice", slice, (inputs, start_indices, shape), {},
                                KerasTensor(out, dtype=inputs.dtype))
    return _B.slice(inputs, start_indices, shape)


def slice_update(inputs, start_indices, updates):
    """``inputs`` with the block at ``start_indices`` replaced by ``updates`` (same rank),
    cast to ``inputs``' dtype.

    Example: ``ops.slice_update(ops.zeros((4, 4)), [1, 1], ops.ones((2, 2)))``
    """
    inputs, start_indices, updates = (st.values(inputs), st.values(start_indices),
                                      st.values(updates))
    in_shape, up_shape = _shape_of(inputs), _shape_of(updates)
    if len(up_shape) != len(in_shape):
        raise ValueError("slice_update: `updates` must have the rank of `inputs`. Received "
                         f"inputs.shape={tuple(in_shape)}, updates.shape={tuple(up_shape)}")
    starts = _static_ints(start_indices)
    if starts is not None:
        if len(starts) != len(in_shape):
            raise ValueError("slice_update: `start_indices` must have one entry per "
                             f"dimension of `inputs`. Received start_indices={starts}, "
                             f"inputs.shape={tuple(in_shape)}")
        if None not in up_shape:
            _check_block("slice_update", in_shape, starts, up_shape, "updates.shape")
    if st.is_symbolic(inputs, start_indices, updates):
        return st.symbolic_node("slice_update", slice_update, (inputs, start_indices, updates),
                                {}, KerasTensor(in_shape, dtype=_dtype_of(inputs)))
    return _B.slice_update(inputs, start_indices, updates)


def scatter(indices, values, shape):
    """A tensor of ``shape``, zero except at ``indices`` (``(N, k)``, ``k <= len(shape)``),
    which get ``values``; duplicate indices add up.

    Example: ``ops.scatter([[0, 1], [1, 1]], [1.0, 2.0], (2, 2))``
    """
    indices, values = st.values(indices), st.values(values)
    shape = tuple(int(d) for d in shape)
    _check_indices("scatter", indices, values, shape, "values")
    if st.is_symbolic(indices, values):
        return st.symbolic_node("scatter", scatter, (indices, values, shape), {},
                                KerasTensor(shape, dtype=_dtype_of(values)))
    return _B.scatter(indices, values, shape)


def _check_indices(op, indices, values, shape, values_name):
    ind_shape, val_shape = _shape_of(indices), _shape_of(values)
    if len(ind_shape) < 1 or ind_shape[-1] is None or ind_shape[-1] > len(shape):
        raise ValueError(f"{op}: `indices` must have shape (..., k) with k <= {len(shape)}, "
                         f"the rank of the target. Received indices.shape={tuple(ind_shape)}")
    want = tuple(ind_shape[:-1]) + tuple(shape[ind_shape[-1]:])
    if len(val_shape) != len(want) or any(
            a is not None and b is not None and a != b for a, b in zip(val_shape, want)):
        raise ValueError(f"{op}: `{values_name}` must have shape {want} (indices.shape[:-1] + "
                         f"the target's remaining dims). Received {values_name}.shape="
                         f"{tuple(val_shape)}")


_REDUCTIONS = (None, "add", "max", "min", "mul")


def scatter_update(inputs, indices, updates, reduction=None):
    """``inputs`` with ``inputs[indices] = updates``, or combined with them by
    ``reduction`` ("add", "max", "min" or "mul"; None replaces).

    Example: ``ops.scatter_update(ops.zeros((4,)), [[0], [0]], [1.0, 2.0], reduction="add")``
    """
    if reduction is not None:
        reduction = reduction.lower() if isinstance(reduction, str) else reduction
    if reduction not in _REDUCTIONS:
        raise ValueError(f"scatter_update: invalid reduction: {reduction!r}. Supported values "
                         "are: None, 'add', 'max', 'min', 'mul'.")
    inputs, indices, updates = st.values(inputs), st.values(indices), st.values(updates)
    _check_indices("scatter_update", indices, updates, _shape_of(inputs), "updates")
    if st.is_symbolic(inputs, indices, updates):
        return st.symbolic_node("scatter_update", scatter_update, (inputs, indices, updates),
                                {"reduction": reduction},
                                KerasTensor(_shape_of(inputs), dtype=_dtype_of(inputs)))
    return _B.scatter_update(inputs, indices, updates, reduction=reduction)


def _segment_op(name, doc):
    kernel = getattr(_B, name)

    def op(data, segment_ids, num_segments=None, sorted=False):
        data, segment_ids = st.values(data), st.values(segment_ids)
        data_shape, ids_shape = _shape_of(data), _shape_of(segment_ids)
        if len(ids_shape) != 1:
            raise ValueError(
                "Argument `segment_ids` should be an 1-D vector, got shape: "
                f"{tuple(ids_shape)}. Consider either flatten input with "
                "segment_ids.reshape((-1)) and data.reshape((-1, ) + "
                "data.shape[len(segment_ids.shape):]) or vectorize with vmap.")
        if (ids_shape[0] is not None and data_shape and data_shape[0] is not None
                and ids_shape[0] != data_shape[0]):
            raise ValueError("Argument `segment_ids` and `data` should have same leading "
                             f"dimension. Got {tuple(ids_shape)} v.s. {tuple(data_shape)}.")
        if num_segments is not None and (not isinstance(num_segments, (int, np.integer))
                                         or num_segments < 0):
            raise ValueError(f"{name}: `num_segments` must be None or a non-negative int. "
                             f"Received: num_segments={num_segments!r}")
        if st.is_symbolic(data, segment_ids):
            spec = KerasTensor((num_segments,) + tuple(data_shape[1:]), dtype=_dtype_of(data))
            return st.symbolic_node(name, op, (data, segment_ids),
                                    {"num_segments": num_segments, "sorted": sorted}, spec)
        return kernel(data, segment_ids, num_segments=num_segments, sorted=bool(sorted))

    op.__name__ = op.__qualname__ = name
    op.__doc__ = doc + """

    Args:
        data: the values; axis 0 runs along ``segment_ids``.
        segment_ids: a 1-D integer tensor, one segment per row of ``data``. Ids outside
            ``[0, num_segments)`` are dropped.
        num_segments: the number of segments. If None it is ``max(segment_ids) + 1``, which
            needs concrete ids (not under ``jax.jit``).
        sorted: whether ``segment_ids`` are sorted (a hint; the result is the same).
    """
    return op


segment_sum = _segment_op("segment_sum", "The sum of the rows of ``data`` in each segment "
                          "(0 for an empty segment).")
segment_max = _segment_op("segment_max", "The max of the rows of ``data`` in each segment "
                          "(-inf, or the dtype's minimum, for an empty segment).")
segment_min = _segment_op("segment_min", "The min of the rows of ``data`` in each segment "
                          "(+inf, or the dtype's maximum, for an empty segment).")
segment_prod = _segment_op("segment_prod", "The product of the rows of ``data`` in each "
                           "segment (1 for an empty segment).")
