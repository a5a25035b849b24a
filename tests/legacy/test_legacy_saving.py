"""``kfront.legacy.saving`` / ``kfront.utils.legacy``: Keras 2 configs in and out."""
import pytest

import kfront
from kfront.legacy import saving as legacy_saving
from kfront.utils import legacy as utils_legacy


def test_round_trip_of_a_layer():
    layer = kfront.layers.Dense(3, activation="relu", name="d")
    config = legacy_saving.serialize_keras_object(layer)
    assert config["class_name"] == "Dense" and config["config"]["units"] == 3
    assert "module" not in config
    again = utils_legacy.deserialize_keras_object(config)
    assert isinstance(again, kfront.layers.Dense) and again.units == 3 and again.name == "d"


def test_custom_and_module_objects_are_searched():
    class Scale(kfront.layers.Layer):
        def __init__(self, factor=2.0, **kwargs):
            super().__init__(**kwargs)
            self.factor = factor

        def get_config(self):
            return {**super().get_config(), "factor": self.factor}

    config = legacy_saving.serialize_keras_object(Scale(5.0))
    layer = legacy_saving.deserialize_keras_object(config, custom_objects={"Scale": Scale})
    assert layer.factor == 5.0
    fn = legacy_saving.deserialize_keras_object("f", module_objects={"f": len})
    assert fn is len
    opt = legacy_saving.deserialize_keras_object(
        {"class_name": "Adam", "config": {"learning_rate": 0.5}},
        printable_module_name="optimizer")
    assert isinstance(opt, kfront.optimizers.Adam)


def test_unknown_names_are_refused():
    with pytest.raises(ValueError, match="Unknown layer"):
        legacy_saving.deserialize_keras_object({"class_name": "Nope", "config": {}})
    with pytest.raises(ValueError, match="Unknown object: 'nope'"):
        legacy_saving.deserialize_keras_object("nope")
    with pytest.raises(ValueError, match="class_name"):
        legacy_saving.deserialize_keras_object({"config": {}})
