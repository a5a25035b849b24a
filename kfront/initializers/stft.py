"""``STFT``: Conv kernels that compute a short-time Fourier transform (one side, real or
imaginary), optionally windowed; used by spectrogram layers."""
import numpy as np

from kfront.initializers.initializers import Initializer, _np_dtype

# Windows NumPy computes (symmetric, as scipy.signal.get_window(..., fftbins=False)).
_NUMPY_WINDOWS = {"hann": np.hanning, "hanning": np.hanning, "hamming": np.hamming,
                  "blackman": np.blackman, "bartlett": np.bartlett,
                  "boxcar": np.ones, "rectangular": np.ones, "ones": np.ones}


def get_window(name, length, periodic=False):
    """The window ``name`` of ``length`` samples; ``periodic`` gives the DFT-even form
    (the first ``length`` samples of a symmetric window one longer). Names NumPy lacks
    come from ``scipy.signal.get_window``."""
    if name in _NUMPY_WINDOWS:
        full = _NUMPY_WINDOWS[name](length + 1 if periodic else length)
        return np.asarray(full[:length], dtype="float64")
    try:
        from scipy import signal
    except ImportError:
        raise ImportError(f"The window {name!r} needs SciPy (`pip install scipy`); without it "
                          f"use one of {sorted(_NUMPY_WINDOWS)} or pass the window values."
                          ) from None
    try:
        return np.asarray(signal.get_window(name, length, fftbins=periodic), dtype="float64")
    except ValueError as e:
        raise ValueError(f"Unknown `window` {name!r}: expected a name from "
                         f"scipy.signal.get_window ({e}) or the window values.") from None


class STFT(Initializer):
    """Kernel of shape ``(frame_length, 1, fft_length // 2 + 1)`` whose convolution with a
    signal gives one side of its STFT: ``cos`` (``side="real"``) or ``sin``
    (``side="imag"``) of ``-2 pi t f / fft_length``, times the window, divided by the
    window's L2 norm (``scaling="density"``) or L1 norm (``"spectrum"``).

    Args:
        side: ``"real"`` or ``"imag"``.
        window: a window name (``"hann"``, ``"hamming"``, ...; others through SciPy), the
            window values, or None.
        scaling: ``"density"``, ``"spectrum"`` or None.
        periodic: whether the window is periodic (DFT-even) rather than symmetric.

    >>> kernel = kfront.initializers.STFT("real", "hann")(shape=(128, 1, 65))
    """

    def __init__(self, side="real", window="hann", scaling="density", periodic=False):
        if side not in ("real", "imag"):
            raise ValueError(f"STFT: `side` must be 'real' or 'imag'. Received: side={side!r}")
        if isinstance(window, str):
            get_window(window, 1)  # an unknown name fails here, not at the first call
        if scaling is not None and scaling not in ("density", "spectrum"):
            raise ValueError("STFT: `scaling` must be None, 'density' or 'spectrum'. "
                             f"Received: scaling={scaling!r}")
        self.side, self.window, self.scaling, self.periodic = side, window, scaling, periodic

    def __call__(self, shape, dtype=None):
        if len(shape) != 3:
            raise ValueError("STFT: `shape` must be (frame_length, 1, fft_bins). "
                             f"Received: shape={tuple(shape)}")
        frame_length, _, bins = shape
        time = np.arange(frame_length, dtype="float64").reshape(frame_length, 1, 1)
        freq = np.arange(bins, dtype="float64").reshape(1, 1, bins) / ((bins - 1) * 2)
        angle = -2.0 * np.pi * time * freq
        kernel = np.cos(angle) if self.side == "real" else np.sin(angle)
        if self.window is not None:
            win = self.window
            if isinstance(win, str):
                win = get_window(win, frame_length, self.periodic)
            win = np.asarray(win, dtype="float64")
            if win.shape != (frame_length,):
                raise ValueError("STFT: the window must have shape (frame_length,) = "
                                 f"({frame_length},). Received: window shape={win.shape}")
            if self.scaling == "density":
                scale = np.sqrt(np.sum(win ** 2))
            elif self.scaling == "spectrum":
                scale = np.sum(np.abs(win))
            else:
                scale = 1.0
            kernel = kernel * win.reshape(frame_length, 1, 1) / scale
        return kernel.astype(_np_dtype(dtype))

    def get_config(self):
        window = self.window.tolist() if isinstance(self.window, np.ndarray) else self.window
        return {"side": self.side, "window": window, "periodic": self.periodic,
                "scaling": self.scaling}
