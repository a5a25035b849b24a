"""Audio preprocessing layers: spectrograms computed inside the model with ``kfront.ops``."""
from kfront.layers.preprocessing.audio.mel_spectrogram import MelSpectrogram
from kfront.layers.preprocessing.audio.stft_spectrogram import STFTSpectrogram

__all__ = ["MelSpectrogram", "STFTSpectrogram"]
