"""Classify padded token sequences with Embedding(mask_zero=True) + LSTM; print test accuracy.

The task is synthetic and seeded: a sequence (5 to 20 tokens, padded with 0 to 20) is
positive when it holds more tokens from a 'positive' set than from a 'negative' set.
The padding mask from the Embedding makes the LSTM skip the padded steps.

    KFRONT_BACKEND=jax python examples/lstm_text_classifier.py
"""
import numpy as np

import kfront as keras
from kfront import layers

VOCAB, MAX_LEN = 30, 20
POSITIVE = np.arange(1, 6)     # token ids that count for the positive class
NEGATIVE = np.arange(6, 11)    # ... and against it; 11..29 are neutral


def pad(sequences, length, value=0):
    """Pads (at the end) or truncates each sequence to ``length``: an int32 array."""
    out = np.full((len(sequences), length), value, dtype="int32")
    for i, seq in enumerate(sequences):
        seq = list(seq)[:length]
        out[i, :len(seq)] = seq
    return out


def make_data(n, rng):
    sequences, labels = [], []
    while len(sequences) < n:
        seq = rng.integers(1, VOCAB, size=rng.integers(5, MAX_LEN + 1))
        score = np.isin(seq, POSITIVE).sum() - np.isin(seq, NEGATIVE).sum()
        if score == 0:
            continue  # ties have no label
        sequences.append(seq)
        labels.append(int(score > 0))
    return pad(sequences, MAX_LEN), np.array(labels, dtype="float32")


keras.utils.set_random_seed(7)
rng = np.random.default_rng(7)
x_train, y_train = make_data(3000, rng)
x_test, y_test = make_data(600, rng)

model = keras.Sequential([
    keras.Input(shape=(MAX_LEN,), dtype="int32"),
    layers.Embedding(VOCAB, 16, mask_zero=True),
    layers.LSTM(32),
    layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01),
              loss="binary_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_train, batch_size=64, epochs=8, validation_split=0.1, verbose=2)
loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
print(f"backend={keras.backend.backend()} test_loss={loss:.4f} test_accuracy={accuracy:.4f}")
