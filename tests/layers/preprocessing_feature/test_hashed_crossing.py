"""HashedCrossing: the same buckets as Keras (tf.sparse.cross_hashed) on the same inputs."""
import numpy as np
import pytest

import kfront as keras
from keras_reference import keras_numbers

STRINGS = np.array(["red", "green", "blue", "red", "", "a much longer category value!"])
INTS = np.array([3, -7, 0, 2**40, 12, 5], dtype="int64")
SMALL = np.array([1, 2, 3, 4, 5, 6], dtype="int32")

KERAS = """
s, i, k = inp["s"], inp["i"], inp["k"]
out["si"] = keras.layers.HashedCrossing(num_bins=97)((s, i))
out["ik"] = keras.layers.HashedCrossing(num_bins=10)((i[:, None], k[:, None]))
out["sik"] = keras.layers.HashedCrossing(num_bins=1000)((s, i, k))
out["onehot"] = keras.layers.HashedCrossing(num_bins=5, output_mode="one_hot")((s, k))
out["scalar"] = keras.layers.HashedCrossing(num_bins=13)((s[0], k[0]))
"""


def _np(x):
    return keras.ops.convert_to_numpy(x)


def test_buckets_match_keras():
    want = keras_numbers(KERAS, s=STRINGS, i=INTS, k=SMALL)
    np.testing.assert_array_equal(_np(keras.layers.HashedCrossing(97)((STRINGS, INTS))),
                                  want["si"])
    got = _np(keras.layers.HashedCrossing(10)((INTS[:, None], SMALL[:, None])))
    assert got.shape == (6, 1)
    np.testing.assert_array_equal(got, want["ik"])
    np.testing.assert_array_equal(
        _np(keras.layers.HashedCrossing(1000)([STRINGS, INTS, SMALL])), want["sik"])
    onehot = keras.layers.HashedCrossing(5, output_mode="one_hot")
    got = _np(onehot((STRINGS, SMALL)))
    assert got.dtype == np.float32 and onehot.compute_output_shape([(6,), (6,)]) == (6, 5)
    np.testing.assert_array_equal(got, want["onehot"])
    np.testing.assert_array_equal(_np(keras.layers.HashedCrossing(13)((STRINGS[0], SMALL[0]))),
                                  want["scalar"])
    # Bytes (as tf.data yields strings) hash like str.
    np.testing.assert_array_equal(
        _np(keras.layers.HashedCrossing(97)((np.char.encode(STRINGS), INTS))), want["si"])


def test_config_and_errors():
    layer = keras.layers.HashedCrossing(8, output_mode="one_hot", name="cross")
    config = layer.get_config()
    assert config["num_bins"] == 8 and config["output_mode"] == "one_hot"
    assert keras.layers.HashedCrossing.from_config(config).get_config() == config
    with pytest.raises(ValueError, match="should be called on a list or tuple of inputs"):
        keras.layers.HashedCrossing(4)(STRINGS)
    with pytest.raises(ValueError, match="should be called on at least two inputs"):
        keras.layers.HashedCrossing(4)([STRINGS])
    with pytest.raises(ValueError, match="should have equal shape"):
        keras.layers.HashedCrossing(4)((STRINGS, SMALL[:3]))
    with pytest.raises(ValueError, match=r"should have shape `\(\)`, `\(batch_size\)` or"):
        keras.layers.HashedCrossing(4)((np.zeros((2, 3), "int32"), np.zeros((2, 3), "int32")))
    with pytest.raises(ValueError, match="integer or string dtype"):
        keras.layers.HashedCrossing(4)((np.zeros(3, "float32"), SMALL[:3]))
    with pytest.raises(ValueError, match="`num_bins` must be a positive integer"):
        keras.layers.HashedCrossing(0)
    with pytest.raises(ValueError, match="output_mode"):
        keras.layers.HashedCrossing(4, output_mode="multi_hot")
    with pytest.raises(ValueError, match="`sparse=True` is not supported"):
        keras.layers.HashedCrossing(4, sparse=True)
