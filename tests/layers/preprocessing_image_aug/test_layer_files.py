"""Every preprocessing layer of the augmentation, box, audio and crossing families saves
and loads in ``.kfront`` and ``.keras`` files: the loaded model has the layer's config and
predicts the same (inference mode, small inputs); ``.keras`` files that Keras wrote for a
sample of the layers load in kfront and predict as Keras did."""
import numpy as np
import pytest

import kfront as keras
from kfront import layers, ops
from aug_layers import LAYERS, ON_JAX
from keras_reference import keras_numbers

IMAGES = np.random.RandomState(11).randint(0, 256, (2, 8, 8, 3)).astype("float32")
AUDIO = np.random.RandomState(12).uniform(-1, 1, (2, 256)).astype("float32")

# Image layers beyond the augmentation table, built with small arguments.
EXTRA = {
    "RandomFlip": lambda: layers.RandomFlip(seed=1),
    "RandomRotation": lambda: layers.RandomRotation(0.2, seed=1),
    "RandomZoom": lambda: layers.RandomZoom(0.2, seed=1),
    "RandomTranslation": lambda: layers.RandomTranslation(0.1, 0.1, seed=1),
    "RandomContrast": lambda: layers.RandomContrast(0.3, seed=1),
    "RandomCrop": lambda: layers.RandomCrop(6, 6, seed=1),
    "CenterCrop": lambda: layers.CenterCrop(4, 6),
    "Resizing": lambda: layers.Resizing(5, 7),
    "Rescaling": lambda: layers.Rescaling(1 / 255.0, offset=-0.5),
    "Pipeline": lambda: layers.Pipeline([layers.AutoContrast(), layers.RandomInvert(0.5)]),
}


def _image_model(make):
    return keras.Sequential([keras.Input((8, 8, 3)), make()])


def _audio_model(layer):
    return keras.Sequential([keras.Input((256,) if isinstance(
        layer, layers.MelSpectrogram) else (256, 1)), layer])


CASES = {**{n: (lambda m=m: _image_model(m), IMAGES) for n, m in LAYERS.items()},
         **{n: (lambda m=m: _image_model(m), IMAGES) for n, m in EXTRA.items()},
         "STFTSpectrogram": (lambda: _audio_model(layers.STFTSpectrogram(
             frame_length=32, frame_step=16, mode="log")), AUDIO[..., None]),
         "MelSpectrogram": (lambda: _audio_model(layers.MelSpectrogram(
             fft_length=64, sequence_stride=32, num_mel_bins=8, sampling_rate=8000)), AUDIO)}


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


# CLAHE applies at inference and costs JAX seconds of compiling per shape.
@pytest.mark.parametrize("name", [pytest.param(n, marks=[pytest.mark.slow] if ON_JAX and n.startswith(
    "ContrastLimited") else []) for n in sorted(CASES)])
def test_layer_round_trips_in_both_file_formats(tmp_path, name):
    make, x = CASES[name]
    model = make()
    expected = _np(model(x, training=False))
    config = model.layers[-1].get_config()
    for suffix in ("kfront", "keras"):
        model.save(tmp_path / f"m.{suffix}")
        loaded = keras.models.load_model(tmp_path / f"m.{suffix}")
        layer = loaded.layers[-1]
        assert type(layer).__name__ == name and layer.get_config() == config
        np.testing.assert_allclose(_np(loaded(x, training=False)), expected, rtol=1e-5,
                                   atol=1e-4)


def test_host_and_box_layers_round_trip_as_files(tmp_path):
    # HashedCrossing runs on the host and MaxNumBoundingBoxes on dicts, outside a symbolic
    # model: the layers themselves are saved.
    crossing = layers.HashedCrossing(num_bins=7, output_mode="one_hot")
    pair = (np.array([1, 2, 3]), np.array([4, 4, 9]))
    boxes = layers.MaxNumBoundingBoxes(max_number=3, fill_value=-2)
    data = {"images": IMAGES, "bounding_boxes": {"boxes": np.ones((2, 1, 4), "float32"),
                                                 "labels": np.ones((2, 1), "int32")}}
    for suffix in ("kfront", "keras"):
        for i, (layer, x) in enumerate(((crossing, pair), (boxes, data))):
            path = tmp_path / f"{i}.{suffix}"
            keras.saving.save_model(layer, path)
            loaded = keras.saving.load_model(path)
            assert type(loaded) is type(layer) and loaded.get_config() == layer.get_config()
            got, want = loaded(x), layer(x)
            if isinstance(want, dict):
                got, want = got["bounding_boxes"]["labels"], want["bounding_boxes"]["labels"]
            np.testing.assert_array_equal(_np(got), _np(want))
    assert _np(want).tolist() == [[1, -2, -2]] * 2


_SCRIPT = r'''
import os, tempfile
L = keras.layers
x, audio = inp["images"], inp["audio"]
def save(key, model, data):
    out[key + "_predict"] = keras.ops.convert_to_numpy(model(data, training=False))
    path = os.path.join(tempfile.mkdtemp(), key + ".keras")
    model.save(path)
    out[key + "_file"] = np.frombuffer(open(path, "rb").read(), np.uint8)
save("images", keras.Sequential([
    keras.Input((8, 8, 3)), L.MixUp(seed=1), L.CutMix(seed=2), L.RandomErasing(seed=3),
    L.RandomGaussianBlur(seed=4), L.RandomPerspective(seed=5),
    L.RandomElasticTransform(seed=6), L.RandomColorJitter(brightness_factor=0.2, hue_factor=0.1, seed=7),
    L.AugMix(seed=8), L.RandomGrayscale(0.5, seed=9), L.RandomSharpness(0.3, seed=10),
    L.ContrastLimitedAdaptiveHistogramEqualization(tile_grid_size=(2, 2)),
    L.RandomFlip(seed=11), L.RandomRotation(0.1, seed=12), L.Resizing(6, 6)]), x)
save("mel", keras.Sequential([keras.Input((256,)), L.MelSpectrogram(
    fft_length=64, sequence_stride=32, num_mel_bins=8, sampling_rate=8000)]), audio)
save("stft", keras.Sequential([keras.Input((256, 1)), L.STFTSpectrogram(
    frame_length=32, frame_step=16, mode="log")]), audio[..., None])
'''


@pytest.fixture(scope="module")
def keras_files():
    return keras_numbers(_SCRIPT, images=IMAGES, audio=AUDIO)


@pytest.mark.parametrize("key,data", [("images", IMAGES), ("mel", AUDIO),
                                      ("stft", AUDIO[..., None])])
def test_keras_written_files_load_and_predict_the_same(tmp_path, keras_files, key, data):
    path = tmp_path / f"{key}.keras"
    path.write_bytes(keras_files[f"{key}_file"].tobytes())
    model = keras.models.load_model(path)
    np.testing.assert_allclose(_np(model(data, training=False)), keras_files[f"{key}_predict"],
                               rtol=1e-4, atol=1e-3)
