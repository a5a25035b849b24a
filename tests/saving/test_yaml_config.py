"""``Model.to_yaml`` / ``models.model_from_yaml``: the JSON config in YAML, read safely."""
import sys

import numpy as np
import pytest

import kfront as keras

pytest.importorskip("yaml")


def _model():
    inputs = keras.Input((6,), name="x")
    h = keras.layers.Dense(5, activation="relu", name="hidden")(inputs)
    out = keras.layers.Dense(2, activation="softmax", name="out")(keras.layers.Dropout(0.2)(h))
    return keras.Model(inputs, out, name="mlp")


def test_round_trip_rebuilds_the_same_model():
    model = _model()
    text = model.to_yaml()
    assert text.startswith("class_name: Functional")
    clone = keras.models.model_from_yaml(text)
    assert [type(layer).__name__ for layer in clone.layers] == \
        [type(layer).__name__ for layer in model.layers]
    assert clone.get_layer("hidden").get_config() == model.get_layer("hidden").get_config()
    clone.set_weights(model.get_weights())
    x = np.random.default_rng(0).normal(size=(4, 6)).astype("float32")
    np.testing.assert_allclose(clone.predict(x, verbose=0), model.predict(x, verbose=0),
                               rtol=1e-6)
    assert keras.models.model_from_yaml(model.to_yaml().encode()).name == "mlp"
    assert "  - " in model.to_yaml(indent=4)          # kwargs reach yaml.safe_dump


@pytest.mark.parametrize("payload, message", [
    ('!!python/object/apply:os.system ["echo pwned"]', "YAML tag .*python/object/apply"),
    ("class_name: !!python/name:os.system x", "YAML tag .*python/name:os.system"),
    ("a: &x [1, 2]\nb: [*x, *x]", "anchors and aliases are not allowed"),
    ("class_name: Dense\nconfig: {units: 99999999999999}", "beyond the limit"),
    ("- just\n- a list", "expected a YAML mapping"),
    ("class_name: [unclosed", "not valid YAML"),
    ("class_name: Lambda\nconfig: {function: {class_name: __lambda__, config: "
     "{code: AAAA}}}", "lambda/function stored as code.*disallowed in safe_mode"),
])
def test_hostile_or_malformed_yaml_is_refused(payload, message, capfd):
    with pytest.raises(ValueError, match=message):
        keras.models.model_from_yaml(payload)
    assert "pwned" not in capfd.readouterr().out


def test_not_a_string():
    with pytest.raises(ValueError, match="expected a YAML string, received int"):
        keras.models.model_from_yaml(3)


def test_missing_pyyaml_names_the_extra(monkeypatch):
    model = _model()
    monkeypatch.setitem(sys.modules, "yaml", None)
    with pytest.raises(ImportError, match=r'PyYAML: pip install "kfront\[yaml\]"'):
        model.to_yaml()
    with pytest.raises(ImportError, match=r'PyYAML: pip install "kfront\[yaml\]"'):
        keras.models.model_from_yaml("class_name: Sequential")
