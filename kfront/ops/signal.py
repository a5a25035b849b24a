"""Ops of ``kfront.ops.math``: FFTs, STFT, window functions and the other keras.ops.math extras.

Engine kernels (``kfront.backend.contract.SIGNAL_OPS``): fft, fft2, ifft2, rfft, irfft,
view_as_complex, view_as_real. Complex values are (real, imag) pairs of float tensors, as
in Keras. The framing ops (extract_sequences, stft, istft) and the window functions are
written here once from those kernels and the NumPy-like ops.
"""
import numpy as np

from kfront import config
from kfront.backend.contract import SIGNAL_OPS
from kfront.ops._export import composite, export

__all__ = []
export(SIGNAL_OPS, globals())
__all__ += ["extract_sequences", "stft", "istft", "bartlett", "blackman", "hamming", "hanning",
            "kaiser"]


def _ops():
    from kfront import ops
    return ops


def _positive_int(op, name, value):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value <= 0:
        raise ValueError(f"{op}: `{name}` must be a positive int; received {name}={value!r}.")
    return int(value)


def _window_length(op, x):
    value = np.asarray(_ops().convert_to_numpy(x) if _ops().is_tensor(x) else x)
    n = int(value) if value.ndim == 0 and value.dtype.kind in "iuf" and value == int(value) \
        else None
    if n is None or n < 0:
        raise ValueError(f"{op}: `x` must be a non-negative int (the window length); "
                         f"received {x!r}.")
    return n


def _window(values):
    return _ops().convert_to_tensor(np.asarray(values).astype(config.floatx()))


@composite
def bartlett(x):
    """The Bartlett (triangular) window of length ``x``, as ``numpy.bartlett``, in floatx.

    Written from kfront ops. Example: ``ops.bartlett(5)`` -> ``[0, 0.5, 1, 0.5, 0]``.
    """
    return _window(np.bartlett(_window_length("bartlett", x)))


@composite
def blackman(x):
    """The Blackman window of length ``x``, as ``numpy.blackman``, in floatx.

    Written from kfront ops.
    """
    return _window(np.blackman(_window_length("blackman", x)))


@composite
def hamming(x):
    """The (symmetric) Hamming window of length ``x``, as ``numpy.hamming``, in floatx.

    Written from kfront ops.
    """
    return _window(np.hamming(_window_length("hamming", x)))


@composite
def hanning(x):
    """The (symmetric) Hann window of length ``x``, as ``numpy.hanning``, in floatx.

    Written from kfront ops.
    """
    return _window(np.hanning(_window_length("hanning", x)))


@composite
def kaiser(x, beta):
    """The Kaiser window of length ``x`` and shape ``beta``, as ``numpy.kaiser``, in floatx.

    Written from kfront ops.
    """
    return _window(np.kaiser(_window_length("kaiser", x), float(beta)))


def _frame_index(length, sequence_length, sequence_stride):
    count = 1 + (length - sequence_length) // sequence_stride
    starts = np.arange(count) * sequence_stride
    return (starts[:, None] + np.arange(sequence_length)[None, :]).astype("int32")


@composite
def extract_sequences(x, sequence_length, sequence_stride):
    """Frames of ``sequence_length`` samples every ``sequence_stride`` along the last axis.

    Written from kfront ops. ``x`` of shape (..., T) gives (..., N, sequence_length) with
    ``N = 1 + (T - sequence_length) // sequence_stride``.
    """
    ops = _ops()
    sequence_length = _positive_int("extract_sequences", "sequence_length", sequence_length)
    sequence_stride = _positive_int("extract_sequences", "sequence_stride", sequence_stride)
    shape = ops.shape(x)
    if len(shape) < 1 or shape[-1] is None or shape[-1] < sequence_length:
        raise ValueError("extract_sequences: the last axis of `x` must be known and at least "
                         f"`sequence_length`={sequence_length} long; received shape "
                         f"{tuple(shape)}.")
    return ops.take(x, _frame_index(shape[-1], sequence_length, sequence_stride), axis=-1)


def _stft_window(op, window, sequence_length, fft_length, dtype):
    """The analysis window padded (centered) to ``fft_length``, as a tensor of ``dtype``."""
    ops = _ops()
    if window is None:
        return ops.ones((fft_length,), dtype=dtype)
    if isinstance(window, str):
        if window not in ("hann", "hamming"):
            raise ValueError(f"{op}: a string `window` must be 'hann' or 'hamming'; received "
                             f"window={window!r}.")
        # scipy.signal.get_window's periodic windows, which Keras uses.
        n = np.arange(sequence_length)
        a = 0.5 if window == "hann" else 0.54
        window = a - (1 - a) * np.cos(2 * np.pi * n / sequence_length)
    window = ops.cast(window, dtype)
    if tuple(ops.shape(window)) != (sequence_length,):
        raise ValueError(f"{op}: `window` must have shape (sequence_length,) = "
                         f"({sequence_length},); received {tuple(ops.shape(window))}.")
    left = (fft_length - sequence_length) // 2
    return ops.pad(window, [(left, fft_length - sequence_length - left)])


def _check_lengths(op, sequence_length, sequence_stride, fft_length):
    sequence_length = _positive_int(op, "sequence_length", sequence_length)
    sequence_stride = _positive_int(op, "sequence_stride", sequence_stride)
    fft_length = _positive_int(op, "fft_length", fft_length)
    if fft_length < sequence_length:
        raise ValueError(f"{op}: `fft_length` must be >= `sequence_length`; received "
                         f"sequence_length={sequence_length}, fft_length={fft_length}.")
    return sequence_length, sequence_stride, fft_length


@composite
def stft(x, sequence_length, sequence_stride, fft_length, window="hann", center=True):
    """The short-time Fourier transform over the last axis, as a (real, imag) pair.

    Written from kfront ops. Frames of ``fft_length`` samples (the window of
    ``sequence_length`` samples centered in them) every ``sequence_stride`` samples, each
    windowed and transformed by ``rfft``: the result is (..., frames, fft_length // 2 + 1).

    Args:
        x: a float32 or float64 signal (..., T).
        window: "hann", "hamming" (periodic), a (sequence_length,) tensor, or None.
        center: pad ``fft_length // 2`` samples on both sides (reflected) first.
    """
    ops = _ops()
    sequence_length, sequence_stride, fft_length = _check_lengths(
        "stft", sequence_length, sequence_stride, fft_length)
    dtype = ops.dtype(x)
    if dtype not in ("float32", "float64"):
        raise TypeError(f"stft: `x` must be float32 or float64; received dtype {dtype}.")
    if center:
        pad = [(0, 0)] * (len(ops.shape(x)) - 1) + [(fft_length // 2, fft_length // 2)]
        x = ops.pad(x, pad, mode="reflect")
    frames = extract_sequences(x, fft_length, sequence_stride)
    win = _stft_window("stft", window, sequence_length, fft_length, dtype)
    return ops.rfft(frames * win, fft_length)


def _overlap_add(ops, frames, stride):
    """Sums frames (..., N, L) placed every ``stride`` samples: (..., L + stride * (N - 1))."""
    shape = ops.shape(frames)
    batch, count, length = tuple(shape[:-2]), shape[-2], shape[-1]
    pieces = -(-length // stride)  # each frame spans this many stride-long blocks
    frames = ops.pad(frames, [(0, 0)] * (len(shape) - 1) + [(0, pieces * stride - length)])
    frames = ops.reshape(frames, (-1, count, pieces, stride))
    total = None
    for p in range(pieces):
        # Block p of frame i lands on output block i + p.
        part = ops.pad(frames[:, :, p, :], [(0, 0), (p, pieces - 1 - p), (0, 0)])
        total = part if total is None else total + part
    out = ops.reshape(total, (-1, (count + pieces - 1) * stride))[:, :length + stride * (count - 1)]
    if None in batch:
        return out if len(batch) == 1 else ops.reshape(out, (-1,) + tuple(batch[1:]) + (-1,))
    return ops.reshape(out, batch + (length + stride * (count - 1),))


@composite
def istft(x, sequence_length, sequence_stride, fft_length, length=None, window="hann",
          center=True):
    """The inverse of ``stft``: a real signal from a (real, imag) pair (..., frames, bins).

    Written from kfront ops. Each frame's ``irfft`` is weighted by the window divided by the
    sum of squared windows that overlap at its samples, then frames are overlap-added
    (TensorFlow's ``inverse_stft`` with ``inverse_stft_window_fn``, which Keras uses). With
    ``center``, ``fft_length // 2`` samples are cut from both ends; ``length`` keeps that
    many samples.
    """
    ops = _ops()
    sequence_length, sequence_stride, fft_length = _check_lengths(
        "istft", sequence_length, sequence_stride, fft_length)
    if not isinstance(x, (tuple, list)) or len(x) != 2:
        raise ValueError("istft: `x` must be a tuple (real, imag) of two float tensors; "
                         f"received {type(x).__name__}.")
    if len(ops.shape(x[0])) < 2:
        raise ValueError("istft: `x` must have rank >= 2 (..., frames, bins); received shape "
                         f"{tuple(ops.shape(x[0]))}.")
    frames = ops.irfft(x, fft_length)
    if window is not None:
        win = _stft_window("istft", window, sequence_length, fft_length, ops.dtype(frames))
        pieces = -(-fft_length // sequence_stride)
        squares = ops.pad(win * win, [(0, pieces * sequence_stride - fft_length)])
        overlap = ops.sum(ops.reshape(squares, (pieces, sequence_stride)), axis=0)
        frames = frames * (win / ops.tile(overlap, [pieces])[:fft_length])
    out = _overlap_add(ops, frames, sequence_stride)
    start = fft_length // 2 if center else 0
    if length is not None:
        return out[..., start:start + length]
    if center:
        return out[..., start:-(fft_length // 2)] if fft_length // 2 else out[..., start:]
    return out
