"""Text classification pipelines: TextVectorization or the Keras 2 Tokenizer, then
pad_sequences, then an Embedding classifier (pooling, and an LSTM).

Run with any engine:  KFRONT_BACKEND=jax python examples/text_pipeline.py
The reviews are generated from small word lists, so the script runs offline in seconds.
"""
import warnings

import numpy as np

import kfront as keras
from kfront.preprocessing.sequence import pad_sequences
from kfront.preprocessing.text import Tokenizer

POSITIVE = ["great", "wonderful", "loved", "excellent", "superb", "delightful", "enjoyed"]
NEGATIVE = ["awful", "boring", "hated", "terrible", "dull", "painful", "disappointing"]
FILLER = ["the", "movie", "plot", "was", "a", "and", "acting", "film", "really", "story",
          "i", "it", "this", "quite", "ending"]


def make_reviews(n, rng):
    """``n`` short reviews; the label is 1 when positive words outnumber negative ones."""
    texts, labels = [], []
    for _ in range(n):
        label = int(rng.integers(2))
        strong, weak = (POSITIVE, NEGATIVE) if label else (NEGATIVE, POSITIVE)
        words = list(rng.choice(FILLER, size=int(rng.integers(4, 10))))
        words += list(rng.choice(strong, size=2)) + list(rng.choice(weak, size=int(rng.integers(0, 2))))
        rng.shuffle(words)
        texts.append(" ".join(words).capitalize() + rng.choice([".", "!", "..."]))
        labels.append(label)
    return texts, np.array(labels, "float32")


def pooling_classifier(vocab_size):
    model = keras.Sequential([
        keras.Input((None,), dtype="int32"),
        keras.layers.Embedding(vocab_size, 16),
        keras.layers.GlobalAveragePooling1D(),
        keras.layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(0.02), loss="binary_crossentropy",
                  metrics=["accuracy"])
    return model


def lstm_classifier(vocab_size):
    model = keras.Sequential([
        keras.Input((None,), dtype="int32"),
        keras.layers.Embedding(vocab_size, 16, mask_zero=True),
        keras.layers.LSTM(16),
        keras.layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(0.02), loss="binary_crossentropy",
                  metrics=["accuracy"])
    return model


def main():
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    train_texts, y_train = make_reviews(600, rng)
    test_texts, y_test = make_reviews(200, rng)

    # 1. Keras 3: TextVectorization runs on the host, before the model.
    vectorizer = keras.layers.TextVectorization(max_tokens=60, output_sequence_length=16)
    vectorizer.adapt(train_texts)
    x_train, x_test = vectorizer(train_texts), vectorizer(test_texts)
    model = pooling_classifier(vectorizer.vocabulary_size())
    model.fit(x_train, y_train, epochs=8, batch_size=32, verbose=0)
    _, acc_tv = model.evaluate(x_test, y_test, verbose=0)
    print(f"TextVectorization + Embedding + pooling: test accuracy {acc_tv:.3f}")

    # 2. Keras 2: Tokenizer -> texts_to_sequences -> pad_sequences.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # the Keras 2 path, on purpose
        tokenizer = Tokenizer(num_words=60, oov_token="<unk>")
    tokenizer.fit_on_texts(train_texts)
    seq_train = pad_sequences(tokenizer.texts_to_sequences(train_texts), maxlen=16)
    seq_test = pad_sequences(tokenizer.texts_to_sequences(test_texts), maxlen=16)
    model = lstm_classifier(60)
    model.fit(seq_train, y_train, epochs=8, batch_size=32, verbose=0)
    _, acc_lstm = model.evaluate(seq_test, y_test, verbose=0)
    print(f"Tokenizer + pad_sequences + Embedding + LSTM: test accuracy {acc_lstm:.3f}")
    print(f"backend={keras.backend.backend()} vectorization_accuracy={acc_tv:.4f} "
          f"tokenizer_accuracy={acc_lstm:.4f}")
    return acc_tv, acc_lstm


if __name__ == "__main__":
    main()
