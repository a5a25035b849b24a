"""Input / InputLayer: symbolic shapes, batch sizes, dtypes and the Keras 2 spellings."""
import numpy as np
import pytest

import kfront as keras
from kfront import layers


def test_input_shape_adds_unknown_batch():
    x = keras.Input(shape=(3, 4))
    assert x.shape == (None, 3, 4)
    assert x.dtype == "float32"


def test_input_int_shape_is_one_axis():
    assert keras.Input(shape=5).shape == (None, 5)


def test_input_batch_size():
    assert keras.Input(shape=(3,), batch_size=8).shape == (8, 3)


def test_input_batch_shape():
    x = keras.Input(batch_shape=(2, None, 6))
    assert x.shape == (2, None, 6)


def test_input_dtype_and_name():
    x = keras.Input(shape=(2,), dtype="int32", name="ids")
    assert x.dtype == "int32"
    layer = x._keras_history[0]
    assert isinstance(layer, layers.InputLayer)
    assert layer.name == "ids"


def test_input_layer_keras2_input_shape():
    layer = layers.InputLayer(input_shape=(7,))
    assert layer.batch_shape == (None, 7)
    assert layer.output.shape == (None, 7)


def test_input_layer_keras2_batch_input_shape():
    layer = layers.InputLayer(batch_input_shape=(4, 7))
    assert layer.batch_shape == (4, 7)


def test_input_without_shape_errors():
    with pytest.raises(ValueError, match="needs `shape`"):
        keras.Input()


def test_input_negative_dim_errors():
    with pytest.raises(ValueError, match="positive ints or None"):
        keras.Input(shape=(-2,))


def test_input_feeds_a_model_with_its_dtype():
    ids = keras.Input(shape=(3,), dtype="int32")
    model = keras.Model(ids, ids * 2)
    out = model.predict(np.array([[1, 2, 3]], dtype="int32"), verbose=0)
    np.testing.assert_array_equal(out, [[2, 4, 6]])
    assert "int" in str(out.dtype)
