"""``STFTSpectrogram``: spectrograms of 1D signals, as a convolution with STFT kernels (so
they run inside the model on every backend, and can be fine-tuned)."""
import math
import warnings

from kfront import config, ops
from kfront.backend.dtypes import standardize_dtype
from kfront.initializers.stft import STFT, get_window
from kfront.layers.convolutional.conv_utils import standardize_data_format
from kfront.layers.input_spec import InputSpec
from kfront.layers.layer import Layer

MODES = ("log", "magnitude", "psd", "real", "imag", "angle", "stft")


def conv_length(length, frame_length, frame_step, padding):
    """Frames a "valid" or "same" strided convolution gives for ``length`` samples."""
    if length is None:
        return None
    if padding == "same":
        return -(-length // frame_step)
    return max((length - frame_length) // frame_step + 1, 0)


class STFTSpectrogram(Layer):
    """The short-time Fourier transform of each channel of a signal, as a spectrogram.

    The real and imaginary STFT parts are convolutions of the signal with windowed cosine
    and sine kernels (``kfront.initializers.STFT``), weights of the layer: trainable unless
    ``trainable=False``.

    Args:
        mode: "log" (log magnitude, default), "magnitude", "psd" (power spectral density),
            "real", "imag", "angle" or "stft" (real then imaginary bins).
        frame_length: samples per frame (window), default 256.
        frame_step: hop between frames; default ``frame_length // 2``.
        fft_length: FFT size (>= ``frame_length``); default the next power of two.
        window: "hann" (default), "hamming", another ``scipy.signal.get_window`` name, the
            window values, or None.
        periodic: use the periodic (DFT-even) window rather than the symmetric one.
        scaling: "density" (default), "spectrum" or None.
        padding: "valid" (default) or "same".
        expand_dims: give each channel its own last axis (an image for image models).
        data_format: "channels_last" (``(batch, time, channels)``) or "channels_first".

    Input: ``(batch, time, channels)`` (channels_last). Output: ``(batch, frames, channels
    * bins)``, or ``(batch, frames, bins, channels)`` with ``expand_dims``, where ``bins =
    fft_length // 2 + 1`` (twice that for "stft").

    >>> layer = kfront.layers.STFTSpectrogram(frame_length=256, frame_step=128,
    ...                                       fft_length=512, trainable=False)
    >>> layer(np.zeros((3, 16000, 1), "float32")).shape
    (3, 124, 257)
    """

    def __init__(self, mode="log", frame_length=256, frame_step=None, fft_length=None,
                 window="hann", periodic=False, scaling="density", padding="valid",
                 expand_dims=False, data_format=None, **kwargs):
        if not isinstance(frame_length, int) or frame_length < 1:
            raise ValueError("`frame_length` should be a positive integer. Received "
                             f"frame_length={frame_length!r}")
        if frame_step is not None and (frame_step > frame_length or frame_step < 1):
            raise ValueError("`frame_step` should be a positive integer not greater than "
                             f"`frame_length`. Received frame_step={frame_step}, "
                             f"frame_length={frame_length}")
        if fft_length is not None and fft_length < frame_length:
            raise ValueError("`fft_length` should be not less than `frame_length`. Received "
                             f"fft_length={fft_length}, frame_length={frame_length}")
        if fft_length is not None and (fft_length & -fft_length) != fft_length:
            warnings.warn("`fft_length` is recommended to be a power of two. Received "
                          f"fft_length={fft_length}")
        if mode not in MODES:
            raise ValueError(f"Output mode is invalid, it must be one of {', '.join(MODES)}. "
                             f"Received: mode={mode}")
        if scaling is not None and scaling not in ("density", "spectrum"):
            raise ValueError("Scaling is invalid, it must be `None`, 'density' or 'spectrum'. "
                             f"Received scaling={scaling}")
        if padding not in ("valid", "same"):
            raise ValueError(f"Padding is invalid, it should be 'valid', 'same'. Received: "
                             f"padding={padding}")
        if isinstance(window, str):
            get_window(window, 1)  # an unknown name fails here, not at build
        super().__init__(**kwargs)
        self.mode = mode
        self.frame_length = frame_length
        self.frame_step = frame_step
        self._frame_step = frame_step or frame_length // 2
        self.fft_length = fft_length
        self._fft_length = fft_length or 2 ** int(math.ceil(math.log2(frame_length)))
        self.window = window
        self.periodic = periodic
        self.scaling = scaling
        self.padding = padding
        self.expand_dims = expand_dims
        self.data_format = standardize_data_format(data_format, "STFTSpectrogram")
        self.input_spec = InputSpec(ndim=3)

    def build(self, input_shape):
        shape = (self.frame_length, 1, self._fft_length // 2 + 1)
        if self.mode != "imag":
            self.real_kernel = self.add_weight(
                name="real_kernel", shape=shape,
                initializer=STFT("real", self.window, self.scaling, self.periodic))
        if self.mode != "real":
            self.imag_kernel = self.add_weight(
                name="imag_kernel", shape=shape,
                initializer=STFT("imag", self.window, self.scaling, self.periodic))
        self.built = True

    def _conv(self, inputs, kernel):
        """``(batch, channels, bins, frames)``: the kernel applied to every channel."""
        if self.data_format == "channels_last":
            _, time, channels = ops.shape(inputs)
            signal = ops.reshape(ops.transpose(inputs, (0, 2, 1)), (-1, time, 1))
        else:
            _, channels, time = ops.shape(inputs)
            signal = ops.reshape(inputs, (-1, 1, time))
        out = ops.conv(signal, ops.cast(kernel, inputs.dtype), strides=self._frame_step,
                       padding=self.padding, data_format=self.data_format)
        if self.data_format == "channels_last":
            out = ops.transpose(out, (0, 2, 1))
        _, bins, frames = ops.shape(out)
        return ops.reshape(out, (-1, channels, bins, frames))

    def _layout(self, x):
        """``(batch, channels, bins, frames)`` to the output layout."""
        _, channels, bins, frames = ops.shape(x)
        if self.expand_dims:
            return ops.transpose(x, (0, 3, 2, 1) if self.data_format == "channels_last"
                                 else (0, 1, 3, 2))
        x = ops.reshape(x, (-1, channels * bins, frames))
        return ops.transpose(x, (0, 2, 1)) if self.data_format == "channels_last" else x

    def call(self, inputs):
        dtype = standardize_dtype(inputs.dtype)
        if dtype not in ("float16", "float32", "float64"):
            raise TypeError("Invalid input type. Expected `float16`, `float32` or `float64`. "
                            f"Received: input type={dtype}")
        real = self._conv(inputs, self.real_kernel) if self.mode != "imag" else None
        imag = self._conv(inputs, self.imag_kernel) if self.mode != "real" else None
        if self.mode == "real":
            return self._layout(real)
        if self.mode == "imag":
            return self._layout(imag)
        if self.mode == "angle":
            return self._layout(ops.arctan2(imag, real))
        if self.mode == "stft":
            return self._layout(ops.concatenate([real, imag], axis=2))
        power = ops.square(real) + ops.square(imag)
        if self.mode == "psd":
            # One-sided spectrum: every bin but DC and Nyquist also holds its mirror's power.
            return self._layout(power + ops.pad(power[:, :, 1:-1, :],
                                                ((0, 0), (0, 0), (1, 1), (0, 0))))
        eps = config.epsilon()
        magnitude = self._layout(ops.sqrt(ops.maximum(power, eps)))
        if self.mode == "magnitude":
            return magnitude
        return ops.log(ops.maximum(magnitude, eps))

    def compute_output_shape(self, input_shape):
        if self.data_format == "channels_last":
            batch, time, channels = input_shape
        else:
            batch, channels, time = input_shape
        bins = self._fft_length // 2 + 1
        if self.mode == "stft":
            bins *= 2
        frames = conv_length(time, self.frame_length, self._frame_step, self.padding)
        if self.expand_dims:
            return (batch, frames, bins, channels) if self.data_format == "channels_last" \
                else (batch, channels, frames, bins)
        features = None if channels is None else channels * bins
        return (batch, frames, features) if self.data_format == "channels_last" \
            else (batch, features, frames)

    def get_config(self):
        return {**super().get_config(), "mode": self.mode, "frame_length": self.frame_length,
                "frame_step": self.frame_step, "fft_length": self.fft_length,
                "window": self.window, "periodic": self.periodic, "scaling": self.scaling,
                "padding": self.padding, "data_format": self.data_format,
                "expand_dims": self.expand_dims}
