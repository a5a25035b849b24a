"""Shape manipulation, indexing, creation, sorting, searching and set ops (keras.ops.numpy) on JAX.

Everything here traces under ``jax.jit`` except ``nonzero`` and ``unique`` without ``size``,
whose output shapes depend on the values (as in JAX itself).
"""
import jax
import jax.numpy as jnp
import numpy as np

from kfront.backend import array_args as _args
from kfront.backend.contract import NUMPY_ARRAY_OPS
from kfront.backends.jax.core import convert_to_tensor as _tensor
from kfront.backends.jax.core import floatx_dtype as _floatx
from kfront.backends.jax.core import jax_dtype as _jdtype

__all__ = list(NUMPY_ARRAY_OPS)  # the contract's family, in its order


def _int32(x):
    return x if x.dtype == jnp.int32 else x.astype(jnp.int32)


def argpartition(x, kth, axis=-1):
    """Indices that partition ``x`` around its ``kth`` smallest entry along ``axis`` (int32)."""
    x = _tensor(x)
    if axis is None:
        x, axis = x.reshape(-1), 0
    n = x.shape[axis]
    _args.check_kth(kth, n)
    if x.dtype == jnp.bool_:
        x = x.astype(jnp.int32)
    return _int32(jnp.argpartition(x, int(kth) % n, axis=axis))


def copy(x):
    return jnp.copy(_tensor(x))


def diag(x, k=0):
    x = _tensor(x)
    _args.check_diag_rank(x.shape)
    return jnp.diag(x, k=k)


def diagonal(x, offset=0, axis1=0, axis2=1):
    x = _tensor(x)
    _args.check_matrix("diagonal", x.shape)
    return jnp.diagonal(x, offset=offset, axis1=axis1, axis2=axis2)


def empty(shape, dtype=None):
    return jnp.empty(shape, dtype=_floatx() if dtype is None else _jdtype(dtype))


def empty_like(x, dtype=None):
    return jnp.empty_like(_tensor(x), dtype=_jdtype(dtype))


def _out_dtype(dtype):
    return _floatx() if dtype is None else _jdtype(dtype)


def _float_bounds(*values):
    return [_tensor(v, _floatx()) for v in values]


def logspace(start, stop, num=50, endpoint=True, base=10, dtype=None, axis=0):
    start, stop = _float_bounds(start, stop)
    out = jnp.logspace(start, stop, num, endpoint=endpoint, base=base, axis=axis)
    return out.astype(_out_dtype(dtype))


def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0):
    if not (isinstance(start, jax.core.Tracer) or isinstance(stop, jax.core.Tracer)):
        if np.any(np.asarray(start) == 0) or np.any(np.asarray(stop) == 0):
            raise ValueError("geomspace: a geometric sequence cannot include zero; "
                             f"received start={start}, stop={stop}.")
    start, stop = _float_bounds(start, stop)
    out = jnp.geomspace(start, stop, num, endpoint=endpoint, axis=axis)
    return out.astype(_out_dtype(dtype))


def _index_key(key):
    """Lists inside an index become arrays (JAX refuses list indices)."""
    if isinstance(key, tuple):
        return tuple(_index_key(k) for k in key)
    if isinstance(key, list):
        return np.asarray(key)
    return key


def get_item(x, key):
    """``x[key]`` with NumPy's indexing rules (ints, slices, None, Ellipsis, index arrays,
    boolean masks)."""
    return _tensor(x)[_index_key(key)]


def nonzero(x):
    return tuple(_int32(i) for i in jnp.nonzero(_tensor(x)))


def roll(x, shift, axis=None):
    return jnp.roll(_tensor(x), shift, axis=tuple(axis) if isinstance(axis, list) else axis)


def searchsorted(sorted_sequence, values, side="left"):
    """Insertion points (int32) of ``values`` into the 1-D ``sorted_sequence``."""
    seq = _tensor(sorted_sequence)
    _args.check_searchsorted(side, seq.shape)
    return _int32(jnp.searchsorted(seq, _tensor(values), side=side))


def tril(x, k=0):
    x = _tensor(x)
    _args.check_matrix("tril", x.shape)
    return jnp.tril(x, k=k)


def triu(x, k=0):
    x = _tensor(x)
    _args.check_matrix("triu", x.shape)
    return jnp.triu(x, k=k)


def unstack(x, num=None, axis=0):
    x = _tensor(x)
    _args.check_unstack_num(num, x.shape, axis)
    n = x.shape[axis]
    return [jax.lax.index_in_dim(x, i, axis, keepdims=False) for i in range(n)]


def view(x, dtype=None):
    """The bytes of ``x`` read as ``dtype``; the last axis scales by the itemsize ratio.
    64-bit dtypes narrow as everywhere on JAX, so "float64" reads float32 items."""
    x = _tensor(x)
    new = x.dtype if dtype is None else _jdtype(dtype)
    old_size, new_size = x.dtype.itemsize, jnp.dtype(new).itemsize
    if old_size != new_size and (x.ndim == 0 or (x.shape[-1] * old_size) % new_size):
        raise ValueError(f"view: cannot view a tensor of shape {tuple(x.shape)} and dtype "
                         f"{x.dtype.name} as {jnp.dtype(new).name}: the last axis must hold a "
                         "whole number of the new items.")
    return x.view(new)


def unique(x, sorted=True, return_index=False, return_inverse=False, return_counts=False,
           axis=None, size=None, fill_value=None):
    """The distinct entries of ``x`` (or distinct slices along ``axis``), sorted, or in
    order of first occurrence with ``sorted=False``. ``size`` cuts or pads the result
    (values with ``fill_value``, default 0; indices with 1 and counts with 0, as Keras
    does), which makes it traceable under ``jax.jit``. Indices, inverse and counts are
    int32."""
    x = _tensor(x)
    dim = 0 if axis is None else axis % x.ndim
    n_in = x.size if axis is None else x.shape[dim]
    values, index, inverse, counts = jnp.unique(
        x, return_index=True, return_inverse=True, return_counts=True, axis=axis,
        size=size, fill_value=None if size is None else (0 if fill_value is None
                                                         else fill_value))
    if size is not None:
        # Slots past the distinct count have zero counts.
        index = jnp.where(counts > 0, index, 1)
    if not sorted:
        # First occurrence first; padded slots stay last.
        key = index if size is None else jnp.where(counts > 0, index, n_in)
        order = jnp.argsort(key)
        values = jnp.take(values, order, axis=dim)
        index, counts = index[order], counts[order]
        inverse = jnp.argsort(order)[inverse]
    if axis is None:
        inverse = inverse.reshape(x.shape)
    else:
        inverse = inverse.reshape(-1)
    out = [values]
    if return_index:
        out.append(_int32(index))
    if return_inverse:
        out.append(_int32(inverse))
    if return_counts:
        out.append(_int32(counts))
    return out[0] if len(out) == 1 else tuple(out)
