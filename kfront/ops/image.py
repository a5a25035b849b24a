"""``kfront.ops.image``: image ops with Keras 3's names.

``resize`` and ``affine_transform`` are built here from ``kfront.ops`` gathers, so they run
inside compiled steps on every engine and give the same numbers everywhere. The sampler is
written once against a NumPy-like namespace: ``ImageDataGenerator`` runs the very same code
in NumPy on the host. The other ops are composites of kfront ops, one module per family
(``_image_color``, ``_image_filters``, ``_image_patches``, ``_image_pad_crop``,
``_image_warps``), re-exported at the end of this module.
"""
import types

import numpy as np

from kfront import config
from kfront.backend.contract import IMAGE_KERNEL_OPS
from kfront.ops._export import composite, export  # noqa: F401

__all__ = ["affine_transform", "resize"]
export(IMAGE_KERNEL_OPS, globals())

INTERPOLATIONS = ("nearest", "bilinear")
FILL_MODES = ("constant", "nearest", "wrap", "mirror", "reflect")
_KERAS_ONLY_INTERPOLATIONS = ("bicubic", "lanczos3", "lanczos5", "area")

# NumPy spelled like kfront.ops, for the host-side (ImageDataGenerator) path.
numpy_namespace = types.SimpleNamespace(
    cast=lambda x, dtype: np.asarray(x).astype(dtype), floor=np.floor, clip=np.clip,
    where=np.where, mod=np.mod, reshape=np.reshape, take_along_axis=np.take_along_axis,
    zeros_like=np.zeros_like, logical_and=np.logical_and, expand_dims=np.expand_dims,
    shape=np.shape, transpose=np.transpose, take=np.take, pad=np.pad,
    dtype=lambda x: np.asarray(x).dtype.name,
)


def _ops():
    from kfront import ops
    return ops


def check_interpolation(owner, interpolation):
    """``interpolation`` lowercased, or a ValueError naming ``owner``."""
    value = str(interpolation).lower()
    if value in _KERAS_ONLY_INTERPOLATIONS:
        raise NotImplementedError(
            f"{owner}: interpolation={interpolation!r} is not supported by kfront; use one of "
            f"{INTERPOLATIONS}.")
    if value not in INTERPOLATIONS:
        raise ValueError(f"{owner}: unknown interpolation {interpolation!r}; expected one of "
                         f"{INTERPOLATIONS}.")
    return value


def check_resize_args(owner, interpolation, crop_to_aspect_ratio, pad_to_aspect_ratio,
                      fill_mode, antialias):
    """Validates ``resize``'s options; returns the normalized interpolation."""
    interpolation = check_interpolation(owner, interpolation)
    if antialias:
        raise NotImplementedError(f"{owner}: antialias=True is not supported by kfront.")
    if crop_to_aspect_ratio and pad_to_aspect_ratio:
        raise ValueError(f"{owner}: only one of `crop_to_aspect_ratio` and "
                         "`pad_to_aspect_ratio` can be True.")
    if fill_mode != "constant":
        raise ValueError(f"{owner}: only fill_mode='constant' is supported. Received: "
                         f"fill_mode={fill_mode!r}")
    return interpolation


def check_fill_mode(owner, fill_mode):
    if fill_mode not in FILL_MODES:
        raise ValueError(f"{owner}: unknown fill_mode {fill_mode!r}; expected one of "
                         f"{FILL_MODES}.")
    return fill_mode


def standardize_data_format(data_format):
    """``data_format`` or the configured default, checked."""
    data_format = data_format or config.image_data_format()
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(f"Unknown data_format {data_format!r}; expected 'channels_last' or "
                         "'channels_first'.")
    return data_format


def _fold(xp, index, n, fill_mode):
    """Integer pixel indices mapped into ``[0, n)`` by ``fill_mode``; with the mask of
    indices that were inside (only 'constant' uses it)."""
    inside = xp.logical_and(index >= 0, index <= n - 1)
    if fill_mode == "wrap":
        index = xp.mod(index, n)
    elif fill_mode == "reflect":
        # d c b a | a b c d | d c b a: period 2n, the edge pixel repeated.
        m = xp.mod(index, 2 * n)
        index = xp.where(m >= n, 2 * n - 1 - m, m)
    elif fill_mode == "mirror" and n > 1:
        # d c b | a b c d | c b a: period 2n - 2, the edge pixel not repeated.
        m = xp.mod(index, 2 * n - 2)
        index = xp.where(m >= n, 2 * n - 2 - m, m)
    return xp.clip(index, 0, n - 1), inside


def sample(xp, images, rows, cols, interpolation="bilinear", fill_mode="constant",
           fill_value=0.0):
    """Reads ``images`` (B, H, W, C) at fractional pixel coordinates.

    ``rows``/``cols`` are (B, Ho, Wo) float coordinates (pixel centers at integers); the
    result is (B, Ho, Wo, C). Coordinates outside the image follow ``fill_mode``.
    """
    _, height, width, channels = xp.shape(images)
    flat = xp.reshape(images, (-1, height * width, channels))
    zero_channels = xp.cast(xp.zeros_like(flat[:, :1, :]), "int32")

    def pick(r, c):
        r, r_in = _fold(xp, r, height, fill_mode)
        c, c_in = _fold(xp, c, width, fill_mode)
        index = xp.reshape(r * width + c, (-1, r.shape[1] * r.shape[2], 1))
        # Broadcasting the index over channels keeps the batch size out of the graph.
        values = xp.take_along_axis(flat, index + zero_channels, axis=1)
        values = xp.reshape(values, (-1, r.shape[1], r.shape[2], channels))
        if fill_mode == "constant":
            inside = xp.expand_dims(xp.logical_and(r_in, c_in), -1)
            values = xp.where(inside, values, xp.cast(fill_value, xp.dtype(values)))
        return values

    if interpolation == "nearest":
        return pick(xp.cast(xp.floor(rows + 0.5), "int32"), xp.cast(xp.floor(cols + 0.5), "int32"))
    r0f, c0f = xp.floor(rows), xp.floor(cols)
    dr = xp.expand_dims(xp.cast(rows - r0f, xp.dtype(images)), -1)
    dc = xp.expand_dims(xp.cast(cols - c0f, xp.dtype(images)), -1)
    r0, c0 = xp.cast(r0f, "int32"), xp.cast(c0f, "int32")
    top = pick(r0, c0) * (1 - dc) + pick(r0, c0 + 1) * dc
    bottom = pick(r0 + 1, c0) * (1 - dc) + pick(r0 + 1, c0 + 1) * dc
    return top * (1 - dr) + bottom * dr


def transformed_coordinates(xp, transform, height, width):
    """Input (rows, cols) of every output pixel under 8-parameter projective transforms.

    ``transform`` is (B, 8): ``[a0, a1, a2, b0, b1, b2, c0, c1]`` maps output point (x, y)
    (x the column) to input ``((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k)`` with
    ``k = c0 x + c1 y + 1``, as in Keras.
    """
    y = xp.cast(np.arange(height, dtype="float32").reshape(1, height, 1), "float32")
    x = xp.cast(np.arange(width, dtype="float32").reshape(1, 1, width), "float32")
    t = [xp.reshape(transform[:, i], (-1, 1, 1)) for i in range(8)]
    k = t[6] * x + t[7] * y + 1.0
    cols = (t[0] * x + t[1] * y + t[2]) / k
    rows = (t[3] * x + t[4] * y + t[5]) / k
    return rows, cols


def _to_channels_last(xp, images, data_format):
    return xp.transpose(images, (0, 2, 3, 1)) if data_format == "channels_first" else images


def _from_channels_last(xp, images, data_format):
    return xp.transpose(images, (0, 3, 1, 2)) if data_format == "channels_first" else images


def _batched(xp, images, name):
    rank = len(xp.shape(images))
    if rank not in (3, 4):
        raise ValueError(f"{name}: expected an image batch of rank 4 (or one image of rank "
                         f"3); received an input of shape {tuple(xp.shape(images))}.")
    return (xp.expand_dims(images, 0), True) if rank == 3 else (images, False)


def affine_transform(images, transform, interpolation="bilinear", fill_mode="constant",
                     fill_value=0, data_format=None, xp=None):
    """Warps images by projective transforms (see ``transformed_coordinates``).

    Args:
        images: (B, H, W, C) or (H, W, C) (channels first with ``data_format``).
        transform: (B, 8) or (8,) transform parameters, output -> input.
        interpolation: "nearest" or "bilinear".
        fill_mode: "constant", "nearest", "wrap", "mirror" or "reflect".
        fill_value: the value outside the image with "constant".
        data_format: "channels_last" or "channels_first".
        xp: the array namespace (default ``kfront.ops``; ``numpy_namespace`` runs on the
            host in NumPy).
    """
    xp = xp or _ops()
    interpolation = check_interpolation("affine_transform", interpolation)
    fill_mode = check_fill_mode("affine_transform", fill_mode)
    data_format = standardize_data_format(data_format)
    images, single = _batched(xp, images, "affine_transform")
    if len(xp.shape(transform)) == 1:
        transform = xp.expand_dims(transform, 0)
    if xp.shape(transform)[-1] != 8:
        raise ValueError("affine_transform: `transform` must have 8 values per image; "
                         f"received shape {tuple(xp.shape(transform))}.")
    x = _to_channels_last(xp, images, data_format)
    if "float" not in xp.dtype(x):
        x = xp.cast(x, "float32")
    height, width = xp.shape(x)[1], xp.shape(x)[2]
    rows, cols = transformed_coordinates(xp, xp.cast(transform, "float32"), height, width)
    out = sample(xp, x, rows, cols, interpolation, fill_mode, fill_value)
    out = _from_channels_last(xp, out, data_format)
    return out[0] if single else out


def _resize_axis(xp, x, axis, size, new_size, interpolation, start=0.0, scale=None):
    """Resamples one axis with half-pixel centers; edge pixels extend outwards."""
    scale = size / new_size if scale is None else scale
    src = (np.arange(new_size) + 0.5) * scale - 0.5 + start
    if interpolation == "nearest":
        return xp.take(x, np.clip(np.floor(src + 0.5), 0, size - 1).astype("int32"), axis=axis)
    low = np.floor(src)
    frac = (src - low).astype("float32")
    high = np.clip(low + 1, 0, size - 1).astype("int32")
    low = np.clip(low, 0, size - 1).astype("int32")
    shape = [1] * len(xp.shape(x))
    shape[axis] = new_size
    frac = xp.cast(frac.reshape(shape), xp.dtype(x))
    a, b = xp.take(x, low, axis=axis), xp.take(x, high, axis=axis)
    return a + (b - a) * frac


def resize(images, size, interpolation="bilinear", antialias=False, crop_to_aspect_ratio=False,
           pad_to_aspect_ratio=False, fill_mode="constant", fill_value=0.0, data_format=None,
           xp=None):
    """Resizes images to ``size`` = (height, width) with half-pixel centers, no antialiasing.

    ``crop_to_aspect_ratio`` first takes the largest centered window of the target aspect
    ratio; ``pad_to_aspect_ratio`` pads with ``fill_value`` to it instead. ``xp`` is the
    array namespace, as in ``affine_transform``.
    """
    xp = xp or _ops()
    interpolation = check_resize_args("resize", interpolation, crop_to_aspect_ratio,
                                      pad_to_aspect_ratio, fill_mode, antialias)
    size = tuple(size)
    if len(size) != 2 or not all(isinstance(s, (int, np.integer)) and s > 0 for s in size):
        raise ValueError(f"resize: `size` must be (height, width) positive ints; received "
                         f"{size!r}.")
    data_format = standardize_data_format(data_format)
    images, single = _batched(xp, images, "resize")
    x = _to_channels_last(xp, images, data_format)
    if "float" not in xp.dtype(x):
        x = xp.cast(x, "float32")
    height, width = xp.shape(x)[1], xp.shape(x)[2]
    new_h, new_w = size
    if crop_to_aspect_ratio:
        crop_h = min(height, int(round(width * new_h / new_w)))
        crop_w = min(width, int(round(height * new_w / new_h)))
        top, left = (height - crop_h) // 2, (width - crop_w) // 2
        x = x[:, top:top + crop_h, left:left + crop_w, :]
        height, width = crop_h, crop_w
    elif pad_to_aspect_ratio:
        pad_h = max(height, int(round(width * new_h / new_w)))
        pad_w = max(width, int(round(height * new_w / new_h)))
        top, left = (pad_h - height) // 2, (pad_w - width) // 2
        x = xp.pad(x, [(0, 0), (top, pad_h - height - top), (left, pad_w - width - left),
                       (0, 0)], constant_values=fill_value)
        height, width = pad_h, pad_w
    if (height, width) != (new_h, new_w):
        x = _resize_axis(xp, x, 1, height, new_h, interpolation)
        x = _resize_axis(xp, x, 2, width, new_w, interpolation)
    out = _from_channels_last(xp, x, data_format)
    return out[0] if single else out


# The composites use the helpers above; they are imported last for that reason.
from kfront.ops._image_color import hsv_to_rgb, rgb_to_grayscale, rgb_to_hsv  # noqa: E402
from kfront.ops._image_filters import gaussian_blur, sobel_edges, ssim  # noqa: E402
from kfront.ops._image_pad_crop import crop_images, pad_images  # noqa: E402
from kfront.ops._image_patches import extract_patches, extract_patches_3d  # noqa: E402
from kfront.ops._image_warps import (  # noqa: E402
    elastic_transform, map_coordinates, perspective_transform, scale_and_translate)

__all__ += ["crop_images", "elastic_transform", "extract_patches", "extract_patches_3d",
            "gaussian_blur", "hsv_to_rgb", "map_coordinates", "pad_images",
            "perspective_transform", "rgb_to_grayscale", "rgb_to_hsv", "scale_and_translate",
            "sobel_edges", "ssim"]
