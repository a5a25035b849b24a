"""``kfront.layers.merge``: Keras 2's module of merging layers and functions."""
import numpy as np

import kfront as keras
from kfront import ops
from kfront.layers import merge

A = np.array([[1.0, 2.0]], "float32")
B = np.array([[3.0, -1.0]], "float32")


def test_functions_and_classes_compute_as_numpy():
    a, b = ops.convert_to_tensor(A), ops.convert_to_tensor(B)
    cases = {merge.add: A + B, merge.subtract: A - B, merge.multiply: A * B,
             merge.average: (A + B) / 2, merge.maximum: np.maximum(A, B),
             merge.minimum: np.minimum(A, B), merge.concatenate: np.concatenate([A, B], -1),
             lambda xs: merge.dot(xs, axes=1): np.sum(A * B, axis=1, keepdims=True)}
    for fn, expected in cases.items():
        np.testing.assert_allclose(ops.convert_to_numpy(fn([a, b])), expected)
    assert merge.Add is keras.layers.Add and merge.Concatenate is keras.layers.Concatenate
    assert merge.Dot is keras.layers.Dot


def test_functional_keras2_import():
    from kfront.layers.merge import concatenate
    x, y = keras.Input((2,)), keras.Input((2,))
    model = keras.Model([x, y], concatenate([x, y]))
    np.testing.assert_allclose(model.predict([A, B], verbose=0), np.concatenate([A, B], -1))
