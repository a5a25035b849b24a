"""``MelSpectrogram``: mel-scaled (and optionally decibel) spectrograms of audio signals,
computed inside the model with ``kfront.ops.stft``."""
import numpy as np

from kfront import ops
from kfront.layers.layer import Layer

# The HTK mel scale: mel(f) = 1127 * ln(1 + f / 700).
_MEL_BREAK_FREQUENCY_HERTZ = 700.0
_MEL_HIGH_FREQUENCY_Q = 1127.0


def hertz_to_mel(frequencies):
    return _MEL_HIGH_FREQUENCY_Q * np.log1p(np.asarray(frequencies) / _MEL_BREAK_FREQUENCY_HERTZ)


def linear_to_mel_weight_matrix(num_mel_bins=20, num_spectrogram_bins=129, sampling_rate=8000,
                                lower_edge_hertz=125.0, upper_edge_hertz=3800.0,
                                dtype="float32"):
    """``(num_spectrogram_bins, num_mel_bins)`` triangular filters (peak 1.0) mapping a
    linear spectrum over ``[0, sampling_rate / 2]`` to mel bands between the two edges,
    as ``tf.signal.linear_to_mel_weight_matrix`` (the DC bin maps to nothing)."""
    linear = np.linspace(0.0, sampling_rate / 2.0, num_spectrogram_bins)[1:]
    bins_mel = hertz_to_mel(linear)[:, None]
    edges = np.linspace(hertz_to_mel(lower_edge_hertz), hertz_to_mel(upper_edge_hertz),
                        num_mel_bins + 2)
    lower, center, upper = edges[:-2][None], edges[1:-1][None], edges[2:][None]
    weights = np.maximum(0.0, np.minimum((bins_mel - lower) / (center - lower),
                                         (upper - bins_mel) / (upper - center)))
    return np.pad(weights, ((1, 0), (0, 0))).astype(dtype)


class MelSpectrogram(Layer):
    """Mel spectrograms of raw audio: STFT magnitudes (``center=True`` frames) to the
    power ``mag_exp``, through a mel filterbank, then to decibels.

    Args:
        fft_length: FFT size (default 2048).
        sequence_stride: hop between frames in samples (default 512).
        sequence_length: window length (<= ``fft_length``); default ``fft_length``.
        window: "hann" (default), "hamming" or None.
        sampling_rate: the signal's samples per second (default 16000).
        num_mel_bins: mel bands (default 128).
        min_freq, max_freq: edges of the filterbank in Hz (``max_freq`` default: half of
            ``sampling_rate``).
        power_to_db: convert to decibels (default True), clipped ``top_db`` (default 80.0)
            below the maximum of the batch; values below ``min_power`` count as it; the
            reference is ``ref_power``.
        mag_exp: exponent of the magnitude (2.0: power spectrogram).

    Input: ``(samples,)`` or ``(batch, samples)``. Output: ``(num_mel_bins, frames)`` or
    ``(batch, num_mel_bins, frames)`` with ``frames = samples // sequence_stride + 1``.

    >>> layer = kfront.layers.MelSpectrogram(num_mel_bins=64, sampling_rate=8000)
    >>> layer(np.zeros((2, 8000), "float32")).shape
    (2, 64, 16)
    """

    def __init__(self, fft_length=2048, sequence_stride=512, sequence_length=None,
                 window="hann", sampling_rate=16000, num_mel_bins=128, min_freq=20.0,
                 max_freq=None, power_to_db=True, top_db=80.0, mag_exp=2.0, min_power=1e-10,
                 ref_power=1.0, **kwargs):
        self.fft_length = fft_length
        self.sequence_stride = sequence_stride
        self.sequence_length = sequence_length or fft_length
        if self.fft_length < self.sequence_length:
            raise ValueError("`fft_length` must be greater than or equal to `sequence_length`."
                             f" Received: `sequence_length`={self.sequence_length}, "
                             f"`fft_length`={self.fft_length}.")
        for name, value in (("fft_length", fft_length), ("sequence_stride", sequence_stride),
                            ("num_mel_bins", num_mel_bins), ("sampling_rate", sampling_rate)):
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
                raise ValueError(f"MelSpectrogram: `{name}` must be a positive integer. "
                                 f"Received: {name}={value!r}")
        if window not in ("hann", "hamming", None):
            raise ValueError('MelSpectrogram: `window` must be "hann", "hamming" or None. '
                             f"Received: window={window!r}")
        self.window = window
        self.sampling_rate = sampling_rate
        self.num_mel_bins = num_mel_bins
        self.min_freq = min_freq
        self.max_freq = max_freq or int(sampling_rate / 2)
        if not 0 <= self.min_freq < self.max_freq:
            raise ValueError("MelSpectrogram: expected 0 <= `min_freq` < `max_freq`. "
                             f"Received: min_freq={min_freq}, max_freq={self.max_freq}")
        self.power_to_db = power_to_db
        self.top_db = top_db
        self.mag_exp = mag_exp
        self.min_power = min_power
        self.ref_power = ref_power
        super().__init__(**kwargs)
        self.built = True

    def call(self, inputs):
        # The engines' stft kernels take float32 or float64 only.
        dtype = self.compute_dtype if self.compute_dtype in ("float32", "float64") \
            else "float32"
        x = ops.convert_to_tensor(inputs, dtype=dtype)
        self._check_rank(ops.shape(x))
        real, imag = ops.stft(x, self.sequence_length, self.sequence_stride, self.fft_length,
                              window=self.window, center=True)
        spec = ops.power(ops.sqrt(ops.square(real) + ops.square(imag)), self.mag_exp)
        matrix = linear_to_mel_weight_matrix(self.num_mel_bins, self.fft_length // 2 + 1,
                                             self.sampling_rate, self.min_freq,
                                             self.max_freq, dtype)
        mel = ops.tensordot(spec, ops.convert_to_tensor(matrix, dtype=dtype), axes=1)
        if self.power_to_db:
            mel = self._dbscale(mel)
        return ops.cast(ops.swapaxes(mel, -1, -2), self.compute_dtype)

    def _dbscale(self, power):
        db = 10.0 * ops.log10(ops.maximum(power, self.min_power))
        db = db - 10.0 * float(np.log10(max(abs(self.ref_power), self.min_power)))
        # Clipped relative to the loudest value of the whole batch, as Keras does.
        return ops.maximum(db, ops.max(db) - self.top_db)

    def _check_rank(self, shape):
        if len(shape) not in (1, 2):
            raise ValueError(f'MelSpectrogram "{self.name}": expected audio of rank 2 (batch, '
                             "samples) or rank 1 (one clip); received an input of shape "
                             f"{tuple(shape)}.")

    def compute_output_shape(self, input_shape):
        self._check_rank(input_shape)
        length = input_shape[-1]
        frames = None if length is None else length // self.sequence_stride + 1
        if len(input_shape) == 1:
            return (self.num_mel_bins, frames)
        return (input_shape[0], self.num_mel_bins, frames)

    def get_config(self):
        return {**super().get_config(), "fft_length": self.fft_length,
                "sequence_stride": self.sequence_stride,
                "sequence_length": self.sequence_length, "window": self.window,
                "sampling_rate": self.sampling_rate, "num_mel_bins": self.num_mel_bins,
                "min_freq": self.min_freq, "max_freq": self.max_freq,
                "power_to_db": self.power_to_db, "top_db": self.top_db,
                "mag_exp": self.mag_exp, "min_power": self.min_power,
                "ref_power": self.ref_power}
