"""Image files and arrays: ``load_img``, ``img_to_array``, ``array_to_img``, ``save_img``.

They use Pillow (the optional ``image`` dependency), imported on first use.
"""
import io
import os
import pathlib
import warnings

import numpy as np

from kfront import config
from kfront.ops.image import standardize_data_format as _data_format

# Pillow's resampling filters by the names Keras accepts.
PIL_INTERPOLATIONS = ("nearest", "bilinear", "bicubic", "hamming", "box", "lanczos")
COLOR_MODES = {"grayscale": "L", "rgb": "RGB", "rgba": "RGBA"}


def pil_image():
    """The ``PIL.Image`` module, or an ImportError that says how to install it."""
    try:
        from PIL import Image
    except ImportError:
        raise ImportError("kfront's image utilities need Pillow: `pip install Pillow` (or "
                          "`pip install kfront[image]`).") from None
    return Image


def _center_box(width, height, target_w, target_h):
    """The largest centered (left, top, right, bottom) box with the target aspect ratio."""
    crop_w = min(width, int(round(height * target_w / target_h)))
    crop_h = min(height, int(round(width * target_h / target_w)))
    left, top = (width - crop_w) // 2, (height - crop_h) // 2
    return left, top, left + crop_w, top + crop_h


def load_img(path, color_mode="rgb", target_size=None, interpolation="nearest",
             keep_aspect_ratio=False):
    """Loads an image file into a PIL image.

    Args:
        path: a path (str or ``pathlib.Path``) or a binary file-like object.
        color_mode: "grayscale", "rgb" or "rgba".
        target_size: None (the file's size) or (height, width).
        interpolation: Pillow filter used to resize: "nearest", "bilinear", "bicubic",
            "hamming", "box" or "lanczos".
        keep_aspect_ratio: crop the largest centered window of the target aspect ratio
            before resizing, so the content is not distorted.
    """
    Image = pil_image()
    if color_mode not in COLOR_MODES:
        raise ValueError(f'color_mode must be "grayscale", "rgb", or "rgba". Received: '
                         f"color_mode={color_mode!r}")
    if interpolation not in PIL_INTERPOLATIONS:
        raise ValueError(f"Invalid interpolation method {interpolation!r} specified. "
                         f"Supported methods are {', '.join(PIL_INTERPOLATIONS)}.")
    if isinstance(path, io.BytesIO) or hasattr(path, "read"):
        source = path
    elif isinstance(path, (str, pathlib.Path)):
        source = os.fspath(path)
    else:
        raise TypeError(f"path should be a path-like or a file-like object, received "
                        f"{type(path).__name__}.")
    try:
        with Image.open(source) as img:
            img.load()
            mode = COLOR_MODES[color_mode]
            if color_mode == "grayscale" and img.mode in ("L", "I;16", "I"):
                out = img.copy()
            else:
                out = img.convert(mode) if img.mode != mode else img.copy()
    except (OSError, SyntaxError, ValueError) as err:
        where = source if isinstance(source, str) else "the given file object"
        raise ValueError(f"Could not read an image from {where}: {err}") from None
    if target_size is not None:
        height, width = _target(target_size)
        if out.size != (width, height):
            resample = getattr(getattr(Image, "Resampling", Image), interpolation.upper())
            box = _center_box(out.size[0], out.size[1], width, height) \
                if keep_aspect_ratio else None
            out = out.resize((width, height), resample=resample, box=box)
    return out


def _target(target_size):
    try:
        height, width = (int(v) for v in target_size)
    except (TypeError, ValueError):
        raise ValueError(f"target_size must be (height, width); received {target_size!r}."
                         ) from None
    if height <= 0 or width <= 0:
        raise ValueError(f"target_size must be positive; received {target_size!r}.")
    return height, width


def img_to_array(img, data_format=None, dtype=None):
    """A PIL image as a 3D NumPy array (height, width, channels), or channels first.

    Args:
        img: a PIL image.
        data_format: "channels_last" or "channels_first" (default: the config's).
        dtype: the array dtype (default: ``kfront.config.floatx()``).
    """
    data_format = _data_format(data_format)
    x = np.asarray(img, dtype=dtype or config.floatx())
    if x.ndim == 2:
        x = x[:, :, None]
    elif x.ndim != 3:
        raise ValueError(f"Unsupported image shape: {x.shape}")
    return x.transpose(2, 0, 1) if data_format == "channels_first" else x


def array_to_img(x, data_format=None, scale=True, dtype=None):
    """A 3D array (one image) as a PIL image.

    Args:
        x: (height, width, channels) with 1, 3 or 4 channels (or channels first).
        data_format: "channels_last" or "channels_first".
        scale: stretch the values to [0, 255] first (min to 0, max to 255).
        dtype: the working dtype (default: ``kfront.config.floatx()``).
    """
    Image = pil_image()
    data_format = _data_format(data_format)
    if hasattr(x, "numpy") and not isinstance(x, np.ndarray):
        x = x.numpy()
    x = np.asarray(x, dtype=dtype or config.floatx())
    if x.ndim != 3:
        raise ValueError(f"Expected image array to have rank 3 (single image). Got array "
                         f"with shape: {x.shape}")
    if data_format == "channels_first":
        x = x.transpose(1, 2, 0)
    if scale:
        x = x - np.min(x)
        peak = np.max(x)
        if peak != 0:
            x = x / peak
        x = x * 255
    channels = x.shape[2]
    if channels == 4:
        return Image.fromarray(x.astype("uint8"), "RGBA")
    if channels == 3:
        return Image.fromarray(x.astype("uint8"), "RGB")
    if channels == 1:
        if np.max(x) > 255:
            # 32-bit integer pixels: values beyond 8 bits are kept, not wrapped.
            return Image.fromarray(x[:, :, 0].astype("int32"), "I")
        return Image.fromarray(x[:, :, 0].astype("uint8"), "L")
    raise ValueError(f"Unsupported channel number: {channels}")


def save_img(path, x, data_format=None, file_format=None, scale=True, **kwargs):
    """Saves a 3D array as an image file.

    Args:
        path: the file path.
        x: the image array (see ``array_to_img``).
        data_format, scale: as in ``array_to_img``.
        file_format: the Pillow format name; None infers it from the extension.
        **kwargs: passed to ``PIL.Image.save``.
    """
    data_format = _data_format(data_format)
    img = array_to_img(x, data_format=data_format, scale=scale)
    ext = (file_format or os.path.splitext(os.fspath(path))[1].lstrip(".")).lower()
    if img.mode == "RGBA" and ext in ("jpg", "jpeg"):
        warnings.warn("The JPG format does not support RGBA images, converting to RGB.",
                      stacklevel=2)
        img = img.convert("RGB")
    img.save(path, format=file_format, **kwargs)


def smart_resize(x, size, interpolation="bilinear", data_format="channels_last"):
    """Resizes an image (or batch) to ``size`` without distorting it: the largest centered
    window of the target aspect ratio is resized. NumPy in, NumPy out; tensors stay tensors.

    Args:
        x: (height, width, channels) or a batch of them (channels first with
            ``data_format``).
        size: (height, width).
        interpolation: "bilinear" or "nearest".
    """
    from kfront.ops import image as image_ops
    xp = image_ops.numpy_namespace if isinstance(x, np.ndarray) else None
    if xp is not None and x.dtype.kind != "f":
        x = x.astype(config.floatx())
    return image_ops.resize(x, tuple(size), interpolation=interpolation,
                            crop_to_aspect_ratio=True, data_format=data_format, xp=xp)
