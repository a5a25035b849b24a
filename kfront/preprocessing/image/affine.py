"""Keras 2's host-side image transforms on single NumPy images.

``apply_affine_transform`` composes rotation, shift, shear and zoom about the image center
and resamples with ``kfront.ops.image.sample`` run in NumPy, so the generator and the
``Random*`` layers share one sampler.
"""
import numpy as np

from kfront.ops import image as image_ops

_FILL_MODES = ("constant", "nearest", "reflect", "wrap")


def transform_matrix_offset_center(matrix, x, y):
    """``matrix`` re-centered so it acts about the center of an x-by-y (rows, cols) image."""
    o_x, o_y = float(x) / 2 - 0.5, float(y) / 2 - 0.5
    offset = np.array([[1, 0, o_x], [0, 1, o_y], [0, 0, 1]])
    reset = np.array([[1, 0, -o_x], [0, 1, -o_y], [0, 0, 1]])
    return offset @ matrix @ reset


def affine_matrix(theta=0, tx=0, ty=0, shear=0, zx=1, zy=1):
    """The 3x3 (row, col) matrix mapping output pixels to input pixels, or None for the
    identity. ``theta`` and ``shear`` are in degrees; ``tx``/``ty`` shift rows/columns."""
    matrix = None
    theta, shear = np.deg2rad(theta), np.deg2rad(shear)
    parts = []
    if theta != 0:
        parts.append(np.array([[np.cos(theta), -np.sin(theta), 0],
                               [np.sin(theta), np.cos(theta), 0], [0, 0, 1]]))
    if tx != 0 or ty != 0:
        parts.append(np.array([[1, 0, tx], [0, 1, ty], [0, 0, 1]]))
    if shear != 0:
        parts.append(np.array([[1, -np.sin(shear), 0], [0, np.cos(shear), 0], [0, 0, 1]]))
    if zx != 1 or zy != 1:
        parts.append(np.array([[zx, 0, 0], [0, zy, 0], [0, 0, 1]]))
    for part in parts:
        matrix = part if matrix is None else matrix @ part
    return matrix


def apply_affine_transform(x, theta=0, tx=0, ty=0, shear=0, zx=1, zy=1, row_axis=1,
                           col_axis=2, channel_axis=0, fill_mode="nearest", cval=0.0, order=1):
    """Applies Keras 2's affine transform to one image (a 3D array).

    Args:
        x: the image.
        theta: rotation in degrees; tx, ty: shifts along rows and columns in pixels
            (the output pixel (r, c) reads the input at (r + tx, c + ty));
        shear: shear angle in degrees; zx, zy: zoom along rows and columns (> 1 zooms out).
        row_axis, col_axis, channel_axis: the axes of ``x``.
        fill_mode: "constant", "nearest", "reflect" or "wrap"; cval: the "constant" value.
        order: 0 (nearest) or 1 (bilinear) interpolation.
    """
    if fill_mode not in _FILL_MODES:
        raise ValueError(f"Invalid fill_mode {fill_mode!r}; expected one of {_FILL_MODES}.")
    if order not in (0, 1):
        raise ValueError(f"interpolation_order must be 0 (nearest) or 1 (bilinear); received "
                         f"{order!r}.")
    matrix = affine_matrix(theta, tx, ty, shear, zx, zy)
    if matrix is None:
        return x
    h, w = x.shape[row_axis], x.shape[col_axis]
    m = transform_matrix_offset_center(matrix, h, w)
    image = np.moveaxis(np.asarray(x, dtype="float64"), (row_axis, col_axis, channel_axis),
                        (0, 1, 2))[None]
    # The (row, col) matrix in kfront.ops.image's (x = column, y = row) parameter order.
    transform = np.array([[m[1, 1], m[1, 0], m[1, 2], m[0, 1], m[0, 0], m[0, 2], 0, 0]])
    rows, cols = image_ops.transformed_coordinates(image_ops.numpy_namespace, transform, h, w)
    out = image_ops.sample(image_ops.numpy_namespace, image, rows, cols,
                           "nearest" if order == 0 else "bilinear", fill_mode, cval)
    return np.moveaxis(out[0], (0, 1, 2), (row_axis, col_axis, channel_axis)).astype(x.dtype)


def apply_channel_shift(x, intensity, channel_axis=0):
    """Adds ``intensity`` to every channel, clipped to the image's original value range."""
    low, high = np.min(x), np.max(x)
    return np.clip(x + intensity, low, high).astype(x.dtype)


def apply_brightness_shift(x, brightness, scale=True):
    """Multiplies the brightness by ``brightness`` (PIL's Brightness enhancer on 8-bit
    pixels: images outside [0, 255] are mapped there and back)."""
    low, high = float(np.min(x)), float(np.max(x))
    local_scale = low < 0 or high > 255
    y = np.asarray(x, dtype="float64")
    if scale or local_scale:
        span = high - low
        y = (y - low) / span * 255 if span else y - low
    y = np.clip(np.round(y * brightness), 0, 255)
    if not scale and local_scale:
        y = y / 255 * (high - low) + low
    return y.astype(x.dtype)


def flip_axis(x, axis):
    return np.flip(x, axis=axis)
