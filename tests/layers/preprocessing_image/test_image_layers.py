"""Image preprocessing layers: NumPy references for the fixed ones, structure for the random."""
import numpy as np
import pytest

import kfront as keras
from kfront import layers, ops

RNG = np.random.RandomState(1)
X = (RNG.rand(4, 6, 6, 2) * 255).astype("float32")


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def test_rescaling_scalar_and_per_channel():
    np.testing.assert_allclose(_np(layers.Rescaling(1 / 255.0, offset=-1)(X)), X / 255.0 - 1,
                               rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(_np(layers.Rescaling([1.0, 0.5])(X)), X * [1.0, 0.5], rtol=1e-6)
    ints = np.arange(6, dtype="uint8").reshape(1, 1, 6, 1)
    out = _np(layers.Rescaling(0.5)(ints))
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, ints / 2.0)
    with pytest.raises(ValueError, match="`scale` must be a number"):
        layers.Rescaling("big")


def test_resizing_shapes_and_values():
    out = _np(layers.Resizing(3, 3)(X))
    np.testing.assert_allclose(out, X.reshape(4, 3, 2, 3, 2, 2).mean(axis=(2, 4)), rtol=1e-5)
    up = _np(layers.Resizing(12, 12, interpolation="nearest")(X))
    np.testing.assert_array_equal(up, X.repeat(2, 1).repeat(2, 2))
    cf = layers.Resizing(3, 4, data_format="channels_first")
    assert _np(cf(X.transpose(0, 3, 1, 2))).shape == (4, 2, 3, 4)
    assert cf.compute_output_shape((None, 2, 6, 6)) == (None, 2, 3, 4)
    with pytest.raises(ValueError, match="`height` must be a positive int"):
        layers.Resizing(0, 3)
    with pytest.raises(ValueError, match="only one of"):
        layers.Resizing(3, 3, crop_to_aspect_ratio=True, pad_to_aspect_ratio=True)
    with pytest.raises(ValueError, match="rank 4"):
        layers.Resizing(3, 3)(X[0, 0])


def test_center_crop_crops_the_middle_and_resizes_small_inputs():
    np.testing.assert_array_equal(_np(layers.CenterCrop(2, 4)(X)), X[:, 2:4, 1:5])
    np.testing.assert_array_equal(_np(layers.CenterCrop(4, 2)(X[0])), X[0, 1:5, 2:4])
    # Smaller input: resized (aspect ratio kept), never padded.
    assert _np(layers.CenterCrop(8, 8)(X)).shape == (4, 8, 8, 2)


def test_random_flip_gives_x_or_its_mirror_and_is_identity_at_inference():
    layer = layers.RandomFlip("horizontal", seed=3)
    out = _np(layer(X, training=True))
    kinds = set()
    for o, x in zip(out, X):
        same, mirror = np.array_equal(o, x), np.array_equal(o, x[:, ::-1])
        assert same or mirror
        kinds.add(mirror)
    np.testing.assert_array_equal(_np(layer(X, training=False)), X)
    both = _np(layers.RandomFlip(seed=3)(np.repeat(X[:1], 16, axis=0)))
    x = X[0]
    options = [x, x[::-1], x[:, ::-1], x[::-1, ::-1]]
    seen = {next(i for i, v in enumerate(options) if np.array_equal(o, v)) for o in both}
    assert len(seen) >= 3, seen
    with pytest.raises(ValueError, match="unknown mode"):
        layers.RandomFlip("diagonal")


def test_random_layers_reproducible_with_seed():
    for make in (lambda: layers.RandomRotation(0.2, seed=7),
                 lambda: layers.RandomContrast(0.5, seed=7)):
        a, b = _np(make()(X)), _np(make()(X))
        np.testing.assert_array_equal(a, b)
        assert not np.allclose(a, X)


def test_random_rotation_zero_is_identity_and_half_turn_is_flip():
    np.testing.assert_allclose(_np(layers.RandomRotation(0.0)(X)), X, atol=1e-4)
    half = _np(layers.RandomRotation((0.5, 0.5), interpolation="nearest")(X))
    np.testing.assert_allclose(half, X[:, ::-1, ::-1], atol=1e-3)
    with pytest.raises(ValueError, match="`factor` must be a float or a tuple"):
        layers.RandomRotation((0.1, 0.2, 0.3))


def test_random_translation_moves_by_whole_pixels():
    # factor (1/6, 1/6) of a 6-pixel side: one pixel down.
    out = _np(layers.RandomTranslation((1 / 6, 1 / 6), 0.0, fill_mode="constant")(X))
    np.testing.assert_allclose(out[:, 1:], X[:, :-1], atol=1e-3)
    np.testing.assert_allclose(out[:, 0], 0, atol=1e-6)
    with pytest.raises(ValueError, match=r"must lie in \[-1.0, 1.0\]"):
        layers.RandomTranslation(1.5, 0.1)


def test_channels_first_matches_channels_last():
    def make(fmt):
        return layers.RandomRotation((0.125, 0.125), fill_mode="constant", data_format=fmt)

    last = _np(make("channels_last")(X))
    first = _np(make("channels_first")(X.transpose(0, 3, 1, 2)))
    np.testing.assert_allclose(first.transpose(0, 2, 3, 1), last, rtol=1e-5, atol=1e-4)
    single = _np(make("channels_last")(X[0]))
    np.testing.assert_allclose(single, last[0], rtol=1e-5, atol=1e-4)


def test_random_zoom_out_shrinks_content_about_the_center():
    x = np.zeros((1, 7, 7, 1), "float32")
    x[0, 3, 3, 0] = 1.0
    x[0, 3, 5, 0] = 1.0
    out = _np(layers.RandomZoom((1.0, 1.0), fill_mode="constant", interpolation="nearest")(x))
    # Zooming out by 2: the center stays, a pixel 2 to the right lands 1 to the right.
    assert out[0, 3, 3, 0] == 1.0 and out[0, 3, 4, 0] == 1.0 and out.sum() == 2.0
    with pytest.raises(ValueError, match=r"must lie in \(-1.0, 1.0\]"):
        layers.RandomZoom(-1.0)


def test_random_contrast_scales_deviation_from_the_mean():
    layer = layers.RandomContrast((0.5, 0.5), value_range=(-1e9, 1e9), seed=1)
    out = _np(layer(X))
    mean = X.mean(axis=(1, 2), keepdims=True)
    factor = (out - mean) / (X - mean)
    per_image = factor.reshape(4, -1)
    assert np.allclose(per_image, per_image[:, :1], atol=1e-3)
    assert ((per_image[:, 0] >= 0.5 - 1e-4) & (per_image[:, 0] <= 1.5 + 1e-4)).all()
    clipped = _np(layers.RandomContrast(0.9, seed=2)(X))
    assert clipped.min() >= 0 and clipped.max() <= 255
    with pytest.raises(ValueError, match="`factor` must be in"):
        layers.RandomContrast(-0.2)
    with pytest.raises(ValueError, match="`value_range`"):
        layers.RandomContrast(0.2, value_range=(1, 0))


def test_random_crop_takes_a_window_in_training_and_the_center_at_inference():
    layer = layers.RandomCrop(3, 4, seed=5)
    out = _np(layer(X, training=True))
    assert out.shape == (4, 3, 4, 2)
    windows = [X[:, r:r + 3, c:c + 4] for r in range(4) for c in range(3)]
    assert any(np.array_equal(out, w) for w in windows)
    center = _np(layer(X, training=False))
    np.testing.assert_allclose(center, _np(layers.Resizing(3, 4, crop_to_aspect_ratio=True)(X)))


def test_layers_in_a_model_train_and_predict_deterministically():
    model = keras.Sequential([
        keras.Input((6, 6, 2)), layers.RandomFlip(seed=1), layers.RandomTranslation(
            0.1, 0.1, seed=4), layers.RandomContrast(0.2, seed=5), layers.RandomCrop(4, 4, seed=6),
        layers.Rescaling(1 / 255.0), layers.Flatten(), layers.Dense(1)])
    assert model.output_shape == (None, 1)
    model.compile("sgd", "mse")
    # 6 samples in batches of 4: the last batch is smaller.
    history = model.fit(X[:3].repeat(2, 0), np.ones((6, 1)), batch_size=4, epochs=2, verbose=0)
    assert np.isfinite(history.history["loss"]).all()
    first, second = model.predict(X, verbose=0), model.predict(X, verbose=0)
    np.testing.assert_array_equal(first, second)


def test_get_config_round_trip():
    for layer in (layers.Rescaling(0.5, 1.0), layers.Resizing(3, 4, interpolation="nearest"),
                  layers.CenterCrop(2, 2), layers.RandomFlip("vertical", seed=1),
                  layers.RandomRotation(0.1, fill_mode="constant", seed=1),
                  layers.RandomZoom(0.1, 0.2), layers.RandomTranslation(0.1, (0.0, 0.2)),
                  layers.RandomContrast(0.3), layers.RandomCrop(2, 3, seed=4)):
        config = layer.get_config()
        clone = type(layer).from_config(config)
        assert clone.get_config() == config


def test_model_with_image_layers_saves_and_loads(tmp_path):
    model = keras.Sequential([keras.Input((6, 6, 2)), layers.Rescaling(1 / 255.0),
                              layers.RandomFlip(seed=1), layers.Resizing(4, 4),
                              layers.RandomCrop(3, 3), layers.Flatten(), layers.Dense(2)])
    model.save(tmp_path / "m.kfront")
    loaded = keras.models.load_model(tmp_path / "m.kfront")
    assert [type(layer).__name__ for layer in loaded.layers][:4] == [
        "Rescaling", "RandomFlip", "Resizing", "RandomCrop"]
    np.testing.assert_allclose(loaded.predict(X, verbose=0), model.predict(X, verbose=0),
                               rtol=1e-6, atol=1e-6)
