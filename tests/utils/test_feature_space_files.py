"""FeatureSpace files across libraries: a FeatureSpace Keras saved (alone, and the model of
Keras's structured-data tutorial built on it) loads in kfront and encodes the same inputs
to the same outputs; kfront's ``.keras`` FeatureSpace file loads in Keras and does too."""
import numpy as np
import pytest

import kfront as keras
from keras_reference import keras_numbers
from kfront.utils import FeatureSpace
from test_feature_space import DATA, SPEC, crosses, spec

_WRITE = SPEC + """
import os, tempfile
import tensorflow as tf
F = keras.utils.FeatureSpace
fs = F(spec(F), crosses=crosses(F)[:1], crossing_dim=7, hashing_dim=8, output_mode="concat")
fs.adapt(tf.data.Dataset.from_tensor_slices(inp).batch(10))
out["encoded"] = np.asarray(fs(dict(inp)))
folder = tempfile.mkdtemp()
fs.save(os.path.join(folder, "fs.keras"))
out["space_file"] = np.frombuffer(open(os.path.join(folder, "fs.keras"), "rb").read(), np.uint8)
encoded = fs.get_encoded_features()
hidden = keras.layers.Dense(4, activation="relu", kernel_initializer="ones")(encoded)
model = keras.Model(encoded, keras.layers.Dense(1, kernel_initializer="ones")(hidden))
model.save(os.path.join(folder, "model.keras"))
out["model_file"] = np.frombuffer(open(os.path.join(folder, "model.keras"), "rb").read(),
                                  np.uint8)
out["model_predict"] = model.predict(fs(dict(inp)), verbose=0)
"""

_READ = """
import os, tempfile
path = os.path.join(tempfile.mkdtemp(), "fs.keras")
open(path, "wb").write(inp["space_file"].tobytes())
fs = keras.saving.load_model(path)
data = {k[5:]: v for k, v in inp.items() if k.startswith("data.")}
out["type"] = np.array(type(fs).__name__)
out["encoded"] = np.asarray(fs(data))
"""


def _np(x):
    return keras.ops.convert_to_numpy(x)


@pytest.fixture(scope="module")
def written():
    return keras_numbers(_WRITE, **DATA)


def test_a_keras_saved_feature_space_loads_and_encodes_the_same(tmp_path, written):
    path = tmp_path / "fs.keras"
    path.write_bytes(written["space_file"].tobytes())
    fs = keras.saving.load_model(path)
    assert isinstance(fs, FeatureSpace) and sorted(fs.features) == sorted(DATA)
    np.testing.assert_allclose(_np(fs(DATA)), written["encoded"], rtol=1e-5, atol=1e-5)


def test_a_keras_model_on_encoded_features_loads_and_predicts_the_same(tmp_path, written):
    space, model_path = tmp_path / "fs.keras", tmp_path / "model.keras"
    space.write_bytes(written["space_file"].tobytes())
    model_path.write_bytes(written["model_file"].tobytes())
    fs = keras.saving.load_model(space)
    model = keras.saving.load_model(model_path)
    np.testing.assert_allclose(model.predict(fs(DATA), verbose=0), written["model_predict"],
                               rtol=1e-5, atol=1e-4)


def test_kfront_feature_space_file_loads_in_keras(tmp_path):
    fs = FeatureSpace(spec(FeatureSpace), crosses=crosses(FeatureSpace)[:1], crossing_dim=7,
                      hashing_dim=8, output_mode="concat")
    fs.adapt(DATA)
    fs.save(tmp_path / "fs.keras")
    arrays = {f"data.{k}": v for k, v in DATA.items()}
    got = keras_numbers(_READ, space_file=np.frombuffer((tmp_path / "fs.keras").read_bytes(),
                                                        np.uint8), **arrays)
    assert str(got["type"]) == "FeatureSpace"
    np.testing.assert_allclose(got["encoded"], _np(fs(DATA)), rtol=1e-5, atol=1e-5)
