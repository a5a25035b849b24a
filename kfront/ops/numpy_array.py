"""Ops of ``kfront.ops.numpy``: shape manipulation, indexing, creation, sorting, searching and set ops.

Engine kernels come from ``kfront.backend.contract.NUMPY_ARRAY_OPS``; ops written here from contract
ops are marked with ``@composite``. Each is one or two engine calls (views, concatenations,
transposes), which is what the engines' own versions of these functions do too.
"""
import numpy as np

from kfront import config
from kfront.backend.contract import NUMPY_ARRAY_OPS
from kfront.backend.loader import adapter
from kfront.ops._export import composite, export
from kfront.ops._rearrange_pattern import parse_rearrange

__all__ = ["append", "array", "array_split", "diagflat", "dsplit", "dstack", "fliplr", "flipud",
           "hsplit", "hstack", "identity", "meshgrid", "moveaxis", "ravel", "rearrange",
           "rot90", "saturate_cast", "select", "swapaxes", "tri", "unravel_index", "vander",
           "vsplit", "vstack"]
export(NUMPY_ARRAY_OPS, globals())

_B = adapter()


def _ndim_at_least(name, x, n):
    if _B.ndim(x) < n:
        raise ValueError(f"{name}: `x` must have at least {n} dimension{'s' * (n > 1)}, "
                         f"received shape {tuple(_B.shape(x))}.")


def _axis(name, axis, ndim):
    if not -ndim <= axis < ndim:
        raise ValueError(f"{name}: axis {axis} is out of range for a tensor of rank {ndim}.")
    return axis % ndim


@composite
def array(x, dtype=None):
    """A tensor holding ``x`` (``dtype`` casts). Written from kfront ops: convert_to_tensor.

    Example: ``ops.array([1, 2])`` is an int32 tensor."""
    return _B.convert_to_tensor(x, dtype)


@composite
def ravel(x):
    """``x`` flattened to one axis. Written from kfront ops: reshape."""
    return _B.reshape(x, (-1,))


@composite
def append(x1, x2, axis=None):
    """``x2`` appended to ``x1`` along ``axis`` (both flattened when None). Written from
    kfront ops: concatenate."""
    if axis is None:
        return _B.concatenate([_B.reshape(x1, (-1,)), _B.reshape(x2, (-1,))])
    return _B.concatenate([x1, x2], axis=axis)


def _at_least(x, ndim):
    """``x`` with unit axes added as NumPy's atleast_1d/2d/3d add them."""
    x = _B.convert_to_tensor(x)
    shape = tuple(_B.shape(x))
    if len(shape) >= ndim:
        return x
    if ndim == 3 and len(shape) == 2:
        return _B.reshape(x, shape + (1,))
    if ndim == 3 and len(shape) == 1:
        return _B.reshape(x, (1,) + shape + (1,))
    return _B.reshape(x, (1,) * (ndim - len(shape)) + shape)


@composite
def hstack(xs):
    """Tensors joined column-wise (along axis 0 for 1-D ones). Written from kfront ops:
    concatenate."""
    xs = [_at_least(x, 1) for x in xs]
    return _B.concatenate(xs, axis=0 if _B.ndim(xs[0]) == 1 else 1)


@composite
def vstack(xs):
    """Tensors joined row-wise, 1-D ones as rows. Written from kfront ops: concatenate."""
    return _B.concatenate([_at_least(x, 2) for x in xs], axis=0)


@composite
def dstack(xs):
    """Tensors joined along a third axis. Written from kfront ops: concatenate."""
    return _B.concatenate([_at_least(x, 3) for x in xs], axis=2)


@composite
def array_split(x, indices_or_sections, axis=0):
    """``x`` split into pieces; ``n`` sections need not divide the axis (the first ones get
    one more entry). Written from kfront ops: split."""
    x = _B.convert_to_tensor(x)
    if not isinstance(indices_or_sections, (int, np.integer)):
        return _B.split(x, list(indices_or_sections), axis=axis)
    sections = int(indices_or_sections)
    if sections <= 0:
        raise ValueError(f"array_split: the number of sections must be positive, received "
                         f"{sections}.")
    n = _B.shape(x)[axis]
    if n is None:
        raise ValueError("array_split: the split axis must have a known size.")
    small, extra = divmod(n, sections)
    bounds = np.cumsum([small + 1] * extra + [small] * (sections - extra))[:-1]
    return _B.split(x, [int(b) for b in bounds], axis=axis)


@composite
def hsplit(x, indices_or_sections):
    """``split`` along axis 1 (axis 0 for 1-D tensors). Written from kfront ops: split."""
    _ndim_at_least("hsplit", x, 1)
    return _B.split(x, indices_or_sections, axis=0 if _B.ndim(x) == 1 else 1)


@composite
def vsplit(x, indices_or_sections):
    """``split`` along axis 0 of a tensor of rank 2 or more. Written from kfront ops: split."""
    _ndim_at_least("vsplit", x, 2)
    return _B.split(x, indices_or_sections, axis=0)


@composite
def dsplit(x, indices_or_sections):
    """``split`` along axis 2 of a tensor of rank 3 or more. Written from kfront ops: split."""
    _ndim_at_least("dsplit", x, 3)
    return _B.split(x, indices_or_sections, axis=2)


@composite
def fliplr(x):
    """``x`` reversed along axis 1. Written from kfront ops: flip."""
    _ndim_at_least("fliplr", x, 2)
    return _B.flip(x, axis=1)


@composite
def flipud(x):
    """``x`` reversed along axis 0. Written from kfront ops: flip."""
    _ndim_at_least("flipud", x, 1)
    return _B.flip(x, axis=0)


@composite
def swapaxes(x, axis1, axis2):
    """``x`` with two axes exchanged. Written from kfront ops: transpose."""
    n = _B.ndim(x)
    perm = list(range(n))
    a, b = _axis("swapaxes", axis1, n), _axis("swapaxes", axis2, n)
    perm[a], perm[b] = b, a
    return _B.transpose(x, perm)


def _axes(name, axes, ndim):
    axes = [axes] if isinstance(axes, (int, np.integer)) else list(axes)
    axes = [_axis(name, int(a), ndim) for a in axes]
    if len(set(axes)) != len(axes):
        raise ValueError(f"{name}: repeated axis in {axes}.")
    return axes


@composite
def moveaxis(x, source, destination):
    """``x`` with the axes ``source`` moved to positions ``destination``, the others kept in
    order. Written from kfront ops: transpose.

    Example: ``ops.moveaxis(ops.zeros((2, 3, 4)), 0, -1)`` has shape (3, 4, 2)."""
    n = _B.ndim(x)
    source = _axes("moveaxis", source, n)
    destination = _axes("moveaxis", destination, n)
    if len(source) != len(destination):
        raise ValueError(f"moveaxis: `source` and `destination` must have the same number of "
                         f"axes, received {len(source)} and {len(destination)}.")
    perm = [a for a in range(n) if a not in source]
    for dst, src in sorted(zip(destination, source)):
        perm.insert(dst, src)
    return _B.transpose(x, perm)


@composite
def rot90(array, k=1, axes=(0, 1)):
    """``array`` rotated by ``k`` quarter turns in the plane of ``axes`` (from the first axis
    towards the second). Written from kfront ops: flip and transpose."""
    n = _B.ndim(array)
    if n < 2:
        raise ValueError(f"rot90: `array` must have at least 2 dimensions, received shape "
                         f"{tuple(_B.shape(array))}.")
    if len(axes) != 2:
        raise ValueError(f"rot90: `axes` must name two axes, received {axes}.")
    a, b = _axes("rot90", axes, n)
    k = k % 4
    if k == 0:
        return _B.convert_to_tensor(array)
    if k == 2:
        return _B.flip(array, axis=(a, b))
    perm = list(range(n))
    perm[a], perm[b] = b, a
    if k == 1:
        return _B.transpose(_B.flip(array, axis=b), perm)
    return _B.flip(_B.transpose(array, perm), axis=b)


@composite
def identity(n, dtype=None):
    """The ``n`` x ``n`` identity matrix (floatx unless ``dtype``). Written from kfront ops:
    eye."""
    return _B.eye(n, dtype=dtype)


@composite
def tri(N, M=None, k=0, dtype=None):
    """An ``N`` x ``M`` matrix with ones at and below diagonal ``k`` (floatx unless
    ``dtype``). Written from kfront ops: arange, greater_equal, cast."""
    M = N if M is None else M
    rows = _B.reshape(_B.arange(N), (N, 1))
    cols = _B.reshape(_B.arange(M), (1, M))
    return _B.cast(_B.greater_equal(_B.add(rows, k), cols),
                   config.floatx() if dtype is None else dtype)


@composite
def diagflat(x, k=0):
    """A 2-D tensor with the flattened ``x`` on diagonal ``k``. Written from kfront ops:
    reshape and diag."""
    return _B.diag(_B.reshape(x, (-1,)), k=k)


@composite
def meshgrid(*x, indexing="xy"):
    """Coordinate grids from 1-D coordinate vectors; ``indexing="xy"`` (Cartesian) swaps the
    first two output axes, ``"ij"`` (matrix) does not. Written from kfront ops: reshape and
    broadcast_to."""
    if indexing not in ("xy", "ij"):
        raise ValueError(f"meshgrid: `indexing` must be 'xy' or 'ij', received {indexing!r}.")
    xs = [_B.reshape(v, (-1,)) for v in x]
    sizes = [_B.shape(v)[0] for v in xs]
    axes = list(range(len(xs)))
    if indexing == "xy" and len(xs) > 1:
        axes[0], axes[1] = 1, 0
        sizes[0], sizes[1] = sizes[1], sizes[0]
    out = []
    for v, axis in zip(xs, axes):
        shape = [1] * len(xs)
        shape[axis] = -1
        out.append(_B.broadcast_to(_B.reshape(v, tuple(shape)), tuple(sizes)))
    return out


@composite
def select(condlist, choicelist, default=0):
    """Per element, the entry of the first choice whose condition holds, else ``default``.
    Written from kfront ops: where."""
    if len(condlist) != len(choicelist):
        raise ValueError(f"select: `condlist` and `choicelist` must have the same length, "
                         f"received {len(condlist)} and {len(choicelist)}.")
    if not condlist:
        raise ValueError("select: `condlist` must hold at least one condition.")
    out = default
    for cond, choice in reversed(list(zip(condlist, choicelist))):
        out = _B.where(cond, choice, out)
    return out


@composite
def unravel_index(indices, shape):
    """Flat indices into a tensor of ``shape`` as a tuple of coordinate tensors (in the
    indices' dtype; Python ints give int32). Written from kfront ops: floor_divide, mod."""
    if any(d is None for d in shape):
        raise ValueError(f"unravel_index: `shape` must be fully known, received {shape}.")
    indices = _B.convert_to_tensor(indices)
    coords = []
    for d in reversed(tuple(shape)):
        coords.append(_B.mod(indices, d))
        indices = _B.floor_divide(indices, d)
    return tuple(reversed(coords))


@composite
def vander(x, N=None, increasing=False):
    """The Vandermonde matrix of 1-D ``x``: columns are powers of ``x`` (decreasing unless
    ``increasing``); the dtype is ``x``'s. Written from kfront ops: power."""
    x = _B.convert_to_tensor(x)
    if _B.ndim(x) != 1:
        raise ValueError(f"vander: `x` must be 1-D, received shape {tuple(_B.shape(x))}.")
    dtype = _B.dtype(x)
    N = _B.shape(x)[0] if N is None else N
    powers = _B.arange(N) if increasing else _B.arange(N - 1, -1, -1)
    base = _B.cast(x, "int32") if dtype == "bool" else x
    out = _B.power(_B.expand_dims(base, -1), powers)
    return _B.cast(out, dtype)


# NumPy has no bfloat16; its largest finite value is 0x7F7F.
_BFLOAT16_MAX = 3.3895313892515355e38


def _limits(dtype):
    if dtype == "bool":
        return 0, 1
    if dtype == "bfloat16":
        return -_BFLOAT16_MAX, _BFLOAT16_MAX
    if "int" in dtype:
        info = np.iinfo(dtype)
        return int(info.min), int(info.max)
    info = np.finfo(dtype)
    return float(info.min), float(info.max)


@composite
def saturate_cast(x, dtype):
    """``x`` cast to ``dtype`` with values beyond ``dtype``'s range clipped to its ends
    (``cast`` wraps them). Written from kfront ops: clip and cast.

    Example: ``ops.saturate_cast(ops.array([-1.0, 300.0]), "uint8")`` is ``[0, 255]``."""
    x = _B.convert_to_tensor(x)
    source = _B.dtype(x)
    if source == "bool":
        return _B.cast(x, dtype)
    if source == "bfloat16":
        # Clipped in float32, whose bounds NumPy can compute; every bfloat16 is a float32.
        x, source = _B.cast(x, "float32"), "float32"
    in_min, in_max = _limits(source)
    out_min, out_max = _limits(dtype)
    # A bound must be a value of the source dtype that casts into range: the float32 nearest
    # to int32's maximum lies above it, so step to the next value towards zero. (Python
    # numbers compare exactly; NumPy would round first.)
    kind = np.dtype(source).type
    low = kind(max(in_min, out_min))
    if low.item() < out_min:
        low = np.nextafter(low, kind(0))
    high = kind(min(in_max, out_max))
    if high.item() > out_max:
        high = np.nextafter(high, kind(0))
    return _B.cast(_B.clip(x, low.item(), high.item()), dtype)


@composite
def rearrange(tensor, pattern, **axes_lengths):
    """Axes regrouped, reordered, split and merged by an einops pattern. Written from kfront
    ops: reshape and transpose.

    Example: ``ops.rearrange(images, "b h w c -> b c h w")``;
    ``ops.rearrange(x, "b (h h1) w -> b h (h1 w)", h1=2)``."""
    # Static sizes only: one unknown while tracing (a run-time tensor on TensorFlow) is -1.
    shape = tuple(d if d is None or isinstance(d, int) else None for d in _B.shape(tensor))
    split_shape, perm, out_shape = parse_rearrange(pattern, shape, axes_lengths)
    if split_shape != tuple(-1 if d is None else d for d in shape):
        tensor = _B.reshape(tensor, split_shape)
    if perm != list(range(len(perm))):
        tensor = _B.transpose(tensor, perm)
    return _B.reshape(tensor, out_shape)
