"""Conformance cases for the ``kfront.ops.image`` composites, against NumPy and SciPy.

These ops live in ``kfront.ops.image`` only (as in Keras), so each case is a pair of
``special`` calls of ``ops.image.<op>``: one with NumPy arguments, one with engine tensors.
``elastic_transform`` draws random numbers; test_image_ops.py checks it.
"""
import colorsys

import numpy as np
import scipy.ndimage as nd
import scipy.signal

import kfront.ops as ops
from cases_core import Exact, case, f32, special  # noqa: F401

_rng = np.random.default_rng(5)
IMG = _rng.random((2, 12, 12, 3)).astype(f32)
IMG_CF = np.ascontiguousarray(IMG.transpose(0, 3, 1, 2))
IMG_U8 = (IMG * 255).astype(np.uint8)
NOISY = np.clip(IMG + _rng.normal(0, 0.1, IMG.shape), 0, 1).astype(f32)
VOL = _rng.random((1, 4, 6, 6, 2)).astype(f32)
PLANE = _rng.random((6, 7)).astype(f32)
# Away from half-integers, so rounding for order 0 has one answer.
COORDS = (np.round(_rng.random((2, 3, 5)) * 10 - 2, 1) + 0.03).astype(f32)
LOOSE = dict(rtol=1e-4, atol=1e-5)


def _tensors(value):
    return ops.convert_to_tensor(value) if isinstance(value, np.ndarray) else value


def case(op, label, *args, expected, **kwargs):  # noqa: F811
    """``ops.image.<op>(*args, **kwargs)`` must equal ``expected``, from NumPy and tensors."""
    checks = {k: kwargs.pop(k) for k in ("rtol", "atol", "out_dtype") if k in kwargs}

    def call(convert):
        def fn():
            a = tuple(convert(v) for v in args)
            kw = {k: convert(v) for k, v in kwargs.items()}
            return getattr(ops.image, op)(*a, **kw)
        return fn
    return [special(op, f"{label}-numpy_in", call(lambda v: v), expected, **checks),
            special(op, f"{label}-tensor_in", call(_tensors), expected, **checks)]


def _gray(x):
    return np.tensordot(x, np.array([0.2989, 0.5870, 0.1140]), axes=(-1, 0))[..., None]


def _per_pixel(fn, x):
    flat = x.reshape(-1, 3).astype(np.float64)
    return np.array([fn(*p) for p in flat]).reshape(x.shape).astype(f32)


def _patches(x, size, strides):
    """(B, *spatial, C) -> (B, *counts, prod(size) * C), patches flattened row-major."""
    n = len(size)
    counts = [(s - p) // t + 1 for s, p, t in zip(x.shape[1:-1], size, strides)]
    out = np.zeros((x.shape[0],) + tuple(counts) + (int(np.prod(size)) * x.shape[-1],), f32)
    for idx in np.ndindex(*counts):
        window = tuple(slice(i * t, i * t + p) for i, t, p in zip(idx, strides, size))
        out[(slice(None),) + idx] = x[(slice(None),) + window].reshape(x.shape[0], -1)
    assert n in (2, 3)
    return out


def _gauss(size, sigma):
    g = np.exp(-0.5 * ((np.arange(size) - (size - 1) / 2) / sigma) ** 2)
    return g / g.sum()


def _per_channel(fn, x):
    out = [np.stack([fn(x[b, :, :, c]) for c in range(x.shape[-1])], -1)
           for b in range(x.shape[0])]
    return np.stack(out).astype(f32)


def _blur(x, size, sigma):
    k = np.outer(_gauss(size, sigma), _gauss(size, sigma))
    return _per_channel(lambda p: nd.correlate(p.astype(np.float64), k, mode="constant"), x)


def _sobel(x):
    dy = np.array([[-1, -2, -1], [0, 0, 0], [1, 2, 1]], np.float64)
    # TF pads by reflection without repeating the edge: SciPy's "mirror".
    return np.stack([_per_channel(lambda p: nd.correlate(p.astype(np.float64), k, mode="mirror"),
                                  x) for k in (dy, dy.T)], -1)


def _ssim(a, b, size=11, sigma=1.5, max_val=1.0):
    k = np.outer(_gauss(size, sigma), _gauss(size, sigma))
    c1, c2 = (0.01 * max_val) ** 2, (0.03 * max_val) ** 2
    out = []
    for i in range(a.shape[0]):
        vals = []
        for c in range(a.shape[-1]):
            x, y = a[i, :, :, c].astype(np.float64), b[i, :, :, c].astype(np.float64)
            f = lambda t: scipy.signal.correlate2d(t, k, mode="valid")  # noqa: E731
            m1, m2 = f(x), f(y)
            s1, s2, s12 = f(x * x) - m1 ** 2, f(y * y) - m2 ** 2, f(x * y) - m1 * m2
            vals.append((((2 * m1 * m2 + c1) * (2 * s12 + c2))
                         / ((m1 ** 2 + m2 ** 2 + c1) * (s1 + s2 + c2))).mean())
        out.append(np.mean(vals))
    return np.array(out, f32)


_SCIPY_MODES = {"constant": "grid-constant", "nearest": "nearest", "wrap": "grid-wrap",
                "mirror": "mirror", "reflect": "reflect"}


def _map_case(order, mode):
    return case("map_coordinates", f"order{order}_{mode}", PLANE, COORDS, order, fill_mode=mode,
                expected=nd.map_coordinates(PLANE.astype(np.float64), COORDS, order=order,
                                            mode=_SCIPY_MODES[mode]).astype(f32), **LOOSE)


def _scale_linear_example():
    # Keras's docstring example: 3x3 upsampled to 5x5 with half-pixel alignment.
    images = np.arange(9, dtype=f32).reshape(3, 3)
    return ops.image.scale_and_translate(images, (5, 5), np.array([2.0, 2.0], f32),
                                         np.array([-0.5, -0.5], f32), (0, 1), "linear")


_SQUARE = np.array([[0, 0], [11, 0], [0, 11], [11, 11]], f32)
_SHIFTED = _SQUARE - np.array([1, 0], f32)  # output (x, y) reads input (x + 1, y)
_LEFT = np.concatenate([IMG[:, :, 1:], np.zeros_like(IMG[:, :, :1])], axis=2)

_CASES = [
    case("rgb_to_grayscale", "channels_last", IMG, expected=_gray(IMG).astype(f32), **LOOSE),
    case("rgb_to_grayscale", "channels_first", IMG_CF, data_format="channels_first",
         expected=_gray(IMG).astype(f32).transpose(0, 3, 1, 2), **LOOSE),
    case("rgb_to_grayscale", "uint8_keeps_dtype", IMG_U8[0],
         expected=_gray(IMG_U8[0].astype(np.float64)).astype(f32).astype(np.uint8)),
    case("rgb_to_hsv", "single_image", IMG[0], expected=_per_pixel(colorsys.rgb_to_hsv, IMG[0]),
         **LOOSE),
    case("rgb_to_hsv", "channels_first", IMG_CF, data_format="channels_first",
         expected=_per_pixel(colorsys.rgb_to_hsv, IMG).transpose(0, 3, 1, 2), **LOOSE),
    case("hsv_to_rgb", "batch", IMG, expected=_per_pixel(colorsys.hsv_to_rgb, IMG), **LOOSE),
    case("extract_patches", "vit_non_overlapping", IMG, 4, expected=_patches(IMG, (4, 4), (4, 4))),
    case("extract_patches", "strided_overlapping", IMG, (3, 2), strides=(2, 3),
         expected=_patches(IMG, (3, 2), (2, 3)), **LOOSE),
    case("extract_patches", "channels_first", IMG_CF, 3, data_format="channels_first",
         expected=_patches(IMG, (3, 3), (3, 3)).transpose(0, 3, 1, 2)),
    case("extract_patches", "remainder_cropped", IMG[0], 5,
         expected=_patches(IMG[:1], (5, 5), (5, 5))[0]),
    case("extract_patches_3d", "non_overlapping", VOL, 2, expected=_patches(VOL, (2, 2, 2),
                                                                            (2, 2, 2))),
    case("extract_patches_3d", "stride_one", VOL, (2, 3, 2), strides=1,
         expected=_patches(VOL, (2, 3, 2), (1, 1, 1)), **LOOSE),
    case("pad_images", "margins", IMG, 1, 2, 3, 0, expected=np.pad(
        IMG, [(0, 0), (1, 3), (2, 0), (0, 0)])),
    case("pad_images", "target_size_channels_first", IMG_CF[0], top_padding=2, left_padding=1,
         target_height=15, target_width=14, data_format="channels_first",
         expected=np.pad(IMG_CF[0], [(0, 0), (2, 1), (1, 1)])),
    case("crop_images", "margins", IMG, 1, 2, 3, 0, expected=IMG[:, 1:9, 2:12]),
    case("crop_images", "target_size", IMG, bottom_cropping=2, right_cropping=1,
         target_height=7, target_width=5, expected=IMG[:, 3:10, 6:11]),
    case("gaussian_blur", "kernel_5_sigma_1_5", IMG, (5, 5), (1.5, 1.5),
         expected=_blur(IMG, 5, 1.5), **LOOSE),
    case("gaussian_blur", "defaults_single_image", IMG[0], expected=_blur(IMG[:1], 3, 1.0)[0],
         **LOOSE),
    case("sobel_edges", "reflected_edges", IMG, expected=_sobel(IMG), **LOOSE),
    case("sobel_edges", "channels_first", IMG_CF, data_format="channels_first",
         expected=_sobel(IMG).transpose(0, 3, 1, 2, 4), **LOOSE),
    case("ssim", "noisy_batch", IMG, NOISY, expected=_ssim(IMG, NOISY), **LOOSE),
    case("ssim", "identical_is_one", IMG[0], IMG[0], expected=f32(1.0), **LOOSE),
    case("ssim", "max_val_255", IMG * 255, NOISY * 255, max_val=255.0, filter_size=7,
         expected=_ssim(IMG * 255, NOISY * 255, size=7, max_val=255.0), **LOOSE),
    *[c for order in (0, 1) for mode in _SCIPY_MODES for c in _map_case(order, mode)],
    case("map_coordinates", "fill_value", PLANE, COORDS, 1, fill_value=2.0,
         expected=nd.map_coordinates(PLANE.astype(np.float64), COORDS, order=1,
                                     mode="grid-constant", cval=2.0).astype(f32), **LOOSE),
    case("perspective_transform", "identity", IMG, _SQUARE, _SQUARE, expected=IMG, **LOOSE),
    case("perspective_transform", "shift_left_fills_zero", IMG, _SQUARE, _SHIFTED,
         expected=_LEFT, **LOOSE),
    [special("scale_and_translate", "keras_linear_example", _scale_linear_example,
             (np.arange(5, dtype=f32)[None, :] * 0.5 + np.arange(5, dtype=f32)[:, None] * 1.5),
             **LOOSE)],
    case("scale_and_translate", "identity_cubic", IMG, IMG.shape, np.array([1.0, 1.0], f32),
         np.array([0.0, 0.0], f32), (1, 2), "cubic", expected=IMG, **LOOSE),
    case("scale_and_translate", "integer_shift", IMG[0], IMG[0].shape, np.array([1.0], f32),
         np.array([2.0], f32), (0,), "linear",
         expected=np.concatenate([np.zeros_like(IMG[0, :2]), IMG[0, :-2]]), **LOOSE),
]
CASES = [c for pair in _CASES for c in (pair if isinstance(pair, list) else [pair])]

COVERED = ["elastic_transform"]
