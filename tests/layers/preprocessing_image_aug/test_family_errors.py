"""The bad arguments the issue names, across every family of preprocessing layers: a wrong
input rank names the layer and the shape; an unknown bounding-box format names the
argument and the value; a negative value where Keras refuses one names the argument."""
import numpy as np
import pytest

from kfront import layers
from test_layer_files import EXTRA
from aug_layers import LAYERS

IMAGE_LAYERS = {**LAYERS, **{k: v for k, v in EXTRA.items()
                             if k not in ("Rescaling", "Pipeline")}}  # any rank / no format


@pytest.mark.parametrize("name", sorted(IMAGE_LAYERS))
def test_wrong_image_rank_and_unknown_box_format(name):
    layer = IMAGE_LAYERS[name]()
    with pytest.raises(ValueError, match=rf"{name} .*rank 4 .*received an input of shape "
                                         r"\(4, 5\)"):
        layer(np.zeros((4, 5), "float32"))
    config = dict(layer.get_config(), bounding_box_format="xyz")
    with pytest.raises(ValueError, match=r"`bounding_box_format`.*'xyz'"):
        type(layer).from_config(config)


@pytest.mark.parametrize("make,match", [
    (lambda: layers.RandomContrast(-0.2), r"RandomContrast: `factor` must be in \[0, 1\]. "
                                          r"Received: factor=-0.2"),
    (lambda: layers.RandomZoom(-2.0), r"RandomZoom: `height_factor` .*height_factor=-2.0"),
    (lambda: layers.RandomTranslation(0.1, -2.0),
     r"RandomTranslation: `width_factor` .*width_factor=-2.0"),
    (lambda: layers.RandomErasing(-0.3), r"RandomErasing: the `factor`.*factor=-0.3"),
    (lambda: layers.RandomGaussianBlur(-0.3), r"RandomGaussianBlur: the `factor`.*=-0.3"),
    (lambda: layers.RandomPerspective(-0.3), r"RandomPerspective: the `factor`.*=-0.3"),
    (lambda: layers.RandomElasticTransform(-0.3), r"RandomElasticTransform: the `factor`"),
    (lambda: layers.RandAugment(factor=-0.3), r"RandAugment: the `factor`.*factor=-0.3"),
    (lambda: layers.AugMix(alpha=-1.0), r"AugMix: `alpha` must be a positive.*alpha=-1.0"),
    (lambda: layers.MixUp(-0.2), r"MixUp: `alpha` must be a positive.*alpha=-0.2"),
    (lambda: layers.CutMix(-0.2), r"CutMix: the `factor`.*factor=-0.2"),
    (lambda: layers.RandomColorJitter(brightness_factor=-2),
     r"RandomBrightness: the `factor`.*factor=-2"),
    (lambda: layers.Solarization(-0.2), r"Solarization: the `addition_factor`.*=-0.2"),
    (lambda: layers.RandomInvert(-0.2), r"RandomInvert: the `factor`.*factor=-0.2"),
    (lambda: layers.STFTSpectrogram(frame_length=-4),
     r"`frame_length` should be a positive integer. Received frame_length=-4"),
    (lambda: layers.MelSpectrogram(fft_length=-4),
     r"MelSpectrogram: `fft_length` must be a positive integer. Received: fft_length=-4"),
    (lambda: layers.MelSpectrogram(num_mel_bins=-1), r"`num_mel_bins` .*num_mel_bins=-1"),
    (lambda: layers.HashedCrossing(num_bins=-3), r"num_bins.*-3"),
    (lambda: layers.MaxNumBoundingBoxes(max_number=-1), r"max_number.*-1"),
])
def test_negative_values_keras_refuses(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_audio_layers_name_a_wrong_input_rank():
    with pytest.raises(ValueError, match=r'MelSpectrogram "mel": expected audio of rank 2 '
                                         r"\(batch, samples\).*shape \(2, 3, 4\)"):
        layers.MelSpectrogram(fft_length=8, sequence_stride=4, name="mel")(
            np.zeros((2, 3, 4), "float32"))
    with pytest.raises(ValueError, match=r'"stft".*expected ndim=3, found ndim=4'):
        layers.STFTSpectrogram(frame_length=8, name="stft")(np.zeros((2, 3, 4, 1), "float32"))

