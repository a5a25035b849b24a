"""Custom classes and functions load only when registered or passed by the caller."""
import numpy as np
import pytest

import kfront as keras
from kfront.saving import custom_object_scope, register_serializable
from saving_models import call as _call
from saving_models import data


@register_serializable(package="kfront_tests")
class Scale(keras.layers.Layer):
    def __init__(self, factor=2.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones", name="w")

    def call(self, x):
        return x * self.w * self.factor

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}


class Unregistered(keras.layers.Layer):
    def call(self, x):
        return x + 1.0


@register_serializable(package="kfront_tests")
def half_mse(y_true, y_pred):
    return 0.5 * keras.ops.mean(keras.ops.square(y_true - y_pred), axis=-1)


def my_activation(x):
    return keras.ops.tanh(x) * 2.0


def _model(layer):
    inp = keras.Input((4,))
    return keras.Model(inp, keras.layers.Dense(2)(layer(inp)))


def test_registered_class_and_loss_load_by_name(tmp_path):
    x, y = data()
    model = _model(Scale(3.0))
    model.compile("sgd", loss=half_mse)
    model.fit(x, y, epochs=1, verbose=0)
    model.save(tmp_path / "m.kfront")
    loaded = keras.models.load_model(tmp_path / "m.kfront")
    assert isinstance(loaded.layers[1], Scale) and loaded.layers[1].factor == 3.0
    assert loaded.loss is half_mse
    np.testing.assert_allclose(_call(loaded, x), _call(model, x),
                               atol=1e-6)


def test_unregistered_class_needs_custom_objects(tmp_path):
    x, _ = data()
    model = _model(Unregistered())
    model.save(tmp_path / "m.kfront")
    with pytest.raises(ValueError, match="Unknown layer: 'Unregistered'.*custom_objects"):
        keras.models.load_model(tmp_path / "m.kfront")
    loaded = keras.models.load_model(tmp_path / "m.kfront",
                                     custom_objects={"Unregistered": Unregistered})
    np.testing.assert_allclose(_call(loaded, x), _call(model, x),
                               atol=1e-6)
    with custom_object_scope({"Unregistered": Unregistered}):
        loaded = keras.models.load_model(tmp_path / "m.kfront")
    assert isinstance(loaded.layers[1], Unregistered)
    with pytest.raises(ValueError, match="Unregistered"):
        keras.models.load_model(tmp_path / "m.kfront")  # the scope has ended


def test_custom_activation_function_by_custom_objects(tmp_path):
    x, _ = data()
    inp = keras.Input((4,))
    model = keras.Model(inp, keras.layers.Dense(2, activation=my_activation)(inp))
    model.save(tmp_path / "m.keras")
    with pytest.raises(ValueError, match="my_activation"):
        keras.models.load_model(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras",
                                     custom_objects={"my_activation": my_activation})
    assert loaded.layers[1].activation is my_activation
    np.testing.assert_allclose(_call(loaded, x), _call(model, x),
                               atol=1e-6)


def test_registered_name_is_package_qualified():
    from kfront.saving import get_registered_name, serialize_keras_object
    assert get_registered_name(Scale) == "kfront_tests>Scale"
    config = serialize_keras_object(Scale(2.0))
    assert config["class_name"] == "Scale"
    assert config["registered_name"] == "kfront_tests>Scale"
    with pytest.raises(ValueError):
        register_serializable(package="a>b")


@register_serializable(package="kfront_tests")
class TwoLayer(keras.Model):
    def __init__(self, hidden=5, **kwargs):
        super().__init__(**kwargs)
        self.hidden = hidden
        self.first = keras.layers.Dense(hidden, activation="relu")
        self.second = keras.layers.Dense(2)

    def call(self, x):
        return self.second(self.first(x))

    def get_config(self):
        return {**super().get_config(), "hidden": self.hidden}


def test_registered_subclassed_model(tmp_path):
    x, y = data()
    model = TwoLayer(7)
    model.compile("adam", "mse")
    model.fit(x, y, epochs=1, verbose=0)
    model.save(tmp_path / "m.kfront")
    loaded = keras.models.load_model(tmp_path / "m.kfront")
    assert isinstance(loaded, TwoLayer) and loaded.hidden == 7
    np.testing.assert_allclose(_call(loaded, x), _call(model, x), atol=1e-6)
    assert int(loaded.optimizer.iterations.numpy()) == 1
