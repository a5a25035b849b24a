"""``ImageDataGenerator``: transforms against NumPy, statistics, ``flow``, errors."""
import numpy as np
import pytest

from kfront.preprocessing.image import ImageDataGenerator, apply_affine_transform

RNG = np.random.RandomState(0)
SQUARE = RNG.rand(5, 5, 3).astype("float32")
BATCH = (RNG.rand(10, 6, 6, 3) * 255).astype("float32")


def _params(**kw):
    base = {"theta": 0, "tx": 0, "ty": 0, "shear": 0, "zx": 1, "zy": 1,
            "flip_horizontal": False, "flip_vertical": False,
            "channel_shift_intensity": None, "brightness": None}
    return {**base, **kw}


def test_flips_are_flips():
    gen = ImageDataGenerator()
    np.testing.assert_array_equal(gen.apply_transform(SQUARE, _params(flip_horizontal=True)),
                                  SQUARE[:, ::-1])
    np.testing.assert_array_equal(gen.apply_transform(SQUARE, _params(flip_vertical=True)),
                                  SQUARE[::-1])
    flips = ImageDataGenerator(horizontal_flip=True)
    outs = [flips.random_transform(SQUARE, seed=s) for s in range(12)]
    assert all(np.array_equal(o, SQUARE) or np.array_equal(o, SQUARE[:, ::-1]) for o in outs)
    assert any(np.array_equal(o, SQUARE[:, ::-1]) for o in outs)


def test_quarter_turn_of_a_square_image_is_rot90():
    gen = ImageDataGenerator()
    out = gen.apply_transform(SQUARE, _params(theta=90))
    np.testing.assert_allclose(out, np.rot90(SQUARE, k=-1, axes=(0, 1)), atol=1e-5)
    out = gen.apply_transform(SQUARE, _params(theta=-90))
    np.testing.assert_allclose(out, np.rot90(SQUARE, k=1, axes=(0, 1)), atol=1e-5)


def test_shifts_move_pixels_by_the_right_amount():
    gen = ImageDataGenerator(fill_mode="constant", cval=-1.0)
    # tx shifts rows, ty columns: the output pixel (r, c) reads the input at (r+tx, c+ty).
    out = gen.apply_transform(SQUARE, _params(tx=2))
    np.testing.assert_allclose(out[:3], SQUARE[2:], atol=1e-6)
    assert (out[3:] == -1).all()
    out = gen.apply_transform(SQUARE, _params(ty=-1))
    np.testing.assert_allclose(out[:, 1:], SQUARE[:, :-1], atol=1e-6)
    assert (out[:, 0] == -1).all()
    # A fraction of the side in the range: 0.4 * 5 = 2 pixels at most.
    shifts = [ImageDataGenerator(height_shift_range=0.4).get_random_transform(
        SQUARE.shape, seed=s)["tx"] for s in range(20)]
    assert max(abs(t) for t in shifts) <= 2.0 and len(set(shifts)) > 1
    pixel = [ImageDataGenerator(width_shift_range=[1, 2]).get_random_transform(
        SQUARE.shape, seed=s)["ty"] for s in range(20)]
    assert set(pixel) <= {-2, -1, 1, 2}


def test_fill_modes_at_the_border():
    row = np.arange(5, dtype="float32").reshape(1, 5, 1)
    expect = {"nearest": [0, 0, 0, 1, 2], "reflect": [1, 0, 0, 1, 2],
              "wrap": [3, 4, 0, 1, 2], "constant": [9, 9, 0, 1, 2]}
    for mode, values in expect.items():
        out = apply_affine_transform(row, ty=-2, row_axis=0, col_axis=1, channel_axis=2,
                                     fill_mode=mode, cval=9)
        np.testing.assert_allclose(out[0, :, 0], values, err_msg=mode)


def test_zoom_and_shear_match_the_affine_formula():
    gen = ImageDataGenerator()
    big = np.arange(49, dtype="float32").reshape(7, 7, 1)
    # Zoom 0.5 (zoom in) about the center: output (r, c) reads (3 + (r-3)/2, 3 + (c-3)/2).
    out = gen.apply_transform(big, _params(zx=0.5, zy=0.5))
    r = c = np.arange(7)
    rr, cc = 3 + (r[:, None] - 3) / 2, 3 + (c[None, :] - 3) / 2
    np.testing.assert_allclose(out[:, :, 0], rr * 7 + cc, atol=1e-4)
    sheared = gen.apply_transform(big, _params(shear=20))
    assert sheared.shape == big.shape and not np.allclose(sheared, big)


def test_channel_shift_and_brightness():
    gen = ImageDataGenerator()
    x = np.stack([np.full((2, 2), 10.0), np.full((2, 2), 100.0)], axis=-1).astype("float32")
    out = gen.apply_transform(x, _params(channel_shift_intensity=50))
    np.testing.assert_allclose(out[..., 0], 60)
    np.testing.assert_allclose(out[..., 1], 100)  # clipped to the image's max
    bright = gen.apply_transform(BATCH[0], _params(brightness=0.5))
    np.testing.assert_allclose(bright, np.round(BATCH[0] * 0.5), atol=1e-4)


def test_featurewise_statistics_equal_numpy():
    gen = ImageDataGenerator(featurewise_center=True, featurewise_std_normalization=True)
    gen.fit(BATCH)
    np.testing.assert_allclose(gen.mean.ravel(), BATCH.mean(axis=(0, 1, 2)), rtol=1e-5)
    np.testing.assert_allclose(gen.std.ravel(), BATCH.std(axis=(0, 1, 2)), rtol=1e-5)
    assert gen.mean.shape == (1, 1, 3)
    out = gen.standardize(BATCH[0].copy())
    np.testing.assert_allclose(out, (BATCH[0] - gen.mean) / (gen.std + 1e-6), rtol=1e-5)
    cf = ImageDataGenerator(featurewise_center=True, data_format="channels_first")
    cf.fit(BATCH.transpose(0, 3, 1, 2))
    assert cf.mean.shape == (3, 1, 1)
    with pytest.raises(ValueError, match="should have rank 4"):
        gen.fit(BATCH[0])


def test_samplewise_rescale_and_preprocessing_function():
    gen = ImageDataGenerator(samplewise_center=True, samplewise_std_normalization=True,
                             rescale=0.5, preprocessing_function=lambda x: x + 1)
    x = BATCH[1].copy()
    out = gen.standardize(x.copy())
    y = (x + 1) * 0.5
    np.testing.assert_allclose(out, (y - y.mean()) / (y.std() + 1e-6), rtol=1e-4, atol=1e-5)
    with pytest.warns(UserWarning, match="hasn't been fit"):
        ImageDataGenerator(featurewise_center=True).standardize(x.copy())


def test_flow_batches_labels_weights_and_reproducibility():
    y = np.arange(10)
    gen = ImageDataGenerator(rotation_range=30, zoom_range=0.2)
    it = gen.flow(BATCH, y, batch_size=4, seed=3, sample_weight=np.ones(10))
    assert len(it) == 3
    bx, by, bw = it[2]
    assert bx.shape == (2, 6, 6, 3) and by.shape == (2,) and bw.shape == (2,)
    again = gen.flow(BATCH, y, batch_size=4, seed=3, sample_weight=np.ones(10))
    np.testing.assert_array_equal(it[0][0], again[0][0])
    np.testing.assert_array_equal(it[0][1], again[0][1])
    plain = ImageDataGenerator().flow(BATCH, batch_size=4, shuffle=False)
    np.testing.assert_array_equal(plain[1], BATCH[4:8])
    first = next(plain)
    np.testing.assert_array_equal(first, BATCH[:4])


def test_validation_split_subsets():
    y = np.tile([0, 1], 5)
    gen = ImageDataGenerator(validation_split=0.2)
    train = gen.flow(BATCH, y, batch_size=10, shuffle=False, subset="training")
    val = gen.flow(BATCH, y, batch_size=10, shuffle=False, subset="validation")
    np.testing.assert_array_equal(train[0][0], BATCH[2:])
    np.testing.assert_array_equal(val[0][0], BATCH[:2])
    with pytest.raises(ValueError, match="different number of classes"):
        gen.flow(BATCH, np.sort(y), subset="validation")


def test_deprecated_in_keras_3():
    with pytest.warns(DeprecationWarning, match="image_dataset_from_directory"):
        ImageDataGenerator()


def test_user_mistakes_get_clear_errors():
    with pytest.raises(NotImplementedError, match="zca_whitening"):
        ImageDataGenerator(zca_whitening=True)
    with pytest.raises(ValueError, match="`zoom_range` should be a float"):
        ImageDataGenerator(zoom_range=(0.1, 0.2, 0.3))
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        ImageDataGenerator(validation_split=1.5)
    with pytest.raises(ValueError, match="brightness_range"):
        ImageDataGenerator(brightness_range=0.5)
    with pytest.raises(ValueError, match="invalid fill_mode"):
        ImageDataGenerator(fill_mode="edge")
    gen = ImageDataGenerator()
    with pytest.raises(ValueError, match="should have the same length"):
        gen.flow(BATCH, np.arange(3))
    with pytest.raises(ValueError, match="should have rank 4"):
        gen.flow(BATCH[0], np.arange(6))
    with pytest.warns(UserWarning, match="overrides setting of `featurewise_center`"):
        ImageDataGenerator(featurewise_std_normalization=True)
