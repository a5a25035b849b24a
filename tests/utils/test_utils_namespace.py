"""The kfront.utils names Keras 3 exports: Config, (un)packing x/y/sample_weight,
get_source_inputs, and the re-exports that are one object with their home module's."""
import pytest

import kfront as keras


def test_config_attributes_items_and_freezing():
    config = keras.utils.Config(learning_rate=0.1, momentum=0.9)
    config.units = 32
    config["depth"] = 2
    assert config.learning_rate == 0.1 and config["units"] == 32 and "depth" in config
    assert list(config) == ["depth", "learning_rate", "momentum", "units"]  # sorted
    assert len(config) == 4 and config.get("missing", 7) == 7
    assert config.as_dict() == {"learning_rate": 0.1, "momentum": 0.9, "units": 32, "depth": 2}
    assert config.to_json() == '{"learning_rate": 0.1, "momentum": 0.9, "units": 32, "depth": 2}'
    with pytest.raises(AttributeError, match="Unknown attribute: 'learning_rat'. Did you mean "
                                             "'learning_rate'"):
        config.learning_rat
    config.freeze()
    assert config.frozen
    for mutate in (lambda: setattr(config, "units", 64), lambda: config.update(units=1),
                   lambda: config.pop("units"), lambda: config.__setitem__("units", 1),
                   lambda: config.__delitem__("units")):
        with pytest.raises(ValueError, match="the config is frozen"):
            mutate()
    config.unfreeze()
    config.units = 64
    assert config.units == 64


def test_pack_and_unpack_x_y_sample_weight():
    assert keras.utils.pack_x_y_sample_weight(1) == 1
    assert keras.utils.pack_x_y_sample_weight([1, 2]) == ([1, 2],)
    assert keras.utils.pack_x_y_sample_weight(1, 2) == (1, 2)
    assert keras.utils.pack_x_y_sample_weight(1, 2, 3) == (1, 2, 3)
    assert keras.utils.unpack_x_y_sample_weight([1, 2]) == (1, 2, None)
    assert keras.utils.unpack_x_y_sample_weight((1,)) == (1, None, None)
    assert keras.utils.unpack_x_y_sample_weight((1, 2, 3)) == (1, 2, 3)
    assert keras.utils.unpack_x_y_sample_weight(5) == (5, None, None)
    with pytest.raises(ValueError, match="received a tuple of 4 elements"):
        keras.utils.unpack_x_y_sample_weight((1, 2, 3, 4))


def test_get_source_inputs_walks_to_the_inputs_once_each():
    a, b = keras.Input((3,)), keras.Input((3,))
    h = keras.layers.Dense(3)(a)
    out = keras.layers.Add()([h, b, a])
    sources = keras.utils.get_source_inputs(out)
    assert len(sources) == 2 and sources[0] is a and sources[1] is b
    assert keras.utils.get_source_inputs(a)[0] is a
    assert keras.utils.get_source_inputs(5) == 5


def test_reexports_are_the_objects_of_their_home_modules():
    from kfront.backend import keras_tensor
    assert keras.utils.is_keras_tensor is keras_tensor.is_keras_tensor
    assert keras.utils.is_keras_tensor(keras.Input((2,)))
    assert keras.utils.standardize_dtype is keras.backend.standardize_dtype
    assert keras.utils.clear_session is keras.backend.clear_session
    for name in ("CustomObjectScope", "custom_object_scope", "get_custom_objects",
                 "get_registered_name", "get_registered_object",
                 "register_keras_serializable", "serialize_keras_object",
                 "deserialize_keras_object"):
        assert getattr(keras.utils, name) is getattr(keras.saving, name), name
    assert keras.utils.is_interactive_logging_enabled is \
        keras.utils.io_utils.is_interactive_logging_enabled
    assert "Config" in dir(keras.utils)


def test_registered_objects_round_trip_through_utils():
    @keras.utils.register_keras_serializable(package="surface_tests")
    class Scale(keras.layers.Layer):
        def call(self, x):
            return x * 2.0

    assert keras.utils.get_registered_name(Scale) == "surface_tests>Scale"
    assert keras.utils.get_registered_object("surface_tests>Scale") is Scale
    config = keras.utils.serialize_keras_object(Scale(name="s"))
    with keras.utils.custom_object_scope({"Scale": Scale}):
        layer = keras.utils.deserialize_keras_object(config)
    assert isinstance(layer, Scale) and layer.name == "s"
