"""Embedding: a row lookup equal to numpy.take, for int and float ids."""
import numpy as np
import pytest

import kfront as keras
from kfront import layers

TABLE = np.random.default_rng(0).normal(size=(10, 4)).astype("float32")
IDS = np.array([[0, 3, 9], [2, 2, 7]])


def to_np(x):
    return np.asarray(keras.ops.convert_to_numpy(x))


def built_embedding():
    layer = layers.Embedding(10, 4)
    layer.build((None, 3))
    layer.set_weights([TABLE])
    return layer


@pytest.mark.parametrize("dtype", ["int32", "int64", "float32"])
def test_embedding_lookup_matches_take(dtype):
    out = to_np(built_embedding()(IDS.astype(dtype)))
    np.testing.assert_array_equal(out, np.take(TABLE, IDS, axis=0))


def test_embedding_weight_shape_and_default_init():
    layer = layers.Embedding(10, 4)
    layer(IDS.astype("int32"))
    assert [tuple(w.shape) for w in layer.weights] == [(10, 4)]
    table = layer.get_weights()[0]
    assert np.abs(table).max() <= 0.05
    assert table.std() > 0.01


def test_embedding_symbolic_and_model():
    ids = keras.Input(shape=(3,), dtype="int32")
    emb = built_embedding()
    out = emb(ids)
    assert out.shape == (None, 3, 4)
    model = keras.Model(ids, out)
    np.testing.assert_array_equal(model.predict(IDS.astype("int32"), verbose=0),
                                  TABLE[IDS])


@pytest.mark.parametrize("args", [(0, 4), (10, -1), (2.5, 3)])
def test_embedding_dims_validation(args):
    with pytest.raises(ValueError, match="must be a positive int"):
        layers.Embedding(*args)
