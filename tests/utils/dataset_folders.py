"""Small class-per-folder datasets written for the dataset-utility tests."""
import os
import wave

import numpy as np


def write_wav(path, samples, rate, width=2):
    """Writes float samples in [-1, 1] of shape (frames,) or (frames, channels) as PCM."""
    samples = np.asarray(samples, dtype="float64")
    if samples.ndim == 1:
        samples = samples[:, None]
    if width == 1:
        raw = np.clip(np.round(samples * 128 + 128), 0, 255).astype("u1")
    else:
        scale = {2: 32768, 4: 2147483648}[width]
        raw = np.clip(np.round(samples * scale), -scale, scale - 1).astype(f"<i{width}")
    with wave.open(str(path), "wb") as f:
        f.setnchannels(samples.shape[1])
        f.setsampwidth(width)
        f.setframerate(rate)
        f.writeframes(raw.tobytes())


def audio_folder(root, per_class=6, rate=800, seed=0):
    """``root/tone/*.wav`` (sines) and ``root/noise/*.wav``, clips of 300-400 frames."""
    rng = np.random.default_rng(seed)
    for label in ("noise", "tone"):
        os.makedirs(os.path.join(root, label), exist_ok=True)
        for i in range(per_class):
            n = int(rng.integers(300, 400))
            clip = 0.8 * np.sin(2 * np.pi * 100 * np.arange(n) / rate) if label == "tone" \
                else rng.uniform(-0.8, 0.8, n)
            write_wav(os.path.join(root, label, f"{i}.wav"), clip, rate)
    return str(root)


def image_folder(root, per_class=6):
    """``root/dark/*.png`` and ``root/light/*.png``, 6x6 RGB images."""
    from kfront.utils import save_img
    for label, value in (("dark", 30), ("light", 220)):
        os.makedirs(os.path.join(root, label), exist_ok=True)
        for i in range(per_class):
            img = np.full((6, 6, 3), value + i, dtype="uint8")
            save_img(os.path.join(root, label, f"{i}.png"), img, scale=False)
    return str(root)


def text_folder(root, per_class=6):
    """``root/neg/*.txt`` ("bad ...") and ``root/pos/*.txt`` ("good ...")."""
    for label, word in (("neg", "bad"), ("pos", "good")):
        os.makedirs(os.path.join(root, label), exist_ok=True)
        for i in range(per_class):
            with open(os.path.join(root, label, f"{i}.txt"), "w", encoding="utf-8") as f:
                f.write(f"{word} " * (i + 1))
    return str(root)
