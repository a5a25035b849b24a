"""STFTSpectrogram and MelSpectrogram against NumPy/SciPy references and the installed Keras,
on the backend under test; both train inside a model."""
import numpy as np
import pytest

import kfront as keras
from keras_reference import keras_numbers
from kfront.layers.preprocessing.audio.mel_spectrogram import linear_to_mel_weight_matrix

RNG = np.random.default_rng(7)
SIGNAL = RNG.standard_normal((2, 600, 2)).astype("float32")


def _np(x):
    return keras.ops.convert_to_numpy(x)


def _stft_reference(x, frame_length, step, fft_length, window, scaling, padding):
    """(batch, channels, frames, bins) complex STFT of (batch, time, channels), from NumPy."""
    from scipy import signal
    win = signal.get_window(window, frame_length, fftbins=False)
    norm = np.sqrt(np.sum(win ** 2)) if scaling == "density" else np.sum(win)
    x = x.astype("float64").transpose(0, 2, 1)
    if padding == "same":
        total = max((-(-x.shape[-1] // step) - 1) * step + frame_length - x.shape[-1], 0)
        x = np.pad(x, ((0, 0), (0, 0), (total // 2, total - total // 2)))
    starts = range(0, x.shape[-1] - frame_length + 1, step)
    frames = np.stack([x[..., s:s + frame_length] for s in starts], axis=2)
    # The STFT layer's kernels are a DFT whose rows are conjugated: Re = sum x w cos,
    # Im = -sum x w sin, i.e. NumPy's rfft of the windowed frame.
    return np.fft.rfft(frames * win, n=fft_length) / norm


@pytest.mark.parametrize("kwargs", [
    dict(frame_length=64, frame_step=32, fft_length=64, window="hann", scaling="density",
         padding="valid"),
    dict(frame_length=50, frame_step=20, fft_length=128, window="hamming",
         scaling="spectrum", padding="same"),
])
def test_stft_modes_match_numpy(kwargs):
    ref = _stft_reference(SIGNAL, kwargs["frame_length"], kwargs["frame_step"],
                          kwargs["fft_length"], kwargs["window"], kwargs["scaling"],
                          kwargs["padding"])
    bins = kwargs["fft_length"] // 2 + 1

    def layout(z):  # (batch, channels, frames, bins) -> (batch, frames, channels * bins)
        return z.transpose(0, 2, 1, 3).reshape(z.shape[0], z.shape[2], -1)

    scale = np.abs(ref).max()
    for mode, want in [("real", ref.real), ("imag", ref.imag), ("magnitude", np.abs(ref)),
                       ("psd", np.abs(ref) ** 2 * np.r_[1, [2] * (bins - 2), 1])]:
        got = _np(keras.layers.STFTSpectrogram(mode=mode, **kwargs)(SIGNAL))
        tol = 1e-4 * (scale ** 2 if mode == "psd" else scale)
        np.testing.assert_allclose(got, layout(want), atol=tol, err_msg=mode)
    stft = _np(keras.layers.STFTSpectrogram(mode="stft", **kwargs)(SIGNAL))
    want = np.concatenate([ref.real, ref.imag], axis=-1)
    np.testing.assert_allclose(stft, layout(want), atol=1e-4 * scale)
    log = _np(keras.layers.STFTSpectrogram(mode="log", **kwargs)(SIGNAL))
    big = np.abs(ref) > 1e-2 * scale  # the log of tiny magnitudes is ill-conditioned
    np.testing.assert_allclose(log[layout(big)], np.log(layout(np.abs(ref)))[layout(big)],
                               atol=1e-3)


KERAS_STFT = """
for i, kw in enumerate(CASES):
    x = inp["x"] if kw.get("data_format") != "channels_first" else inp["x"].transpose(0, 2, 1)
    out[f"y{i}"] = keras.ops.convert_to_numpy(keras.layers.STFTSpectrogram(**kw)(x))
"""
CASES = [dict(mode="magnitude"), dict(mode="angle", frame_length=40, frame_step=10,
                                      padding="same", expand_dims=True),
         dict(mode="stft", frame_length=30, fft_length=64, window="hamming", periodic=True,
              data_format="channels_first"),
         dict(mode="psd", frame_length=100, scaling=None, expand_dims=True,
              data_format="channels_first")]


def test_stft_matches_keras_on_the_same_input():
    want = keras_numbers(f"CASES = {CASES!r}\n" + KERAS_STFT, x=SIGNAL)
    for i, kw in enumerate(CASES):
        x = SIGNAL if kw.get("data_format") != "channels_first" else SIGNAL.transpose(0, 2, 1)
        layer = keras.layers.STFTSpectrogram(**kw)
        got = _np(layer(x))
        assert got.shape == want[f"y{i}"].shape == layer.compute_output_shape(x.shape)
        if kw["mode"] == "angle":  # angles are compared on the circle
            got, w = np.exp(1j * got), np.exp(1j * want[f"y{i}"])
            np.testing.assert_allclose(got[np.abs(got) > 0], w[np.abs(got) > 0], atol=5e-3)
        else:
            scale = np.abs(want[f"y{i}"]).max()
            np.testing.assert_allclose(got, want[f"y{i}"], atol=1e-4 * scale)


def _mel_reference(x, fft_length, stride, sampling_rate, num_mel_bins, fmin, fmax, top_db):
    """dB mel spectrogram from NumPy: reflect-padded hann frames, |rfft|^2, HTK filters."""
    pad = fft_length // 2
    x = np.pad(x.astype("float64"), ((0, 0), (pad, pad)), mode="reflect")
    starts = range(0, x.shape[1] - fft_length + 1, stride)
    frames = np.stack([x[:, s:s + fft_length] for s in starts], axis=1)
    win = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(fft_length) / fft_length)  # periodic
    power = np.abs(np.fft.rfft(frames * win, axis=-1)) ** 2
    mel = lambda f: 2595.0 * np.log10(1.0 + np.asarray(f) / 700.0)  # noqa: E731
    freqs = np.linspace(0, sampling_rate / 2, fft_length // 2 + 1)
    edges = np.linspace(mel(fmin), mel(fmax), num_mel_bins + 2)
    fb = np.zeros((fft_length // 2 + 1, num_mel_bins))
    for m in range(num_mel_bins):
        lo, c, hi = edges[m:m + 3]
        up = (mel(freqs) - lo) / (c - lo)
        down = (hi - mel(freqs)) / (hi - c)
        fb[:, m] = np.maximum(0, np.minimum(up, down))
    fb[0] = 0.0  # the DC bin maps to no band
    db = 10 * np.log10(np.maximum(power @ fb, 1e-10))
    return np.maximum(db, db.max() - top_db).transpose(0, 2, 1), fb


def test_mel_filterbank_and_spectrogram_match_numpy():
    x = RNG.standard_normal((2, 2000)).astype("float32")
    want, fb = _mel_reference(x, 256, 64, 8000, 40, 20.0, 4000.0, 80.0)
    np.testing.assert_allclose(linear_to_mel_weight_matrix(40, 129, 8000, 20.0, 4000.0), fb,
                               atol=1e-5)
    layer = keras.layers.MelSpectrogram(fft_length=256, sequence_stride=64, num_mel_bins=40,
                                        sampling_rate=8000)
    got = _np(layer(x))
    assert got.shape == (2, 40, 2000 // 64 + 1) == layer.compute_output_shape(x.shape)
    np.testing.assert_allclose(got, want, atol=1e-3, rtol=1e-4)  # dB values up to ~60


KERAS_MEL = """
for power_to_db in (True, False):
    layer = keras.layers.MelSpectrogram(fft_length=128, sequence_stride=32, sequence_length=100,
                                        num_mel_bins=16, sampling_rate=4000, min_freq=50.0,
                                        max_freq=1800.0, power_to_db=power_to_db, mag_exp=1.0)
    out[str(power_to_db)] = keras.ops.convert_to_numpy(layer(inp["x"]))
"""
MEL_INPUT = RNG.standard_normal((3, 700)).astype("float32")


@pytest.mark.parametrize("power_to_db", [True, False])
def test_mel_matches_keras_on_the_same_input(power_to_db):
    x = MEL_INPUT
    want = keras_numbers(KERAS_MEL, x=x)[str(power_to_db)]
    layer = keras.layers.MelSpectrogram(fft_length=128, sequence_stride=32,
                                        sequence_length=100, num_mel_bins=16,
                                        sampling_rate=4000, min_freq=50.0, max_freq=1800.0,
                                        power_to_db=power_to_db, mag_exp=1.0)
    np.testing.assert_allclose(_np(layer(x)), want, rtol=1e-4, atol=1e-4 * np.abs(want).max())
    single = _np(layer(x[0]))
    assert single.shape == want.shape[1:]


def test_spectrogram_layers_train_in_a_model_and_reload(tmp_path):
    x = RNG.standard_normal((16, 400, 1)).astype("float32")
    y = (np.arange(16) % 2).astype("float32")
    inputs = keras.Input((400, 1))
    h = keras.layers.STFTSpectrogram(frame_length=64, frame_step=32, mode="log")(inputs)
    outputs = keras.layers.Dense(1)(keras.layers.GlobalAveragePooling1D()(h))
    model = keras.Model(inputs, outputs)
    kernel = np.array(model.layers[1].real_kernel.numpy())
    model.compile(keras.optimizers.SGD(0.01), "mse")
    model.fit(x, y, epochs=1, batch_size=8, verbose=0)
    assert not np.allclose(model.layers[1].real_kernel.numpy(), kernel)  # trainable kernels
    model.save(tmp_path / "m.kfront")
    again = keras.saving.load_model(tmp_path / "m.kfront")
    np.testing.assert_allclose(_np(again(x)), _np(model(x)), rtol=1e-5, atol=1e-6)

    mel = keras.Sequential([keras.Input((800,)),
                            keras.layers.MelSpectrogram(fft_length=128, sequence_stride=64,
                                                        num_mel_bins=8, sampling_rate=8000),
                            keras.layers.Flatten(), keras.layers.Dense(1)])
    mel.compile("adam", "mse")
    mel.fit(RNG.standard_normal((8, 800)).astype("float32"), y[:8], epochs=1, verbose=0)
    assert mel.output_shape == (None, 1)
    config = mel.layers[0].get_config()
    assert keras.layers.MelSpectrogram.from_config(config).get_config() == config


def test_bad_arguments():
    with pytest.raises(ValueError, match="`frame_step` should be a positive integer not "
                                         "greater than `frame_length`"):
        keras.layers.STFTSpectrogram(frame_length=10, frame_step=20)
    with pytest.raises(ValueError, match="`fft_length` should be not less than"):
        keras.layers.STFTSpectrogram(frame_length=64, fft_length=32)
    with pytest.raises(ValueError, match="Output mode is invalid.*Received: mode=power"):
        keras.layers.STFTSpectrogram(mode="power")
    with pytest.raises(ValueError, match="Padding is invalid"):
        keras.layers.STFTSpectrogram(padding="causal")
    with pytest.raises(ValueError, match="Scaling is invalid"):
        keras.layers.STFTSpectrogram(scaling="energy")
    with pytest.raises(ValueError, match="Unknown `window` 'triangle-ish'"):
        keras.layers.STFTSpectrogram(window="triangle-ish")
    with pytest.warns(UserWarning, match="recommended to be a power of two"):
        keras.layers.STFTSpectrogram(frame_length=60, fft_length=100)
    with pytest.raises(TypeError, match="Expected `float16`, `float32` or `float64`"):
        keras.layers.STFTSpectrogram()(np.zeros((1, 300, 1), "int32"))
    with pytest.raises(ValueError, match="`fft_length` must be greater than or equal to "
                                         "`sequence_length`"):
        keras.layers.MelSpectrogram(fft_length=64, sequence_length=128)
    with pytest.raises(ValueError, match="`window` must be"):
        keras.layers.MelSpectrogram(window="kaiser")
    with pytest.raises(ValueError, match="`num_mel_bins` must be a positive integer"):
        keras.layers.MelSpectrogram(num_mel_bins=0)
