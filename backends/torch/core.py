"""Tensors and dtypes on torch: conversion in and out, shapes, dtype names, casts.

Also the helpers the other torch adapter modules share: ``DEVICE``, ``to_torch_dtype``
and ``as_tensor`` (the fast path of ``convert_to_tensor``).
"""
import numpy as np
import torch

from kfront import config

__all__ = ["is_tensor", "convert_to_tensor", "convert_to_numpy", "shape", "dtype", "cast",
           "stop_gradient", "batch_array", "runs_on_cpu"]

Tensor = torch.Tensor



def _default_device():
    """``KFRONT_DEVICE`` when set, else the GPU when there is one (as Keras' torch backend)."""
    from kfront.backend.device import default_device_from_env
    chosen = default_device_from_env()
    if chosen is None:
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    kind, index = chosen
    if kind == "cpu":
        return torch.device("cpu")
    if kind == "gpu" and index < torch.cuda.device_count():
        return torch.device(f"cuda:{index}")
    raise ValueError(f"KFRONT_DEVICE={kind}:{index} is not available to torch "
                     f"({torch.cuda.device_count()} CUDA devices).")


DEVICE = _default_device()
_ON_CPU = DEVICE.type == "cpu"

# torch has no arithmetic for uint16/uint32; like Keras, those names map to the next wider
# signed type, which holds every value.
_TORCH_DTYPES = {
    "float16": torch.float16, "bfloat16": torch.bfloat16, "float32": torch.float32,
    "float64": torch.float64, "int8": torch.int8, "int16": torch.int16, "int32": torch.int32,
    "int64": torch.int64, "uint8": torch.uint8, "uint16": torch.int32, "uint32": torch.int64,
    "bool": torch.bool, "complex64": torch.complex64, "complex128": torch.complex128,
}
_NAMES = {
    torch.float16: "float16", torch.bfloat16: "bfloat16", torch.float32: "float32",
    torch.float64: "float64", torch.int8: "int8", torch.int16: "int16", torch.int32: "int32",
    torch.int64: "int64", torch.uint8: "uint8", torch.bool: "bool",
    torch.complex64: "complex64", torch.complex128: "complex128",
    torch.uint16: "uint16", torch.uint32: "uint32",
}
_ALIASES = {"float": "float32", "double": "float64", "half": "float16", "int": "int32",
            "long": "int64", "bool_": "bool"}
# NumPy dtypes torch.from_numpy cannot take, and what to read them as instead.
_NUMPY_WIDEN = {np.dtype("uint16"): np.dtype("int32"), np.dtype("uint32"): np.dtype("int64"),
                np.dtype("uint64"): np.dtype("int64")}
_FLOAT64 = np.dtype("float64")
_NUMPY_OF_TORCH = {
    torch.float16: np.dtype("float16"), torch.float32: np.dtype("float32"),
    torch.float64: _FLOAT64, torch.int8: np.dtype("int8"), torch.int16: np.dtype("int16"),
    torch.int32: np.dtype("int32"), torch.int64: np.dtype("int64"),
    torch.uint8: np.dtype("uint8"), torch.bool: np.dtype("bool"),
    torch.complex64: np.dtype("complex64"), torch.complex128: np.dtype("complex128"),
}
_TORCH_OF_NUMPY = {v: k for k, v in _NUMPY_OF_TORCH.items()}


def to_torch_dtype(dtype):
    """A torch dtype from a kfront dtype name (or a torch/NumPy dtype)."""
    found = _TORCH_DTYPES.get(dtype)
    if found is not None:
        return found
    if isinstance(dtype, torch.dtype):
        return dtype
    name = getattr(dtype, "name", None) if not isinstance(dtype, str) else dtype
    if name is None:
        name = np.dtype(dtype).name
    name = _ALIASES.get(name, name)
    try:
        return _TORCH_DTYPES[name]
    except KeyError:
        raise ValueError(f"Unknown dtype {dtype!r}; expected one of {sorted(_TORCH_DTYPES)}.")


def floatx_dtype():
    return _TORCH_DTYPES[config.floatx()]


def is_tensor(x):
    return isinstance(x, Tensor)


def as_tensor(x):
    """``convert_to_tensor(x)`` with the tensor case first: the hot path of every op."""
    if isinstance(x, Tensor) and (_ON_CPU or x.device == DEVICE):
        return x
    return convert_to_tensor(x)


def convert_to_tensor(x, dtype=None, sparse=None, ragged=None):
    """An engine tensor from a tensor, NumPy array, Python scalar or (nested) list."""
    if sparse or ragged:
        raise ValueError("convert_to_tensor: the torch backend has no sparse or ragged "
                         f"tensors; pass sparse and ragged as False or None. Received: "
                         f"sparse={sparse}, ragged={ragged}.")
    if isinstance(x, Tensor):
        if not _ON_CPU and x.device != DEVICE:
            x = x.to(DEVICE)
        if dtype is None:
            return x
        dt = to_torch_dtype(dtype)
        return x if x.dtype == dt else x.to(dt)
    dt = None if dtype is None else to_torch_dtype(dtype)
    if isinstance(x, (bool, int, float)) and not isinstance(x, np.generic):
        if dt is None:
            dt = _scalar_dtype(x)
        return torch.scalar_tensor(x, dtype=dt, device=DEVICE)
    if isinstance(x, (list, tuple)):
        if _holds_tensor(x):
            x = torch.stack([convert_to_tensor(item) for item in x])
            return x if dt is None or x.dtype == dt else x.to(dt)
        arr = np.asarray(x)
        if dt is None and arr.dtype.kind in "iu" and arr.dtype.itemsize == 8:
            # Python ints in a list follow the scalar rule: int32 unless too large.
            dt = _int_list_dtype(arr)
        return _from_numpy(arr, dt, fresh=True)
    return _from_numpy(np.asarray(x), dt)


def batch_array(arr, dtype=None, copy=False):
    """A NumPy batch as a step takes it. Without ``copy`` (nothing refills the array while
    the batch waits) the tensor shares a writable array's memory where its dtype is already
    the target one, as Keras's torch backend does: steps only read their batches, and the
    copy shows in a one-sample ``predict``."""
    dt = None if dtype is None else to_torch_dtype(dtype)
    return _from_numpy(arr, dt, fresh=not copy and arr.flags.writeable)


def without_grad(fn, *args):
    """``fn(*args)`` with gradient recording off, as under ``torch.no_grad()``, without the
    two Python objects that context builds per use: it wraps every predict step and every
    variable assignment."""
    enabled = torch.is_grad_enabled()
    torch._C._set_grad_enabled(False)
    try:
        return fn(*args)
    finally:
        torch._C._set_grad_enabled(enabled)


def runs_on_cpu():
    """Whether steps run on the host CPU (the default device is no accelerator)."""
    return _ON_CPU


def _scalar_dtype(x):
    if isinstance(x, bool):
        return torch.bool
    if isinstance(x, int):
        return torch.int32 if -(2 ** 31) <= x < 2 ** 31 else torch.int64
    return floatx_dtype()


def _int_list_dtype(arr):
    if arr.size == 0 or (arr.min() >= -(2 ** 31) and arr.max() < 2 ** 31):
        return torch.int32
    return torch.int64


def _holds_tensor(seq):
    for item in seq:
        if isinstance(item, Tensor):
            return True
        if isinstance(item, (list, tuple)) and _holds_tensor(item):
            return True
    return False


def _from_numpy(arr, dt, fresh=False):
    """A tensor holding a copy of ``arr`` (never aliasing the caller's array)."""
    if dt is None:
        if arr.dtype == _FLOAT64:
            dt = floatx_dtype()
        elif arr.dtype.name == "bfloat16":
            dt = torch.bfloat16
        else:
            wide = _NUMPY_WIDEN.get(arr.dtype)
            if wide is not None:
                arr, fresh = arr.astype(wide), True
            try:
                dt = _TORCH_OF_NUMPY[arr.dtype]
            except KeyError:
                raise ValueError(
                    f"Cannot convert an array of dtype {arr.dtype} to a torch tensor.")
    target = _NUMPY_OF_TORCH.get(dt)
    if target is None:
        # bfloat16 has no NumPy dtype torch reads: go through float32.
        return torch.from_numpy(arr.astype(np.float32)).to(device=DEVICE, dtype=dt)
    if arr.dtype != target:
        arr = arr.astype(target)
    elif not arr.flags.c_contiguous or (_ON_CPU and not fresh):
        # Copy so that later writes to either side stay on that side (a move to the
        # GPU copies anyway).
        arr = np.array(arr, copy=True, order="C")
    out = torch.from_numpy(arr)
    return out if _ON_CPU else out.to(DEVICE)


def convert_to_numpy(x):
    """A NumPy array with the value of ``x`` (bfloat16 via ml_dtypes)."""
    if isinstance(x, Tensor):
        # (requires_grad and is_cpu are flags; ``x.device`` builds an object, and this runs
        # on every predict output.)
        if x.requires_grad:
            x = x.detach()
        if not x.is_cpu:
            x = x.cpu()
        if x.dtype == torch.bfloat16:
            import ml_dtypes
            return x.float().numpy().astype(ml_dtypes.bfloat16)
        return x.numpy().copy()
    if isinstance(x, (list, tuple)) and _holds_tensor(x):
        return convert_to_numpy(convert_to_tensor(x))
    return np.asarray(x)


def shape(x):
    """The static shape as a tuple of Python ints."""
    if isinstance(x, Tensor):
        return tuple(x.shape)
    return tuple(as_tensor(x).shape)


def dtype(x):
    """The kfront dtype name of ``x`` (after the conversion rules for non-tensors)."""
    if not isinstance(x, Tensor):
        x = convert_to_tensor(x)
    return _NAMES[x.dtype]


def dtype_name(torch_dtype):
    return _NAMES[torch_dtype]


def cast(x, dtype):
    dt = to_torch_dtype(dtype)
    if isinstance(x, Tensor):
        return x if x.dtype == dt else x.to(dt)
    return convert_to_tensor(x, dt)


def stop_gradient(variable):
    return as_tensor(variable).detach()
