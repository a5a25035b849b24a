"""A user's test file for the pytest plugin (copied to a temporary folder and run there)."""
import numpy as np
import pytest

import kfront as keras


def test_dense_matches_numpy(backend):
    assert keras.backend.backend() == backend
    keras.utils.set_random_seed(0)
    layer = keras.layers.Dense(3)
    x = np.linspace(-1, 1, 8, dtype="float32").reshape(2, 4)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(layer(x)),
                               x @ layer.kernel.numpy(), rtol=1e-6)


@pytest.mark.kfront_backends("torch", "jax")
def test_marked_without_the_fixture():
    assert keras.backend.backend() in ("torch", "jax")


def test_untouched():
    assert True


@pytest.mark.kfront_backends()
def test_diverges(backend):
    if DIVERGE:
        value = {"torch": 1.0, "jax": 2.0, "tensorflow": 3.0}[keras.backend.backend()]
        assert value == 1.0, f"the number is {value} on {backend}"


DIVERGE = False
