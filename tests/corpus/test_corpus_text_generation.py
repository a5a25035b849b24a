"""Character-level text generation as the Keras example writes it: one-hot **bool** arrays
(``np.zeros(..., dtype="bool")``) fed straight to an LSTM."""
import numpy as np

import kfront as keras
from kfront import layers

TEXT = "abcd" * 17  # 64 windows: two equal batches
MAXLEN = 4


def vectorize():
    chars = sorted(set(TEXT))
    index = {c: i for i, c in enumerate(chars)}
    sentences = [TEXT[i:i + MAXLEN] for i in range(len(TEXT) - MAXLEN)]
    next_chars = [TEXT[i + MAXLEN] for i in range(len(TEXT) - MAXLEN)]
    x = np.zeros((len(sentences), MAXLEN, len(chars)), dtype="bool")
    y = np.zeros((len(sentences), len(chars)), dtype="bool")
    for i, sentence in enumerate(sentences):
        for t, char in enumerate(sentence):
            x[i, t, index[char]] = 1
        y[i, index[next_chars[i]]] = 1
    return x, y, chars


def test_bool_one_hot_sequences_train_an_lstm():
    x, y, chars = vectorize()
    model = keras.Sequential([keras.Input(shape=(MAXLEN, len(chars))), layers.LSTM(16),
                              layers.Dense(len(chars), activation="softmax")])
    model.compile(loss="categorical_crossentropy",
                  optimizer=keras.optimizers.RMSprop(learning_rate=0.05))
    history = model.fit(x, y, batch_size=32, epochs=8, verbose=0).history
    assert history["loss"][-1] < 0.2 * history["loss"][0]
    preds = model.predict(x, verbose=0)
    assert preds.dtype == np.float32
    np.testing.assert_array_equal(preds.argmax(-1), y.argmax(-1))
    # The bool input gives exactly what the same one-hot input in floats gives.
    np.testing.assert_allclose(preds, model.predict(x.astype("float32"), verbose=0),
                               rtol=1e-6)
