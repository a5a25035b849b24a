"""Keras 3 default layer names; VarianceScaling's config keys; Embedding constraints."""
import numpy as np
import pytest

import kfront as keras
from kfront import constraints, initializers, layers
from kfront.utils.naming import to_snake_case


@pytest.mark.parametrize("cls, name", [
    ("Conv2D", "conv2d"), ("UpSampling2D", "up_sampling2d"),
    ("BatchNormalization", "batch_normalization"), ("Conv2DTranspose", "conv2d_transpose"),
    ("LSTM", "lstm"), ("GRU", "gru"), ("SimpleRNN", "simple_rnn"),
    ("GlobalAveragePooling1D", "global_average_pooling1d"), ("ConvLSTM2D", "conv_lstm2d"),
    ("PReLU", "p_re_lu"), ("Layer-Name!", "layer_name"),
])
def test_to_snake_case_gives_keras_names(cls, name):
    assert to_snake_case(cls) == name


def test_default_layer_names_follow_keras():
    assert layers.Conv2D(2, 3).name.startswith("conv2d")
    assert layers.UpSampling1D().name.startswith("up_sampling1d")


def test_variance_scaling_accepts_keras_config_keys():
    config = {"scale": 2.0, "mode": "fan_out", "distribution": "normal", "seed": 3,
              "input_axes": [0], "output_axes": [1, 2]}
    init = initializers.VarianceScaling.from_config(config)
    assert init.distribution == "truncated_normal"
    assert init.get_config() == {**config, "distribution": "truncated_normal"}
    values = np.asarray(init((400, 5, 8)))
    # fan_out from output_axes: 5 * 8; a normal truncated at two stddevs keeps stddev.
    np.testing.assert_allclose(values.std(), np.sqrt(2.0 / 40), rtol=0.05)
    assert np.abs(values).max() <= 2 * np.sqrt(2.0 / 40) / 0.87962566 + 1e-6
    glorot = initializers.get({"class_name": "GlorotUniform",
                               "config": {"seed": 1, "input_axes": None, "output_axes": None}})
    assert glorot.get_config() == {"seed": 1, "input_axes": None, "output_axes": None}
    with pytest.raises(ValueError, match="`distribution` must be"):
        initializers.VarianceScaling(distribution="gamma")


def test_embedding_constraint_from_string_applies_after_updates():
    layer = layers.Embedding(4, 3, embeddings_constraint="non_neg",
                             embeddings_initializer=initializers.Constant(-1.0))
    assert isinstance(layer.embeddings_constraint, constraints.NonNeg)
    model = keras.Sequential([keras.Input((2,), dtype="int32"), layer, layers.Flatten(),
                              layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(np.array([[0, 1], [2, 3]]), np.ones((2, 1), "float32"), epochs=1, verbose=0)
    assert np.all(layer.embeddings.numpy() >= 0)
    config = layer.get_config()
    assert config["embeddings_constraint"]["class_name"] == "NonNeg"
    assert isinstance(layers.Embedding.from_config(config).embeddings_constraint,
                      constraints.NonNeg)
    with pytest.raises(ValueError, match="constraint"):
        layers.Embedding(4, 3, embeddings_constraint="no_such_constraint")
