"""The ``Dot`` merge layer and its functional form ``dot``."""
import numpy as np
import pytest

import kfront as keras
from kfront import layers, ops

RNG = np.random.default_rng(9)
A = RNG.normal(size=(3, 4)).astype("float32")
B = RNG.normal(size=(3, 4)).astype("float32")
C = RNG.normal(size=(3, 4, 5)).astype("float32")
D = RNG.normal(size=(3, 6, 5)).astype("float32")


def np_(x):
    return ops.convert_to_numpy(x)


def test_dot_of_vectors_keeps_a_unit_axis():
    out = np_(layers.Dot(axes=1)([A, B]))
    np.testing.assert_allclose(out, (A * B).sum(1, keepdims=True), rtol=1e-5, atol=1e-6)


def test_dot_of_matrices_and_mixed_ranks():
    np.testing.assert_allclose(np_(layers.Dot(axes=(2, 2))([C, D])),
                               np.einsum("bij,bkj->bik", C, D), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(np_(layers.Dot(axes=(1, 1))([A, C])),
                               np.einsum("bi,bij->bj", A, C), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(np_(layers.Dot(axes=-1)([C, D])),
                               np.einsum("bij,bkj->bik", C, D), rtol=1e-5, atol=1e-5)


def test_dot_normalize_gives_cosine_similarity():
    out = np_(layers.Dot(axes=1, normalize=True)([A, B])).ravel()
    want = (A * B).sum(1) / np.linalg.norm(A, axis=1) / np.linalg.norm(B, axis=1)
    np.testing.assert_allclose(out, want, rtol=1e-5, atol=1e-6)


def test_functional_dot_and_symbolic_shapes():
    a, c = keras.Input((4,)), keras.Input((4, 5))
    out = layers.dot([a, c], axes=1)
    assert tuple(out.shape) == (None, 5)
    model = keras.Model([a, c], out)
    np.testing.assert_allclose(np_(model([A, C])), np.einsum("bi,bij->bj", A, C), rtol=1e-5,
                               atol=1e-5)
    assert tuple(layers.Dot(1)([keras.Input((4,)), keras.Input((4,))]).shape) == (None, 1)


def test_dot_errors_and_config():
    with pytest.raises(ValueError, match=r"Dot: incompatible input shapes: axis values 4 "
                                         r"\(at axis 1\) != 6 \(at axis 1\)"):
        layers.Dot(axes=1)([C, D])
    with pytest.raises(ValueError, match="A `Dot` layer should be called on a list of 2"):
        layers.Dot(axes=1)([A, B, A])
    with pytest.raises(ValueError, match="it should contain two elements"):
        layers.Dot(axes=(1, 1, 1))
    layer = layers.Dot(axes=(1, 2), normalize=True)
    config = layer.get_config()
    assert config["axes"] == (1, 2) and config["normalize"] is True
    assert layers.Dot.from_config(config).get_config() == config
