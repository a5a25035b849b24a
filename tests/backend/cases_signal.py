"""Conformance cases for ``contract.SIGNAL_OPS`` and the signal composites (keras.ops.math).

FFT results are (real, imag) pairs, as in Keras. STFT references are NumPy framing + rfft;
the inverse follows TensorFlow's ``inverse_stft`` with its window normalization, as Keras
does; test_signal_ops.py also checks both against the installed keras.
"""
import numpy as np

import kfront.ops as ops
from cases_core import Exact, case, f32, special  # noqa: F401

_rng = np.random.default_rng(11)
RE = _rng.normal(size=(2, 8)).astype(f32)
IM = _rng.normal(size=(2, 8)).astype(f32)
RE2 = _rng.normal(size=(2, 4, 6)).astype(f32)
IM2 = _rng.normal(size=(2, 4, 6)).astype(f32)
SIG = _rng.normal(size=(2, 40)).astype(f32)
PAIRS = _rng.normal(size=(3, 2)).astype(f32)
LOOSE = dict(rtol=1e-4, atol=1e-4)


def _parts(z, dtype=f32):
    return z.real.astype(dtype), z.imag.astype(dtype)


def _frames(x, length, stride):
    count = 1 + (x.shape[-1] - length) // stride
    return np.stack([x[..., i * stride:i * stride + length] for i in range(count)], axis=-2)


def _periodic(kind, n):
    a = 0.5 if kind == "hann" else 0.54
    return a - (1 - a) * np.cos(2 * np.pi * np.arange(n) / n)


def _padded_window(window, sequence_length, fft_length):
    win = np.ones(fft_length) if window is None else np.pad(
        _periodic(window, sequence_length) if isinstance(window, str) else window,
        ((fft_length - sequence_length) // 2,
         fft_length - sequence_length - (fft_length - sequence_length) // 2))
    return win


def _stft(x, sequence_length, stride, fft_length, window="hann", center=True):
    x = x.astype(np.float64)
    if center:
        x = np.pad(x, [(0, 0)] * (x.ndim - 1) + [(fft_length // 2,) * 2], mode="reflect")
    win = _padded_window(window, sequence_length, fft_length)
    return _parts(np.fft.rfft(_frames(x, fft_length, stride) * win, fft_length))


def _istft(pair, sequence_length, stride, fft_length, length=None, window="hann", center=True):
    frames = np.fft.irfft(pair[0] + 1j * pair[1], fft_length)
    if window is not None:
        win = _padded_window(window, sequence_length, fft_length)
        pieces = -(-fft_length // stride)
        overlap = np.pad(win ** 2, (0, pieces * stride - fft_length)).reshape(pieces, -1).sum(0)
        frames = frames * win / np.tile(overlap, pieces)[:fft_length]
    count = frames.shape[-2]
    out = np.zeros(frames.shape[:-2] + (fft_length + stride * (count - 1),))
    for i in range(count):
        out[..., i * stride:i * stride + fft_length] += frames[..., i, :]
    start = fft_length // 2 if center else 0
    end = start + length if length is not None else (
        out.shape[-1] - fft_length // 2 if center else out.shape[-1])
    return out[..., start:end].astype(f32)


def _complex_parts():
    z = np.asarray(ops.convert_to_numpy(ops.view_as_complex(PAIRS)))
    return z.real, z.imag


_Z = RE + 1j * IM.astype(np.float64)
_Z2 = RE2 + 1j * IM2.astype(np.float64)
_SPEC = _stft(SIG, 16, 4, 16)
_SPEC_NOCENTER = _stft(SIG, 10, 5, 16, window="hamming", center=False)

CASES = [
    case("fft", "last_axis", (RE, IM), expected=_parts(np.fft.fft(_Z)), **LOOSE),
    case("fft2", "last_two_axes", (RE2, IM2), expected=_parts(np.fft.fft2(_Z2)), **LOOSE),
    case("ifft2", "last_two_axes", (RE2, IM2), expected=_parts(np.fft.ifft2(_Z2)), **LOOSE),
    case("rfft", "default_length", SIG, expected=_parts(np.fft.rfft(SIG)), **LOOSE),
    case("rfft", "padded_length", RE, fft_length=12, expected=_parts(np.fft.rfft(RE, 12)),
         **LOOSE),
    case("rfft", "cropped_length", RE, fft_length=5, expected=_parts(np.fft.rfft(RE, 5)),
         **LOOSE),
    case("irfft", "default_length", (RE[:, :5], IM[:, :5]),
         expected=np.fft.irfft(_Z[:, :5]).astype(f32), **LOOSE),
    case("irfft", "odd_length", (RE[:, :5], IM[:, :5]), fft_length=9,
         expected=np.fft.irfft(_Z[:, :5], 9).astype(f32), **LOOSE),
    special("view_as_complex", "pairs", _complex_parts, (PAIRS[:, 0], PAIRS[:, 1])),
    special("view_as_complex", "is_complex64", lambda: ops.dtype(ops.view_as_complex(PAIRS)),
            Exact("complex64")),
    special("view_as_real", "roundtrip", lambda: ops.view_as_real(ops.view_as_complex(PAIRS)),
            PAIRS),
    case("extract_sequences", "stride_3", SIG, 8, 3, expected=_frames(SIG, 8, 3)),
    case("extract_sequences", "stride_equals_length", RE2, 2, 2, expected=_frames(RE2, 2, 2)),
    case("stft", "hann_centered", SIG, 16, 4, 16, expected=_SPEC, **LOOSE),
    case("stft", "hamming_padded_window", SIG, 10, 5, 16, window="hamming", center=False,
         expected=_SPEC_NOCENTER, **LOOSE),
    case("stft", "no_window", SIG[0], 8, 8, 8, window=None,
         expected=_stft(SIG[0], 8, 8, 8, window=None), **LOOSE),
    case("stft", "tensor_window", SIG, 8, 4, 8, window=np.hanning(8).astype(f32),
         expected=_stft(SIG, 8, 4, 8, window=np.hanning(8)), **LOOSE),
    case("istft", "inverts_stft", _SPEC, 16, 4, 16, expected=_istft(_SPEC, 16, 4, 16), **LOOSE),
    # Away from the ends, where every sample has all its overlapping frames, it inverts stft.
    special("istft", "recovers_signal_interior",
            lambda: ops.istft(_SPEC, 16, 4, 16, length=40)[:, 8:-8], SIG[:, 8:-8], **LOOSE),
    case("istft", "hamming_not_centered", _SPEC_NOCENTER, 10, 5, 16, window="hamming",
         center=False, expected=_istft(_SPEC_NOCENTER, 10, 5, 16, window="hamming",
                                       center=False), **LOOSE),
    case("istft", "no_window", _SPEC, 16, 4, 16, window=None,
         expected=_istft(_SPEC, 16, 4, 16, window=None), **LOOSE),
    case("bartlett", "five", 5, expected=np.bartlett(5).astype(f32)),
    case("blackman", "seven", 7, expected=np.blackman(7).astype(f32), atol=1e-6),
    case("hamming", "six", 6, expected=np.hamming(6).astype(f32)),
    case("hanning", "six", 6, expected=np.hanning(6).astype(f32)),
    case("hanning", "one", 1, expected=np.hanning(1).astype(f32)),
    case("kaiser", "beta_14", 8, 14.0, expected=np.kaiser(8, 14.0).astype(f32), rtol=1e-5),
]
