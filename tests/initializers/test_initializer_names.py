"""kfront.initializers: Keras 3's lowercase aliases and long class names, the Keras 2 string
names ``get`` still reads, and the STFT kernel initializer checked against NumPy/SciPy."""
import numpy as np
import pytest

import kfront as keras
from kfront import initializers

ALIASES = {
    "constant": "Constant", "glorot_normal": "GlorotNormal", "glorot_uniform": "GlorotUniform",
    "he_normal": "HeNormal", "he_uniform": "HeUniform", "identity": "Identity",
    "lecun_normal": "LecunNormal", "lecun_uniform": "LecunUniform", "ones": "Ones",
    "orthogonal": "Orthogonal", "random_normal": "RandomNormal",
    "random_uniform": "RandomUniform", "truncated_normal": "TruncatedNormal",
    "variance_scaling": "VarianceScaling", "zeros": "Zeros", "stft": "STFT",
    "IdentityInitializer": "Identity", "OrthogonalInitializer": "Orthogonal",
    "STFTInitializer": "STFT",
}


@pytest.mark.parametrize("alias, cls", sorted(ALIASES.items()))
def test_aliases_are_the_classes(alias, cls):
    assert getattr(initializers, alias) is getattr(initializers, cls)


@pytest.mark.parametrize("name, cls, config", [
    ("uniform", "RandomUniform", {"minval": -0.05, "maxval": 0.05, "seed": None}),
    ("normal", "RandomNormal", {"mean": 0.0, "stddev": 0.05, "seed": None}),
    ("zero", "Zeros", {}),
    ("one", "Ones", {}),
    ("identity", "Identity", {"gain": 1.0}),
    ("stft", "STFT", {"side": "real", "window": "hann", "periodic": False,
                      "scaling": "density"}),
])
def test_keras2_and_lowercase_names_in_get(name, cls, config):
    init = initializers.get(name)
    assert type(init) is getattr(initializers, cls)
    assert init.get_config() == config


def test_lowercase_alias_builds_a_working_initializer():
    values = initializers.zeros()((2, 3))
    np.testing.assert_array_equal(values, np.zeros((2, 3)))
    layer = keras.layers.Dense(3, kernel_initializer="one")
    layer.build((None, 2))
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(layer.kernel), np.ones((2, 3)))


def _reference(frame, bins, side, window, scaling):
    t = np.arange(frame)[:, None, None]
    f = np.arange(bins)[None, None, :] / ((bins - 1) * 2)
    kernel = (np.cos if side == "real" else np.sin)(-2 * np.pi * t * f)
    if window is None:
        return kernel
    w = window.reshape(frame, 1, 1)
    scale = {"density": np.sqrt(np.sum(window ** 2)), "spectrum": np.sum(np.abs(window)),
             None: 1.0}[scaling]
    return kernel * w / scale


@pytest.mark.parametrize("side", ["real", "imag"])
@pytest.mark.parametrize("window, periodic", [("hann", False), ("hann", True),
                                              ("hamming", False), ("blackman", True),
                                              ("bartlett", False), (None, False)])
@pytest.mark.parametrize("scaling", ["density", "spectrum", None])
def test_stft_kernel_matches_scipy_windows(side, window, periodic, scaling):
    signal = pytest.importorskip("scipy.signal")
    frame, bins = 16, 9
    win = None if window is None else signal.get_window(window, frame, fftbins=periodic)
    got = initializers.STFT(side, window, scaling, periodic)((frame, 1, bins))
    assert got.shape == (frame, 1, bins) and got.dtype == np.float32
    np.testing.assert_allclose(got, _reference(frame, bins, side, win, scaling), atol=1e-6)


def test_stft_real_kernel_computes_the_dft_of_a_frame():
    frame = 8
    kernel = initializers.STFT("real", None, None)((frame, 1, frame // 2 + 1), "float64")
    imag = initializers.STFT("imag", None, None)((frame, 1, frame // 2 + 1), "float64")
    x = np.random.default_rng(0).normal(size=frame)
    spectrum = np.einsum("t,tf->f", x, kernel[:, 0]) + 1j * np.einsum("t,tf->f", x, imag[:, 0])
    np.testing.assert_allclose(spectrum, np.fft.rfft(x), atol=1e-10)


def test_stft_window_values_scipy_only_names_and_errors():
    signal = pytest.importorskip("scipy.signal")
    values = np.linspace(0.5, 1.0, 8)
    got = initializers.STFT(window=values)((8, 1, 5))
    np.testing.assert_allclose(got, _reference(8, 5, "real", values, "density"), atol=1e-6)
    got = initializers.STFT(window="cosine")((8, 1, 5))  # a window NumPy lacks
    np.testing.assert_allclose(
        got, _reference(8, 5, "real", signal.get_window("cosine", 8, False), "density"),
        atol=1e-6)
    assert initializers.STFT(window=values).get_config()["window"] == values.tolist()
    with pytest.raises(ValueError, match="`side` must be 'real' or 'imag'. Received: "
                                         "side='both'"):
        initializers.STFT(side="both")
    with pytest.raises(ValueError, match="`scaling` must be None, 'density' or 'spectrum'"):
        initializers.STFT(scaling="l2")
    with pytest.raises(ValueError, match="Unknown `window` 'no_such_window'"):
        initializers.STFT(window="no_such_window")
    with pytest.raises(ValueError, match=r"window must have shape \(frame_length,\) = \(8,\)"):
        initializers.STFT(window=np.ones(4))((8, 1, 5))
    with pytest.raises(ValueError, match=r"shape` must be \(frame_length, 1, fft_bins\)"):
        initializers.STFT()((8, 5))
    restored = initializers.deserialize(initializers.serialize(initializers.STFT("imag")))
    assert isinstance(restored, initializers.STFT) and restored.side == "imag"
