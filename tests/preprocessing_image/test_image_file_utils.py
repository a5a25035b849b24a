"""``load_img``, ``img_to_array``, ``array_to_img``, ``save_img`` (Pillow)."""
import io

import numpy as np
import pytest
from PIL import Image

from kfront.utils import array_to_img, img_to_array, load_img, save_img

IMG = np.random.RandomState(0).randint(0, 256, (6, 8, 3)).astype("float32")


def test_save_and_load_round_trip_png(tmp_path):
    path = tmp_path / "a.png"
    save_img(path, IMG, scale=False)
    back = img_to_array(load_img(path))
    np.testing.assert_array_equal(back, IMG)
    assert back.dtype == np.float32
    gray = img_to_array(load_img(str(path), color_mode="grayscale"))
    assert gray.shape == (6, 8, 1)
    rgba = img_to_array(load_img(path, color_mode="rgba"))
    assert rgba.shape == (6, 8, 4) and (rgba[:, :, 3] == 255).all()


def test_load_from_file_object_and_target_size():
    buffer = io.BytesIO()
    array_to_img(IMG, scale=False).save(buffer, format="PNG")
    buffer.seek(0)
    img = load_img(buffer, target_size=(3, 4), interpolation="nearest")
    assert img.size == (4, 3)
    expected = array_to_img(IMG, scale=False).resize((4, 3), Image.NEAREST)
    np.testing.assert_array_equal(img_to_array(img), np.asarray(expected, dtype="float32"))


def test_keep_aspect_ratio_crops_the_center_before_resizing(tmp_path):
    path = tmp_path / "wide.png"
    save_img(path, IMG, scale=False)
    out = img_to_array(load_img(path, target_size=(6, 6), keep_aspect_ratio=True))
    np.testing.assert_array_equal(out, IMG[:, 1:7])


def test_array_to_img_scales_and_channel_modes():
    img = array_to_img(np.linspace(-1, 1, 12).reshape(2, 6, 1))
    arr = np.asarray(img)
    assert img.mode == "L" and arr.min() == 0 and arr.max() == 255
    assert array_to_img(np.zeros((2, 2, 4))).mode == "RGBA"
    assert array_to_img(IMG.transpose(2, 0, 1), data_format="channels_first").size == (8, 6)
    np.testing.assert_array_equal(img_to_array(array_to_img(IMG, scale=False),
                                               data_format="channels_first"),
                                  IMG.transpose(2, 0, 1))


def test_bad_inputs_have_clear_errors(tmp_path):
    with pytest.raises(ValueError, match="rank 3"):
        array_to_img(np.zeros((2, 2)))
    with pytest.raises(ValueError, match="Unsupported channel number: 2"):
        array_to_img(np.zeros((2, 2, 2)))
    with pytest.raises(ValueError, match="color_mode must be"):
        load_img(tmp_path / "x.png", color_mode="cmyk")
    with pytest.raises(ValueError, match="Invalid interpolation method"):
        load_img(tmp_path / "x.png", interpolation="cubic-ish")
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"not a png at all")
    with pytest.raises(ValueError, match="broken.png"):
        load_img(broken)
    with pytest.raises(ValueError, match="Unsupported image shape"):
        img_to_array(np.zeros((2, 2, 2, 2)))


def test_save_rgba_as_jpeg_warns_and_converts(tmp_path):
    with pytest.warns(UserWarning, match="JPG format does not support RGBA"):
        save_img(tmp_path / "a.jpg", np.full((4, 4, 4), 128.0), scale=False)
    assert load_img(tmp_path / "a.jpg").mode == "RGB"


def test_smart_resize_keeps_the_aspect_ratio():
    from kfront.preprocessing.image import smart_resize
    x = np.arange(4 * 8, dtype="float32").reshape(4, 8, 1)
    out = smart_resize(x, (4, 4))
    assert isinstance(out, np.ndarray)
    np.testing.assert_array_equal(out, x[:, 2:6])
    assert smart_resize(x.astype("uint8")[None], (2, 2)).shape == (1, 2, 2, 1)
