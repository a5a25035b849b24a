"""``kfront.ops.image``: resize and affine_transform against NumPy / SciPy references."""
import numpy as np
import pytest
from scipy import ndimage

from kfront import ops
from kfront.ops import image as image_ops

RNG = np.random.RandomState(0)
X = RNG.rand(2, 5, 6, 3).astype("float32")


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def _resize_reference(x, new_h, new_w):
    """Bilinear resize with half-pixel centers, one output pixel at a time."""
    n, h, w, c = x.shape
    out = np.zeros((n, new_h, new_w, c))
    for i in range(new_h):
        for j in range(new_w):
            r = min(max((i + 0.5) * h / new_h - 0.5, 0), h - 1)
            s = min(max((j + 0.5) * w / new_w - 0.5, 0), w - 1)
            r0, s0 = int(np.floor(r)), int(np.floor(s))
            r1, s1 = min(r0 + 1, h - 1), min(s0 + 1, w - 1)
            fr, fs = r - r0, s - s0
            out[:, i, j] = ((1 - fr) * (1 - fs) * x[:, r0, s0] + (1 - fr) * fs * x[:, r0, s1]
                            + fr * (1 - fs) * x[:, r1, s0] + fr * fs * x[:, r1, s1])
    return out


@pytest.mark.parametrize("size", [(3, 4), (8, 9)])
def test_resize_bilinear_matches_reference(size):
    np.testing.assert_allclose(_np(image_ops.resize(X, size)), _resize_reference(X, *size),
                               rtol=1e-5, atol=1e-6)


def test_resize_nearest_picks_source_pixels():
    out = _np(image_ops.resize(X, (10, 12), interpolation="nearest"))
    np.testing.assert_array_equal(out, X.repeat(2, axis=1).repeat(2, axis=2))


def test_resize_channels_first_and_single_image():
    cf = _np(image_ops.resize(X.transpose(0, 3, 1, 2), (3, 4), data_format="channels_first"))
    np.testing.assert_allclose(cf.transpose(0, 2, 3, 1), _resize_reference(X, 3, 4), rtol=1e-5,
                               atol=1e-6)
    one = _np(image_ops.resize(X[0], (3, 4)))
    np.testing.assert_allclose(one, _resize_reference(X, 3, 4)[0], rtol=1e-5, atol=1e-6)


def test_resize_crop_and_pad_to_aspect_ratio():
    x = np.arange(4 * 8, dtype="float32").reshape(1, 4, 8, 1)
    cropped = _np(image_ops.resize(x, (4, 4), crop_to_aspect_ratio=True))
    np.testing.assert_array_equal(cropped, x[:, :, 2:6])
    padded = _np(image_ops.resize(x, (8, 8), pad_to_aspect_ratio=True, fill_value=-1))
    np.testing.assert_array_equal(padded[:, 2:6], x)
    assert (padded[:, :2] == -1).all() and (padded[:, 6:] == -1).all()


def test_resize_errors():
    with pytest.raises(ValueError, match="unknown interpolation"):
        image_ops.resize(X, (2, 2), interpolation="cubic-ish")
    with pytest.raises(NotImplementedError, match="bicubic"):
        image_ops.resize(X, (2, 2), interpolation="bicubic")
    with pytest.raises(ValueError, match="positive ints"):
        image_ops.resize(X, (0, 2))
    with pytest.raises(ValueError, match="rank 4"):
        image_ops.resize(X[0, 0], (2, 2))


# SciPy's names for the same boundary rules.
_SCIPY_MODES = {"constant": "grid-constant", "nearest": "nearest", "wrap": "grid-wrap",
                "reflect": "reflect", "mirror": "mirror"}


@pytest.mark.parametrize("fill_mode", sorted(_SCIPY_MODES))
@pytest.mark.parametrize("interpolation", ["nearest", "bilinear"])
def test_affine_transform_matches_scipy(fill_mode, interpolation):
    # A rotation by 0.3 rad plus a shift pushes many samples outside the image.
    c, s = np.cos(0.3), np.sin(0.3)
    transform = np.array([[c, -s, 1.5, s, c, -2.0, 0, 0],
                          [1.2, 0.0, -1.0, 0.0, 0.8, 0.5, 0, 0]], dtype="float32")
    out = _np(image_ops.affine_transform(X, transform, interpolation=interpolation,
                                         fill_mode=fill_mode, fill_value=0.5))
    rows, cols = np.mgrid[0:5, 0:6].astype("float64")
    for b in range(2):
        a0, a1, a2, b0, b1, b2 = transform[b, :6].astype("float64")
        src_c, src_r = a0 * cols + a1 * rows + a2, b0 * cols + b1 * rows + b2
        if interpolation == "nearest":
            src_r, src_c = np.floor(src_r + 0.5), np.floor(src_c + 0.5)
        for ch in range(3):
            ref = ndimage.map_coordinates(X[b, :, :, ch].astype("float64"), [src_r, src_c],
                                          order=1, mode=_SCIPY_MODES[fill_mode], cval=0.5)
            np.testing.assert_allclose(out[b, :, :, ch], ref, rtol=1e-5, atol=1e-5)


def test_affine_transform_identity_and_errors():
    identity = np.array([1, 0, 0, 0, 1, 0, 0, 0], dtype="float32")
    np.testing.assert_allclose(_np(image_ops.affine_transform(X, identity)), X, atol=1e-6)
    with pytest.raises(ValueError, match="8 values"):
        image_ops.affine_transform(X, np.zeros((2, 6), "float32"))
    with pytest.raises(ValueError, match="unknown fill_mode"):
        image_ops.affine_transform(X, identity, fill_mode="edge")
