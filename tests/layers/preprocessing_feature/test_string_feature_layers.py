"""StringLookup, Hashing and TextVectorization on the host: NumPy references and refusals."""
import numpy as np
import pytest

import kfront as keras
from kfront import ops
from kfront.layers.preprocessing.feature.string_hash import fingerprint64, siphash64

L = keras.layers


def _np(x):
    return ops.convert_to_numpy(x)


def test_string_lookup_modes_against_python():
    vocab = ["a", "b", "c"]
    layer = L.StringLookup(vocabulary=vocab)
    x = np.array([["a", "c", "z"], ["b", "b", "a"]])
    table = {t: i + 1 for i, t in enumerate(vocab)}
    np.testing.assert_array_equal(_np(layer(x)), np.vectorize(lambda t: table.get(t, 0))(x))
    assert layer.get_vocabulary() == ["[UNK]", "a", "b", "c"]
    counts = L.StringLookup(vocabulary=vocab, output_mode="count")(x)
    np.testing.assert_array_equal(_np(counts), [[1, 1, 0, 1], [0, 1, 2, 0]])
    inverse = L.StringLookup(vocabulary=vocab, invert=True)
    assert inverse(np.array([1, 3, 7])).tolist() == ["a", "c", "[UNK]"]
    buckets = L.StringLookup(vocabulary=vocab, num_oov_indices=3, mask_token="")
    got = _np(buckets(np.array(["", "a", "zz", "yy"])))
    assert got[:2].tolist() == [0, 4]
    assert got[2] == 1 + fingerprint64("zz") % 3 and got[3] == 1 + fingerprint64("yy") % 3
    adapted = L.StringLookup(max_tokens=3)
    adapted.adapt(np.array(["x", "y", "y", "z", "z"]))
    assert adapted.get_vocabulary() == ["[UNK]", "z", "y"]  # ties: larger token first
    clone = L.StringLookup.from_config(adapted.get_config())
    assert clone.get_vocabulary() == adapted.get_vocabulary()


def test_hashing_buckets_mask_and_salt():
    x = np.array([["A"], ["B"], ["C"], ["D"], ["E"]])
    got = _np(L.Hashing(num_bins=3)(x))
    np.testing.assert_array_equal(got[:, 0], [fingerprint64(s) % 3 for s in "ABCDE"])
    masked = _np(L.Hashing(num_bins=3, mask_value="")(np.array(["", "A"])))
    assert masked.tolist() == [0, 1 + fingerprint64("A") % 2]
    salted = _np(L.Hashing(num_bins=5, salt=133)(np.array(["A"])))
    assert salted.tolist() == [siphash64([133, 133], "A") % 5]
    ints = _np(L.Hashing(num_bins=7)(np.array([12, 3])))
    assert ints.tolist() == [fingerprint64("12") % 7, fingerprint64("3") % 7]
    hot = _np(L.Hashing(num_bins=3, output_mode="multi_hot")(np.array([["A", "B"]])))
    expected = np.zeros((1, 3))
    expected[0, [fingerprint64("A") % 3, fingerprint64("B") % 3]] = 1
    np.testing.assert_array_equal(hot, expected)


def test_text_vectorization_int_and_bag_modes():
    texts = ["The cat sat.", "The dog!", "A cat, a DOG, a cat"]
    layer = L.TextVectorization(output_sequence_length=5)
    layer.adapt(texts)
    vocab = layer.get_vocabulary()
    assert vocab[:2] == ["", "[UNK]"] and vocab[2:4] == ["cat", "a"]
    index = {t: i for i, t in enumerate(vocab)}
    expected = [[index[w] for w in "the dog sat".split()] + [0, 0]]
    np.testing.assert_array_equal(_np(layer(["the dog, sat"])), expected)
    np.testing.assert_array_equal(_np(layer(["bird cat"]))[0, :2], [1, index["cat"]])
    bag = L.TextVectorization(output_mode="multi_hot", ngrams=2)
    bag.adapt(texts)
    row = _np(bag(["the cat"]))[0]
    words = bag.get_vocabulary()
    assert {words[i] for i in np.flatnonzero(row)} == {"the", "cat", "the cat"}
    tfidf = L.TextVectorization(output_mode="tf_idf")
    tfidf.adapt(texts)
    vocab = tfidf.get_vocabulary()
    docs = [set(t.lower().replace(".", "").replace("!", "").replace(",", "").split())
            for t in texts]
    idf = {w: np.log(1 + 3 / (1 + sum(w in d for d in docs))) for w in vocab[1:]}
    out = _np(tfidf(["cat cat dog"]))[0]
    assert out[vocab.index("cat")] == pytest.approx(2 * idf["cat"], rel=1e-6)
    clone = L.TextVectorization.from_config(layer.get_config())
    np.testing.assert_array_equal(_np(clone(["a cat"])), _np(layer(["a cat"])))


def test_symbolic_and_bad_inputs_are_refused():
    inputs = keras.Input((1,))
    for layer in (L.StringLookup(vocabulary=["a"]), L.Hashing(3),
                  L.TextVectorization(vocabulary=["a"])):
        with pytest.raises(ValueError, match="works on strings on the host"):
            layer(inputs)
    with pytest.raises(ValueError, match="expects strings or integers"):
        L.Hashing(3)(np.array([1.5]))
    with pytest.raises(ValueError, match="`salt` must be an int or a pair"):
        L.Hashing(3, salt="x")
    with pytest.raises(ValueError, match="`num_bins` must be a positive int"):
        L.Hashing(0)
    with pytest.raises(ValueError, match="all inputs should be in vocabulary"):
        L.StringLookup(vocabulary=["a"], num_oov_indices=0)(np.array(["b"]))
    with pytest.raises(ValueError, match="the last shape dimension must be 1"):
        L.TextVectorization(vocabulary=["a"])(np.array([["a", "b"]]))
    with pytest.raises(ValueError, match="`output_sequence_length` must not be set"):
        L.TextVectorization(output_mode="count", output_sequence_length=3)
    with pytest.raises(ValueError, match="`ngrams` must be None, an integer"):
        L.TextVectorization(ngrams="2")
    with pytest.raises(ValueError, match="`split` must be one of"):
        L.TextVectorization(split="comma")
