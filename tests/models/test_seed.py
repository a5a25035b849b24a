"""set_random_seed: the same seed gives the same initial weights; another seed differs."""
import numpy as np

import kfront as keras
from kfront import layers


def initial_weights(seed):
    keras.utils.set_random_seed(seed)
    model = keras.Sequential([layers.Dense(6, input_shape=(4,)), layers.Embedding(5, 3),
                              layers.Dense(2, kernel_initializer="he_normal")])
    return model.get_weights()


def test_same_seed_same_weights():
    a, b = initial_weights(7), initial_weights(7)
    assert len(a) == 5
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y)


def test_different_seed_different_weights():
    a, b = initial_weights(7), initial_weights(8)
    for x, y in zip(a, b):
        if np.any(x != 0):
            assert not np.array_equal(x, y)


def test_same_seed_same_dropout_mask():
    def mask(seed):
        keras.utils.set_random_seed(seed)
        out = layers.Dropout(0.5)(np.ones((8, 8), "float32"), training=True)
        return np.asarray(keras.ops.convert_to_numpy(out))

    np.testing.assert_array_equal(mask(3), mask(3))
    assert not np.array_equal(mask(3), mask(4))
