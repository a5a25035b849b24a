"""A file may name a registered function, but only the keyword arguments that function
declares reach it (a ``**kwargs`` catch-all does not let the file choose more)."""
import json

import numpy as np
import pytest

import kfront as keras

CALLS = []


def scaled_error(y_true, y_pred, scale=1.0, **kwargs):
    CALLS.append(kwargs)
    return keras.ops.mean(keras.ops.square(y_true - y_pred), axis=-1) * scale


def times(x, factor=2.0, **kwargs):
    CALLS.append(kwargs)
    return x * factor


@pytest.fixture
def custom():
    CALLS.clear()
    return {"scaled_error": scaled_error, "times": times}


def test_loss_wrapper_arguments(custom):
    good = {"class_name": "LossFunctionWrapper", "config": {
        "fn": {"class_name": "function", "config": "scaled_error"}, "scale": 3.0, "reduction": "sum_over_batch_size",
        "name": "loss"}}
    with keras.saving.custom_object_scope(custom):
        loss = keras.losses.deserialize(good, custom_objects=custom)
        assert float(loss(np.zeros((2, 1)), np.ones((2, 1)))) == pytest.approx(3.0)
        bad = json.loads(json.dumps(good))
        bad["config"]["command"] = "rm -rf /"
        with pytest.raises(ValueError, match=r"passes \['command'\] to 'scaled_error', which "
                                             r"does not declare them"):
            keras.losses.deserialize(bad, custom_objects=custom)
    assert CALLS == [{}]


def test_lambda_arguments_in_a_saved_model(custom, tmp_path):
    inputs = keras.Input((2,))
    model = keras.Model(inputs, keras.layers.Lambda(times, arguments={"factor": 3.0},
                                                    name="lam")(inputs))
    config = json.loads(model.to_json())
    lam = [c for c in config["config"]["layers"] if c["class_name"] == "Lambda"][0]
    # The file names the registered function instead of carrying its code.
    lam["config"]["function"] = {"class_name": "function", "config": "times"}
    loaded = keras.models.model_from_json(json.dumps(config), custom_objects=custom)
    np.testing.assert_allclose(loaded.predict(np.ones((1, 2)), verbose=0), [[3.0, 3.0]])
    lam["config"]["arguments"]["shell"] = "id"
    with pytest.raises(ValueError, match=r"passes \['shell'\] to 'times'"):
        keras.models.model_from_json(json.dumps(config), custom_objects=custom)
    # Trusted files may still do it.
    keras.models.model_from_json(json.dumps(config), custom_objects=custom, safe_mode=False)
