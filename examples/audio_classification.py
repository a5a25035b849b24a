"""Audio classification: WAV clips read with ``audio_dataset_from_directory``, a
``MelSpectrogram`` layer inside the model, trained to tell tones from noise.

Run with any engine:  KFRONT_BACKEND=torch python examples/audio_classification.py
The clips are synthesized into a temporary folder (one subfolder per class), so the
script runs offline in seconds. Where TensorFlow is installed the dataset is a
``tf.data.Dataset`` (as in Keras 3); otherwise kfront's own Dataset, with the same methods.
"""
import os
import tempfile
import wave

import numpy as np

import kfront as keras

RATE = 8000
FRAMES = 2000  # a quarter of a second


def write_wav(path, samples):
    pcm = np.clip(np.round(samples * 32767), -32768, 32767).astype("<i2")
    with wave.open(path, "wb") as f:
        f.setnchannels(1)
        f.setsampwidth(2)
        f.setframerate(RATE)
        f.writeframes(pcm.tobytes())


def synthesize(root, per_class, rng):
    """``root/tone``: sines of random pitch and loudness over faint noise;
    ``root/noise``: white noise of random loudness. Clip lengths vary."""
    for label in ("noise", "tone"):
        os.makedirs(os.path.join(root, label))
        for i in range(per_class):
            n = int(rng.integers(FRAMES * 3 // 4, FRAMES + 400))
            loud = rng.uniform(0.2, 0.8)
            noise = rng.normal(0.0, 1.0, n)
            if label == "tone":
                pitch = rng.uniform(200, 2000)
                clip = loud * np.sin(2 * np.pi * pitch * np.arange(n) / RATE + rng.uniform(0, 2 * np.pi))
                clip += 0.02 * noise
            else:
                clip = loud * 0.35 * noise
            write_wav(os.path.join(root, label, f"{i:03d}.wav"), np.clip(clip, -1, 1))


with tempfile.TemporaryDirectory() as root:
    synthesize(root, per_class=60, rng=np.random.default_rng(0))
    # Every clip is cut or zero-padded to FRAMES samples: (batch, FRAMES, 1) float32.
    train_ds, val_ds = keras.utils.audio_dataset_from_directory(
        root, batch_size=15, output_sequence_length=FRAMES, label_mode="binary",
        validation_split=0.25, subset="both", seed=1)
    print("classes:", train_ds.class_names)
    train_ds = train_ds.cache().prefetch(2)
    val_ds = val_ds.cache().prefetch(2)

    keras.utils.set_random_seed(1)
    model = keras.Sequential([
        keras.Input((FRAMES, 1)),
        keras.layers.Reshape((FRAMES,)),
        # (batch, 32 mel bands, frames), in decibels, computed on the backend.
        keras.layers.MelSpectrogram(fft_length=256, sequence_stride=128, num_mel_bins=32,
                                    sampling_rate=RATE),
        keras.layers.Rescaling(1 / 80.0),
        keras.layers.Conv1D(16, 3, activation="relu", data_format="channels_first"),
        keras.layers.GlobalMaxPooling1D(data_format="channels_first"),
        keras.layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(keras.optimizers.Adam(0.01), "binary_crossentropy", metrics=["accuracy"])
    model.fit(train_ds, validation_data=val_ds, epochs=5, verbose=2)
    _, accuracy = model.evaluate(val_ds, verbose=0)

print(f"backend={keras.backend.backend()} val_accuracy={accuracy:.4f}")
