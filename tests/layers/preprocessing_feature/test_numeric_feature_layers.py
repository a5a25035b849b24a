"""Normalization, Discretization, CategoryEncoding and IntegerLookup: NumPy references, use
inside compiled models, config and save/load."""
import numpy as np
import pytest

import kfront as keras
from kfront import ops

L = keras.layers


def _np(x):
    return ops.convert_to_numpy(x)


def test_normalization_adapt_array_dataset_and_invert():
    rng = np.random.default_rng(0)
    data = rng.normal(3.0, 2.0, size=(64, 3)).astype("float32")
    layer = L.Normalization()
    layer.adapt(data)
    mean, var = data.astype("float64").mean(0), data.astype("float64").var(0)
    np.testing.assert_allclose(_np(layer.adapt_mean.value), mean, rtol=1e-5)
    np.testing.assert_allclose(_np(layer(data)), (data - mean) / np.sqrt(var), atol=1e-5)
    batched = L.Normalization()
    batched.adapt(iter([data[i:i + 10] for i in range(0, 64, 10)]))  # uneven batches
    np.testing.assert_allclose(_np(batched.adapt_variance.value), var, rtol=1e-5)
    inv = L.Normalization(mean=2.0, variance=4.0, invert=True)
    np.testing.assert_allclose(_np(inv(np.array([[1.0, -1.0]], "float32"))), [[4.0, 0.0]])
    whole = L.Normalization(axis=None)
    whole.adapt(data)
    np.testing.assert_allclose(_np(whole(data)), (data - data.mean()) / data.std(), atol=1e-4)


def test_normalization_inside_a_trained_model_and_saved(tmp_path):
    rng = np.random.default_rng(1)
    x = rng.normal(5.0, 3.0, size=(32, 2)).astype("float32")
    y = (x[:, :1] > 5.0).astype("float32")
    norm = L.Normalization()
    norm.adapt(x)
    inputs = keras.Input((2,))
    model = keras.Model(inputs, L.Dense(1, activation="sigmoid")(norm(inputs)))
    model.compile(optimizer="sgd", loss="binary_crossentropy")
    model.fit(x, y, epochs=1, batch_size=16, verbose=0)
    path = str(tmp_path / "norm.keras")
    model.save(path)
    loaded = keras.saving.load_model(path)
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0),
                               rtol=1e-5)
    np.testing.assert_allclose(_np(loaded.layers[1].adapt_mean.value), x.mean(0), rtol=1e-5)


def test_discretization_boundaries_adapt_and_modes():
    layer = L.Discretization(bin_boundaries=[0.0, 1.0, 2.5])
    x = np.array([[-1.0, 0.0, 0.5], [1.0, 2.4, 9.0]], "float32")
    np.testing.assert_array_equal(_np(layer(x)), np.digitize(x, [0.0, 1.0, 2.5]))
    hot = L.Discretization(bin_boundaries=[0.0, 1.0], output_mode="one_hot")
    np.testing.assert_array_equal(_np(hot(np.array([-1.0, 0.5, 3.0]))), np.eye(3))
    count = L.Discretization(bin_boundaries=[0.0, 1.0], output_mode="count")
    np.testing.assert_array_equal(_np(count(np.array([[-1.0, -2.0, 3.0]]))), [[2, 0, 1]])
    learned = L.Discretization(num_bins=4)
    learned.adapt(np.arange(100, dtype="float32"))
    np.testing.assert_allclose(learned.bin_boundaries, [25.0, 50.0, 75.0], atol=1.0)
    clone = L.Discretization.from_config(learned.get_config())
    np.testing.assert_array_equal(_np(clone(np.array([10.0, 60.0]))), [0, 2])


def test_category_encoding_modes_against_numpy():
    ids = np.array([[0, 1, 1], [3, 3, 2]])
    eye = np.eye(4)
    np.testing.assert_array_equal(_np(L.CategoryEncoding(4, "multi_hot")(ids)),
                                  eye[ids].max(1))
    np.testing.assert_array_equal(_np(L.CategoryEncoding(4, "count")(ids)), eye[ids].sum(1))
    np.testing.assert_array_equal(_np(L.CategoryEncoding(4, "one_hot")(np.array([3, 0]))),
                                  eye[[3, 0]])
    weights = np.array([[0.5, 1.0, 2.0], [1.0, 1.0, 1.0]], "float32")
    got = L.CategoryEncoding(4, "count")(ids, count_weights=weights)
    np.testing.assert_allclose(_np(got), [[0.5, 3.0, 0, 0], [0, 0, 1, 2]])


def test_integer_lookup_against_numpy_and_in_a_model():
    vocab = [12, 36, 1138, 42]
    layer = L.IntegerLookup(vocabulary=vocab)
    x = np.array([[12, 1138, 42], [42, 1000, 36]])
    table = {v: i + 1 for i, v in enumerate(vocab)}
    np.testing.assert_array_equal(_np(layer(x)), np.vectorize(lambda v: table.get(v, 0))(x))
    assert layer.get_vocabulary() == [-1, 12, 36, 1138, 42]
    inverse = L.IntegerLookup(vocabulary=vocab, invert=True)
    np.testing.assert_array_equal(_np(inverse(np.array([1, 0, 4, 9]))), [12, -1, 42, -1])
    masked = L.IntegerLookup(vocabulary=vocab, mask_token=0, num_oov_indices=2)
    np.testing.assert_array_equal(_np(masked(np.array([0, 12, 7, 8]))), [0, 3, 2, 1])
    hot = L.IntegerLookup(vocabulary=vocab, output_mode="multi_hot")
    np.testing.assert_array_equal(_np(hot(np.array([[12, 12, 5]]))), [[1, 1, 0, 0, 0]])
    adapted = L.IntegerLookup()
    adapted.adapt(np.array([7, 7, 7, 3, 3, 9]))
    assert adapted.get_vocabulary() == [-1, 7, 3, 9]
    tfidf = L.IntegerLookup(output_mode="tf_idf")
    tfidf.adapt(np.array([[1, 1], [1, 2]]))
    idf = np.log(1 + 2 / (1 + np.array([2.0, 1.0])))
    np.testing.assert_allclose(_np(tfidf(np.array([[1, 1, 2]]))),
                               [[idf.mean() * 0, 2 * idf[0], idf[1]]], rtol=1e-6)
    # Inside a compiled model: the lookup is written with kfront.ops.
    inputs = keras.Input((3,), dtype="int32")
    model = keras.Model(inputs, L.CategoryEncoding(5, "count")(layer(inputs)))
    np.testing.assert_array_equal(model.predict(x, verbose=0), [[0, 1, 0, 1, 1], [1, 0, 1, 0, 1]])


def test_errors():
    with pytest.raises(ValueError, match="pass both `mean` and `variance`"):
        L.Normalization(mean=1.0)
    with pytest.raises(ValueError, match="both `num_bins` and `bin_boundaries`"):
        L.Discretization(bin_boundaries=[1.0], num_bins=3)
    with pytest.raises(ValueError, match="cannot adapt without `num_bins`"):
        L.Discretization(bin_boundaries=[1.0]).adapt(np.ones(3))
    with pytest.raises(ValueError, match="`num_tokens` must be >= 1"):
        L.CategoryEncoding(0)
    with pytest.raises(ValueError, match="unknown `output_mode`"):
        L.CategoryEncoding(3, output_mode="int")
    with pytest.raises(ValueError, match="repeated term"):
        L.IntegerLookup(vocabulary=[1, 1])
    with pytest.raises(ValueError, match="larger than the maximum vocab size"):
        L.IntegerLookup(vocabulary=[1, 2, 3], max_tokens=3)
    with pytest.raises(ValueError, match="`output_mode` must be 'int' when `invert`"):
        L.IntegerLookup(invert=True, output_mode="one_hot")
    with pytest.raises(ValueError, match="you must set the layer's vocabulary"):
        L.IntegerLookup(output_mode="multi_hot")(np.array([1]))
    with pytest.raises(ValueError, match="`idf_weights` must be set"):
        L.IntegerLookup(vocabulary=[1], output_mode="tf_idf")
