"""Masks: Masking, Embedding(mask_zero=True), and how masks reach RNNs in every kind of model."""
import numpy as np
import pytest

import kfront as keras
from kfront import layers, ops

IDS = np.array([[3, 1, 4, 1, 0, 0], [0, 0, 5, 9, 2, 6], [5, 3, 5, 8, 9, 7]], "int32")
RNG = np.random.default_rng(5)
X = RNG.normal(size=(3, 6, 4)).astype("float32")
X[0, 4:] = 0.0
X[1, :2] = 0.0


def np_(t):
    return np.asarray(ops.convert_to_numpy(t))


def per_sample_reference(emb, lstm, ids):
    """Each sequence run alone, padding removed: what a mask must reproduce."""
    out = []
    for row in ids:
        kept = row[row != 0][None]
        out.append(np_(lstm(emb(kept)))[0])
    return np.stack(out)


def test_masking_layer_zeroes_masked_steps_and_gives_mask():
    layer = layers.Masking(mask_value=0.0)
    got = layer(X)
    want_mask = np.any(X != 0.0, axis=-1)
    np.testing.assert_array_equal(np_(layer.compute_mask(X)), want_mask)
    np.testing.assert_array_equal(np_(got), X * want_mask[..., None])
    assert layers.Masking.from_config(layer.get_config()).mask_value == 0.0


def test_embedding_mask_zero_computes_mask():
    emb = layers.Embedding(10, 3, mask_zero=True)
    np.testing.assert_array_equal(np_(emb.compute_mask(IDS)), IDS != 0)
    assert layers.Embedding(10, 3).compute_mask(IDS) is None
    assert emb.supports_masking and not layers.Embedding(10, 3).supports_masking


def test_sequential_passes_mask_from_embedding_to_lstm():
    emb, lstm = layers.Embedding(10, 4, mask_zero=True), layers.LSTM(5)
    model = keras.Sequential([keras.Input((6,), dtype="int32"), emb, lstm])
    assert model._mask_flow
    np.testing.assert_allclose(np_(model(IDS)), per_sample_reference(emb, lstm, IDS),
                               rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(np_(model.predict(IDS, verbose=0)),
                               per_sample_reference(emb, lstm, IDS), rtol=1e-5, atol=1e-6)


def test_functional_carries_masks_node_by_node():
    inputs = keras.Input((6,), dtype="int32")
    emb = layers.Embedding(10, 4, mask_zero=True)
    first, second = layers.GRU(5, return_sequences=True), layers.LSTM(3)
    seq = first(emb(inputs))
    assert seq._keras_mask.shape == (None, 6)
    out = second(seq)
    assert getattr(out, "_keras_mask", None) is None
    model = keras.Model(inputs, out)
    explicit = second(first(emb(IDS), mask=IDS != 0), mask=IDS != 0)
    np.testing.assert_allclose(np_(model(IDS)), np_(explicit), rtol=1e-5, atol=1e-6)
    unmasked = second(first(emb(IDS) * 1.0))  # a new tensor carries no mask
    assert not np.allclose(np_(model(IDS)), np_(unmasked), atol=1e-4)


def test_eager_calls_find_the_mask_of_their_input():
    emb, lstm = layers.Embedding(10, 4, mask_zero=True), layers.LSTM(5)
    hidden = emb(IDS)
    auto = np_(lstm(hidden))
    np.testing.assert_allclose(auto, np_(lstm(hidden, mask=IDS != 0)), rtol=1e-6)
    np.testing.assert_allclose(auto, per_sample_reference(emb, lstm, IDS), rtol=1e-5,
                               atol=1e-6)
    # A new tensor has no mask.
    assert not np.allclose(np_(lstm(hidden * 1.0)), auto, atol=1e-4)


def test_subclassed_model_propagates_masks_through_its_layers():
    class Classifier(keras.Model):
        def __init__(self):
            super().__init__()
            self.emb = layers.Embedding(10, 4, mask_zero=True)
            self.rnn = layers.Bidirectional(layers.LSTM(3, return_sequences=True))
            self.head = layers.TimeDistributed(layers.Dense(2))

        def call(self, ids):
            return self.head(self.rnn(self.emb(ids)))

    model = Classifier()
    got = np_(model(IDS))
    mask = IDS != 0
    explicit = model.head(model.rnn(model.emb(IDS), mask=mask))
    np.testing.assert_allclose(got, np_(explicit), rtol=1e-6)
    # Masked steps of a returned sequence are zeros in a Bidirectional (as in Keras).
    bias = model.head.layer.get_weights()[1]
    np.testing.assert_allclose(got[0, 4:], np.broadcast_to(bias, (2, 2)), atol=1e-6)


def test_masking_layer_in_sequential_with_explicit_input_mask():
    lstm = layers.SimpleRNN(4)
    model = keras.Sequential([keras.Input((6, 4)), layers.Masking(), lstm])
    mask = np.any(X != 0, axis=-1)
    np.testing.assert_allclose(np_(model(X)), np_(lstm(X, mask=mask)), rtol=1e-6)
    # A mask given to the model joins the Masking layer's own (it replaces it, as in Keras).
    partial = mask.copy()
    partial[2, 5] = False
    assert np.allclose(np_(model(X, mask=partial)), np_(lstm(X, mask=mask)), atol=1e-6)


def test_no_mask_work_without_masking_layers():
    model = keras.Sequential([keras.Input((6, 4)), layers.LSTM(3), layers.Dense(2)])
    assert not model._mask_flow
    inputs = keras.Input((6,), dtype="int32")
    functional = keras.Model(inputs, layers.LSTM(2)(layers.Embedding(10, 3)(inputs)))
    assert not functional._mask_flow


@pytest.mark.parametrize("kind", ["sequential", "functional"])
def test_masked_model_trains(kind):
    labels = (IDS[:, :2].sum(axis=1) > 4).astype("float32")[:, None]
    stack = [layers.Embedding(10, 4, mask_zero=True), layers.GRU(4),
             layers.Dense(1, activation="sigmoid")]
    if kind == "sequential":
        model = keras.Sequential([keras.Input((6,), dtype="int32")] + stack)
    else:
        inputs = keras.Input((6,), dtype="int32")
        x = inputs
        for layer in stack:
            x = layer(x)
        model = keras.Model(inputs, x)
    model.compile(optimizer=keras.optimizers.Adam(0.1), loss="binary_crossentropy")
    first = model.evaluate(IDS, labels, verbose=0)
    model.fit(IDS, labels, epochs=10, batch_size=3, verbose=0)
    assert model.evaluate(IDS, labels, verbose=0) < 0.5 * first
