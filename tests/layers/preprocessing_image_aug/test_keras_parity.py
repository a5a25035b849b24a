"""The layers' arithmetic against the installed Keras 3 (same inputs, same fixed random
parameters through ``transform_images``) and against Pillow where it has the operation."""
import numpy as np
import pytest

from kfront import layers, ops
from aug_layers import ON_JAX, jax_slow
from aug_reference import IMAGES, SMOOTH, TRANSFORMS, keras_outputs

jax_slow_mark = [pytest.mark.slow] if ON_JAX else []


@pytest.fixture(scope="module")
def ref():
    return keras_outputs()


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def _apply(layer, name, images=IMAGES):
    transformation = {k: ops.convert_to_tensor(v) for k, v in TRANSFORMS[name].items()}
    return _np(layer.transform_images(ops.convert_to_tensor(images), transformation))


@pytest.mark.parametrize("key,layer,images,tol", [
    ("brightness", lambda: layers.RandomBrightness(0.5), IMAGES, 1e-4),
    ("saturation", lambda: layers.RandomSaturation(0.5, value_range=(0, 1)), IMAGES / 255.0,
     1e-5),
    ("hue", lambda: layers.RandomHue(0.5), IMAGES, 1e-3),
    ("degeneration", lambda: layers.RandomColorDegeneration(0.5), IMAGES, 1e-3),
    ("invert", lambda: layers.RandomInvert(), IMAGES, 0),
    ("solarize", lambda: layers.Solarization(0.5, 0.5), IMAGES, 1e-4),
    ("posterize", lambda: layers.RandomPosterization(4), IMAGES, 0),
    ("sharpness", lambda: layers.RandomSharpness(0.5), IMAGES, 1e-3),
    ("shear", lambda: layers.RandomShear(0.5, 0.5, fill_mode="constant"), IMAGES, 1e-3),
    pytest.param("blur", lambda: layers.RandomGaussianBlur(kernel_size=5), IMAGES, 1e-3,
                 marks=jax_slow_mark),
    ("mixup", lambda: layers.MixUp(), IMAGES, 1e-3),
])
def test_transform_images_matches_keras(ref, key, layer, images, tol):
    np.testing.assert_allclose(_apply(layer(), key, images), ref[key], rtol=1e-5, atol=tol)


def test_deterministic_layers_match_keras(ref):
    np.testing.assert_allclose(_np(layers.RandomGrayscale(1.0)(IMAGES)), ref["grayscale"],
                               atol=1e-3)
    np.testing.assert_allclose(_np(layers.AutoContrast()(SMOOTH * 0.5 + 20)),
                               ref["autocontrast"], atol=1e-3)
    np.testing.assert_allclose(
        _np(layers.AutoContrast(value_range=(0, 1))(SMOOTH / 510.0 + 0.1)),
        ref["autocontrast01"], atol=1e-5)
    np.testing.assert_allclose(_np(layers.Equalization()(SMOOTH[0], training=True)),
                               ref["equalize0"], atol=1e-3)
    np.testing.assert_allclose(_np(layers.Equalization(bins=64)(SMOOTH[1], training=True)),
                               ref["equalize_bins"], atol=1e-3)


@jax_slow
def test_clahe_matches_keras(ref):
    clahe = layers.ContrastLimitedAdaptiveHistogramEqualization
    np.testing.assert_allclose(_np(clahe(tile_grid_size=(3, 4))(SMOOTH)), ref["clahe"],
                               atol=1e-2)
    np.testing.assert_allclose(_np(clahe(clip_limit=0, tile_grid_size=(2, 2))(IMAGES)),
                               ref["clahe_noclip"], atol=1e-2)


def test_pillow_references():
    from PIL import Image, ImageOps
    u8 = IMAGES.astype("uint8")
    pil = [Image.fromarray(im) for im in u8]
    # Solarize at 128 with no addition: PIL inverts values >= 128.
    sol = layers.Solarization(threshold_factor=(128 / 255, 128 / 255), seed=1)
    np.testing.assert_allclose(_np(sol(IMAGES)),
                               np.stack([np.asarray(ImageOps.solarize(p, 128)) for p in pil]),
                               atol=1e-3)
    for bits in (1, 3, 5, 8):
        post = layers.RandomPosterization((bits, bits), seed=1)
        np.testing.assert_array_equal(
            _np(post(IMAGES)), np.stack([np.asarray(ImageOps.posterize(p, bits)) for p in pil]))
    # Each image equalized alone, as PIL does, against the single-image result.
    eq = _np(layers.Equalization()(IMAGES[0], training=True))
    assert eq.shape == IMAGES[0].shape and eq.min() == 0 and eq.max() == 255
    # RandomSharpness at factor f is PIL's ImageEnhance.Sharpness(2 f) away from the edges
    # (PIL leaves the border pixels alone, kfront and Keras pad with zeros).
    from PIL import ImageEnhance
    sharp = layers.RandomSharpness((0.8, 0.8), seed=1)
    got = _np(sharp(IMAGES))
    want = np.stack([np.asarray(ImageEnhance.Sharpness(p).enhance(1.6)) for p in pil])
    # PIL rounds the smoothed image to uint8 before blending: within 1.5 levels.
    np.testing.assert_allclose(got[:, 1:-1, 1:-1], want[:, 1:-1, 1:-1], atol=1.5)


def test_a_keras_written_model_loads_and_predicts_the_same(ref, tmp_path):
    import kfront as keras
    path = tmp_path / "aug.keras"
    path.write_bytes(ref["model_file"].tobytes())
    model = keras.models.load_model(path)
    names = [type(l).__name__ for l in model.layers]
    assert names[:6] == ["RandomBrightness", "AutoContrast", "RandomShear", "Solarization",
                         "RandAugment", "Pipeline"]
    assert model.layers[4].num_ops == 2 and model.layers[4].factor == (0.0, 0.5)
    assert [type(l).__name__ for l in model.layers[5].layers] == ["RandomInvert", "RandomHue"]
    # Inference: the random layers pass images through, AutoContrast still applies.
    np.testing.assert_allclose(_np(model.predict(IMAGES, verbose=0)), ref["model_predict"],
                               rtol=1e-4, atol=1e-4)
