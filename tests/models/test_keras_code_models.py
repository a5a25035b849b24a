"""Model construction and introspection as real Keras scripts do it."""
import numpy as np
import pytest

import kfront as keras
from kfront import layers
from kfront.models.functional import Functional


class Pair(keras.Model):
    """``VAE(encoder, decoder)``: two positional arguments that are not inputs/outputs."""

    def __init__(self, first, second, **kwargs):
        super().__init__(**kwargs)
        self.first, self.second = first, second

    def call(self, x):
        return self.second(self.first(x))


class Sizes(keras.Model):
    """``RecommenderNet(num_users, num_movies, embedding_size)``."""

    def __init__(self, n_in, n_hidden, n_out):
        super().__init__()
        self.hidden = layers.Dense(n_hidden)
        self.out = layers.Dense(n_out)
        self.n_in = n_in

    def call(self, x):
        return self.out(self.hidden(x))


def test_subclass_with_positional_constructor_arguments_is_subclassed():
    model = Pair(layers.Dense(4), layers.Dense(2))
    assert type(model) is Pair and not isinstance(model, Functional)
    x = np.ones((3, 5), "float32")
    assert tuple(model(x).shape) == (3, 2)
    sizes = Sizes(5, 7, 3)
    assert type(sizes) is Sizes and tuple(sizes(x).shape) == (3, 3)
    assert [tuple(w.shape) for w in sizes.weights] == [(5, 7), (7,), (7, 3), (3,)]


def test_subclass_passing_inputs_outputs_to_model_init_is_functional():
    inputs = keras.Input((3,))
    outputs = layers.Dense(2)(inputs)

    class Custom(keras.Model):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)

        def train_step(self, data):
            self.custom_steps = getattr(self, "custom_steps", 0) + 1
            return super().train_step(data)

    for model in (Custom(inputs, outputs), Custom(inputs=inputs, outputs=outputs)):
        assert isinstance(model, Custom) and isinstance(model, Functional)
        assert model.input is inputs and len(model.layers) == 2
    model.compile("sgd", "mse", run_eagerly=True)
    model.fit(np.ones((4, 3)), np.ones((4, 2)), batch_size=2, verbose=0)
    assert model.custom_steps == 2
    assert type(keras.Model(inputs, outputs)) is Functional


def test_functional_models_are_built_once_and_named_as_in_keras():
    keras.backend.clear_session()
    inputs = keras.Input((3,))
    outputs = layers.Dense(2)(inputs)
    names = [keras.Model(inputs, outputs).name, keras.Model(inputs=inputs, outputs=outputs).name]
    assert names == ["functional", "functional_1"]


def test_model_init_refuses_other_positional_arguments():
    class Bad(keras.Model):
        def __init__(self, units):
            super().__init__(units)

    with pytest.raises(TypeError, match=r"Model.__init__\(\) takes keyword arguments only.*"
                                        r"received 1 positional"):
        Bad(3)


def test_input_and_output_of_functional_models():
    a, b = keras.Input((None, 5), name="a"), keras.Input((None, 6), name="b")
    _, h, c = layers.LSTM(4, return_state=True)(a)
    seq = layers.LSTM(4, return_sequences=True)(b, initial_state=[h, c])
    out = layers.Dense(3)(seq)
    model = keras.Model([a, b], out)
    assert model.input == [a, b] and model.input[0] is a
    assert model.output is out and model.outputs == [out]
    assert len(model.layers[2].output) == 3  # encoder LSTM: output, h, c
    single = keras.Model(a, h)
    assert single.input is a and single.output is h
    named = keras.Model({"a": a}, {"h": h})
    assert named.input == {"a": a} and named.output == {"h": h}
    assert keras.Model([a], [h]).input == [a]


def test_input_and_output_of_a_built_sequential():
    model = keras.Sequential([keras.Input((3,)), layers.Dense(4), layers.Dense(2)])
    features = keras.Model(model.input, model.layers[0].output)
    x = np.ones((2, 3), "float32")
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(features(x)),
        x @ model.layers[0].get_weights()[0] + model.layers[0].get_weights()[1], rtol=1e-6)
    assert model.output is model.outputs[0]
    with pytest.raises(AttributeError, match="never been called"):
        keras.Sequential([layers.Dense(2)]).input


def test_subclassed_model_first_called_on_a_dict():
    class TwoInputs(keras.Model):
        def __init__(self):
            super().__init__()
            self.a = layers.Dense(2, kernel_initializer="ones")
            self.b = layers.Dense(2, kernel_initializer="ones")

        def call(self, inputs):
            return self.a(inputs["x"]) + self.b(inputs["y"])

    model = TwoInputs()
    data = {"x": np.ones((3, 4), "float32"), "y": np.full((3, 5), 2.0, "float32")}
    np.testing.assert_allclose(keras.ops.convert_to_numpy(model(data)), np.full((3, 2), 14.0))
    model = TwoInputs()
    model.compile("sgd", "mse")
    model.fit(data, np.zeros((3, 2)), verbose=0)
    assert model.built and len(model.weights) == 4
