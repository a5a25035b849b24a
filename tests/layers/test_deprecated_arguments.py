"""Keras 2 arguments Keras 3 still accepts, each with Keras 3's warning."""
import numpy as np
import pytest

import kfront as keras
from kfront import layers, ops


@pytest.mark.parametrize("kwargs", [{"input_dim": 3}, {"input_shape": (3,)}])
def test_input_shape_and_input_dim_warn_and_still_build(kwargs):
    with pytest.warns(UserWarning, match=r"Do not pass an `input_shape`/`input_dim` argument "
                                         r"to a layer.*`Input\(shape\)`"):
        dense = layers.Dense(2, **kwargs)
    model = keras.Sequential([dense])
    assert model.built and model.input_shape == (None, 3)


def test_embedding_input_length_warns_and_is_ignored():
    with pytest.warns(UserWarning, match="Argument `input_length` is deprecated. Just remove"):
        embedding = layers.Embedding(10, 3, input_length=4)
    assert "input_length" not in embedding.get_config()
    assert tuple(embedding(np.zeros((2, 7), "int32")).shape) == (2, 7, 3)


def test_leaky_relu_alpha_warns_and_sets_the_slope():
    with pytest.warns(UserWarning, match="Argument `alpha` is deprecated. Use "
                                         "`negative_slope` instead."):
        layer = layers.LeakyReLU(alpha=0.2)
    assert layer.negative_slope == 0.2
    np.testing.assert_allclose(ops.convert_to_numpy(layer(np.array([-1.0, 2.0], "float32"))),
                               [-0.2, 2.0])


def test_optimizer_lr_is_accepted_with_a_warning_naming_learning_rate():
    with pytest.warns(DeprecationWarning, match="use `learning_rate` instead"):
        opt = keras.optimizers.Adam(lr=0.3)
    assert float(opt.learning_rate) == pytest.approx(0.3)
