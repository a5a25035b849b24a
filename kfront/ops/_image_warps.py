"""Resampling ops of ``kfront.ops.image``: map_coordinates, perspective_transform,
elastic_transform, scale_and_translate.

Written once from kfront gathers, convolutions and ``solve``, so every engine computes the
same numbers (Keras's formulas; see each docstring).
"""
import itertools

import numpy as np

from kfront.ops._export import composite
from kfront.ops._image_args import as_float, check_rank, ops, to_channels_last

MAP_FILL_MODES = ("constant", "nearest", "wrap", "mirror", "reflect")


def _fold(index, size, fill_mode):
    from kfront.ops.image import _fold as fold
    return fold(ops(), index, size, fill_mode)


@composite
def map_coordinates(inputs, coordinates, order, fill_mode="constant", fill_value=0):
    """Samples ``inputs`` (any rank N) at fractional ``coordinates`` (N, ...): the result has
    the shape ``coordinates.shape[1:]`` and the dtype of ``inputs``.

    Written from kfront ops. ``order`` 0 takes the nearest sample (coordinates rounded half to
    even), 1 interpolates linearly. Outside the input, ``fill_mode`` says what is read:
    "constant" (``fill_value``, interpolated towards), "nearest" (a a | a b c d | d d),
    "wrap" (c d | a b c d | a b), "mirror" (c b | a b c d | c b) or "reflect"
    (b a | a b c d | d c). This is ``scipy.ndimage.map_coordinates`` with the "grid-"
    modes for "constant" and "wrap".
    """
    o = ops()
    if order not in (0, 1):
        raise NotImplementedError(f"map_coordinates: `order` must be 0 or 1; received "
                                  f"order={order!r}.")
    if fill_mode not in MAP_FILL_MODES:
        raise ValueError(f"map_coordinates: unknown fill_mode {fill_mode!r}; expected one of "
                         f"{MAP_FILL_MODES}.")
    shape = tuple(o.shape(inputs))
    coordinates = o.convert_to_tensor(coordinates)
    cshape = tuple(o.shape(coordinates))
    if len(cshape) < 2 or cshape[0] != len(shape):
        raise ValueError("map_coordinates: `coordinates` must have shape (rank of inputs, "
                         f"...) with rank >= 2; received inputs of shape {shape} and "
                         f"coordinates of shape {cshape}.")
    coordinates, _ = as_float(coordinates)
    dtype = o.dtype(coordinates)
    per_axis = []
    for axis, size in enumerate(shape):
        c = coordinates[axis]
        if order == 0:
            nodes = [(o.cast(o.round(c), "int32"), None)]
        else:
            low = o.floor(c)
            upper = c - low
            low = o.cast(low, "int32")
            nodes = [(low, 1.0 - upper), (low + 1, upper)]
        per_axis.append([_fold(index, size, fill_mode) + (weight,) for index, weight in nodes])
    flat = o.reshape(inputs, (-1,))
    strides = np.cumprod((1,) + shape[:0:-1])[::-1]
    out = None
    for corner in itertools.product(*per_axis):
        index = sum(i * int(s) for (i, _, _), s in zip(corner, strides))
        values = o.cast(o.take(flat, index), dtype)
        if fill_mode == "constant":
            inside = corner[0][1]
            for _, ok, _ in corner[1:]:
                inside = o.logical_and(inside, ok)
            values = o.where(inside, values, o.cast(fill_value, dtype))
        for _, _, weight in corner:
            if weight is not None:
                values = values * weight
        out = values if out is None else out + values
    if "float" not in o.dtype(inputs):
        out = o.round(out)
    return o.cast(out, o.dtype(inputs))


def _check_interpolation(op, interpolation):
    from kfront.ops.image import check_interpolation
    return check_interpolation(op, interpolation)


def _homography(start, end):
    """(B, 8) transforms mapping output points ``end`` to input points ``start``."""
    o = ops()
    zero = o.zeros_like(end[:, 0, 0])
    one = o.ones_like(zero)
    rows, target = [], []
    for k in range(4):
        ex, ey = end[:, k, 0], end[:, k, 1]
        sx, sy = start[:, k, 0], start[:, k, 1]
        rows.append(o.stack([ex, ey, one, zero, zero, zero, -sx * ex, -sx * ey], axis=-1))
        rows.append(o.stack([zero, zero, zero, ex, ey, one, -sy * ex, -sy * ey], axis=-1))
        target += [sx, sy]
    return o.solve(o.stack(rows, axis=1), o.stack(target, axis=-1))


@composite
def perspective_transform(images, start_points, end_points, interpolation="bilinear",
                          fill_value=0, data_format=None):
    """Warps images so that the 4 ``start_points`` (x, y) land on the ``end_points``.

    Written from kfront ops (``solve`` for the homography, then ``affine_transform``).
    Points are (4, 2), or (B, 4, 2) for one quadrilateral per image; pixels from outside
    the input read ``fill_value``.
    """
    from kfront.ops.image import affine_transform
    o = ops()
    check_rank("perspective_transform", images, (3, 4))
    interpolation = _check_interpolation("perspective_transform", interpolation)
    start = o.cast(start_points, "float32")
    end = o.cast(end_points, "float32")
    for name, points in (("start_points", start), ("end_points", end)):
        shape = tuple(o.shape(points))
        if len(shape) not in (2, 3) or shape[-2:] != (4, 2):
            raise ValueError(f"perspective_transform: `{name}` must have shape (4, 2) or "
                             f"(B, 4, 2); received {shape}.")
    if tuple(o.shape(start)) != tuple(o.shape(end)):
        raise ValueError("perspective_transform: `start_points` and `end_points` must have the "
                         f"same shape; received {tuple(o.shape(start))} and "
                         f"{tuple(o.shape(end))}.")
    if len(o.shape(start)) == 2:
        start, end = o.expand_dims(start, 0), o.expand_dims(end, 0)
    return affine_transform(images, _homography(start, end), interpolation=interpolation,
                            fill_mode="constant", fill_value=fill_value,
                            data_format=data_format)


@composite
def elastic_transform(images, alpha=20.0, sigma=5.0, interpolation="bilinear",
                      fill_mode="reflect", fill_value=0.0, seed=None, data_format=None):
    """Displaces every pixel by a random smooth field: normal noise times ``sigma``, blurred
    by a Gaussian of ``sigma`` (kernel ``6 * int(sigma) | 1``), scaled by ``alpha``.

    Written from kfront ops. The two displacement components are independent draws (one
    field per image); ``seed`` makes them repeatable, as in ``kfront.random``.
    """
    from kfront import random
    from kfront.ops.image import check_fill_mode, sample
    from kfront.ops._image_filters import gaussian_blur
    o = ops()
    check_rank("elastic_transform", images, (3, 4))
    interpolation = _check_interpolation("elastic_transform", interpolation)
    check_fill_mode("elastic_transform", fill_mode)
    x, restore = to_channels_last(images, data_format)
    x, dtype = as_float(x)
    batch, height, width = o.shape(x)[:3]
    fields = 1 if batch is None else batch
    size = 6 * int(sigma) | 1
    noise = random.normal((2 * fields, height, width, 1), dtype=o.dtype(x), seed=seed)
    noise = gaussian_blur(noise * sigma, kernel_size=(size, size), sigma=(sigma, sigma),
                          data_format="channels_last")
    noise = o.reshape(noise, (2, fields, height, width)) * alpha
    rows = noise[1] + o.convert_to_tensor(np.arange(height, dtype="float32").reshape(-1, 1))
    cols = noise[0] + o.convert_to_tensor(np.arange(width, dtype="float32"))
    out = sample(o, x, rows, cols, interpolation, fill_mode, fill_value)
    return restore(o.cast(out, dtype))


def _triangle(x):
    return ops().maximum(0.0, 1.0 - ops().abs(x))


def _keys_cubic(x):
    o = ops()
    near = ((1.5 * x - 2.5) * x) * x + 1.0
    far = ((-0.5 * x + 2.5) * x - 4.0) * x + 2.0
    return o.where(x >= 2.0, 0.0, o.where(x >= 1.0, far, near))


def _lanczos(radius):
    def kernel(x):
        o = ops()
        y = radius * o.sin(np.pi * x) * o.sin(np.pi * x / radius)
        out = o.where(x > 1e-3, y / o.where(x != 0, np.pi ** 2 * x * x, 1.0), 1.0)
        return o.where(x > radius, 0.0, out)
    return kernel


_KERNELS = {"linear": _triangle, "bilinear": _triangle, "trilinear": _triangle,
            "triangle": _triangle, "cubic": _keys_cubic, "bicubic": _keys_cubic,
            "tricubic": _keys_cubic, "lanczos3": _lanczos(3.0), "lanczos5": _lanczos(5.0)}


def _weights(in_size, out_size, scale, translation, kernel, antialias):
    """(in_size, out_size) resampling weights of one axis (half-pixel centers)."""
    o = ops()
    inv_scale = 1.0 / scale
    spread = o.maximum(inv_scale, 1.0) if antialias else 1.0
    centers = o.convert_to_tensor(np.arange(out_size, dtype="float32") + 0.5)
    sample_at = centers * inv_scale - translation * inv_scale - 0.5
    grid = o.convert_to_tensor(np.arange(in_size, dtype="float32")[:, None])
    distance = o.abs(o.expand_dims(sample_at, 0) - grid) / spread
    w = kernel(distance)
    total = o.sum(w, axis=0, keepdims=True)
    w = o.where(o.abs(total) > 1000.0 * float(np.finfo(np.float32).eps),
                w / o.where(total != 0, total, 1.0), 0.0)
    inside = o.logical_and(sample_at >= -0.5, sample_at <= in_size - 0.5)
    return o.where(o.expand_dims(inside, 0), w, 0.0)


@composite
def scale_and_translate(images, output_shape, scale, translation, spatial_dims, method,
                        antialias=True):
    """Resamples ``images`` along ``spatial_dims`` to ``output_shape``: output coordinate y
    reads input coordinate ``(y - translation) / scale`` (half-pixel centers), as
    ``jax.image.scale_and_translate``.

    Written from kfront ops. ``method``: "linear" ("bilinear", "trilinear", "triangle"),
    "cubic" ("bicubic", "tricubic"; Keys), "lanczos3" or "lanczos5". With ``antialias`` the
    kernel widens when downsampling. Samples outside the input are zero.
    """
    o = ops()
    if method not in _KERNELS:
        raise ValueError(f"scale_and_translate: unknown method {method!r}; expected one of "
                         f"{tuple(_KERNELS)}.")
    images = o.convert_to_tensor(images)
    shape = tuple(o.shape(images))
    spatial_dims = tuple(spatial_dims)
    output_shape = tuple(output_shape)
    if len(output_shape) != len(shape):
        raise ValueError("scale_and_translate: `output_shape` must have one entry per axis "
                         f"of `images` ({len(shape)}); received {output_shape}.")
    scale = o.cast(scale, "float32")
    translation = o.cast(translation, "float32")
    for name, value in (("scale", scale), ("translation", translation)):
        if tuple(o.shape(value)) != (len(spatial_dims),):
            raise ValueError(f"scale_and_translate: `{name}` must have one entry per spatial "
                             f"dim ({len(spatial_dims)}); received shape "
                             f"{tuple(o.shape(value))}.")
    dtype = o.dtype(images)
    out = images if "float" in dtype else o.cast(images, "float32")
    rank = len(shape)
    for i, d in enumerate(spatial_dims):
        d = d % rank
        w = o.cast(_weights(shape[d], output_shape[d], scale[i], translation[i],
                            _KERNELS[method], antialias), o.dtype(out))
        out = o.tensordot(out, w, axes=([d], [0]))
        perm = list(range(rank - 1))
        perm.insert(d, rank - 1)
        out = o.transpose(out, perm)
    if "float" not in dtype:
        out = o.clip(o.round(out), o.min(images), o.max(images))
    return o.cast(out, dtype)
