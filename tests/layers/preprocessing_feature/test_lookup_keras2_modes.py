"""Keras 2 ``output_mode`` names that Keras 3 still accepts on the lookup layers."""
import numpy as np

from kfront import layers, ops

VOCAB = [12, 36, 1138, 42]
DATA = np.array([[12, 1138, 42], [42, 1000, 36]])


def test_integer_lookup_binary_is_multi_hot():
    binary = layers.IntegerLookup(vocabulary=VOCAB, output_mode="binary")
    multi_hot = layers.IntegerLookup(vocabulary=VOCAB, output_mode="multi_hot")
    assert binary.output_mode == "multi_hot"
    # Index 0 is the out-of-vocabulary id (1000); then the vocabulary in order.
    expected = np.array([[0, 1, 0, 1, 1], [1, 0, 1, 0, 1]], "float32")
    np.testing.assert_array_equal(ops.convert_to_numpy(binary(DATA)), expected)
    np.testing.assert_array_equal(ops.convert_to_numpy(multi_hot(DATA)), expected)
    assert binary.get_config()["output_mode"] == "multi_hot"


def test_string_lookup_tf_idf_spelling():
    layer = layers.StringLookup(vocabulary=["a", "b"], output_mode="tf-idf",
                                idf_weights=[1.0, 2.0])
    assert layer.output_mode == "tf_idf"
