"""A config naming a local file as a lookup layer's ``vocabulary`` must not read it at load
(the CVE-2025-12058 pattern), through any entry point, on every backend."""
import json

import numpy as np
import pytest

import kfront as keras
from hostile_files import edit_archive_config, edit_h5_config, layers_of

SECRET = "root-password-hunter2"
REFUSED = r"asks to read the vocabulary file .*disallowed in safe mode"


@pytest.fixture
def secret_file(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text(f"{SECRET}\nssh-private-key\n")
    return str(path)


def _model(kind):
    # String layers run on the host, before the engine: a model holding one is a Sequential
    # of them (what an attacker ships only has to be loadable up to the layer's config).
    if kind == "StringLookup":
        layer = keras.layers.StringLookup(vocabulary=["a", "b"], name="lookup")
    else:
        layer = keras.layers.TextVectorization(vocabulary=["a", "b"], name="lookup")
    return keras.Sequential([layer])


def _point_at(secret):
    def edit(config):
        for layer in layers_of(config):
            if layer["class_name"] in ("StringLookup", "TextVectorization"):
                layer["config"]["vocabulary"] = secret
    return edit


def _no_secret(error):
    assert SECRET not in str(error.value).replace("secret.txt", "")


@pytest.mark.parametrize("kind", ["StringLookup", "TextVectorization"])
@pytest.mark.parametrize("suffix", [".kfront", ".keras"])
def test_archives(tmp_path, secret_file, kind, suffix):
    path = str(tmp_path / f"m{suffix}")
    _model(kind).save(path)
    edit_archive_config(path, _point_at(secret_file))
    with pytest.raises(ValueError, match=REFUSED) as e:
        keras.models.load_model(path)
    _no_secret(e)
    # The escape hatch for trusted files still works, as in Keras.
    model = keras.models.load_model(path, safe_mode=False)
    assert SECRET in model.get_layer("lookup").get_vocabulary()


@pytest.mark.parametrize("kind", ["StringLookup", "TextVectorization"])
def test_json_config_and_deserialize(secret_file, kind):
    model = _model(kind)
    config = json.loads(model.to_json())
    _point_at(secret_file)(config)
    with pytest.raises(ValueError, match=REFUSED):
        keras.models.model_from_json(json.dumps(config))
    with pytest.raises(ValueError, match=REFUSED):
        keras.saving.deserialize_keras_object(config)
    layer_config = [c for c in layers_of(config) if c["class_name"] == kind][0]
    with pytest.raises(ValueError, match=REFUSED):
        keras.saving.deserialize_keras_object(layer_config)
    cls = getattr(keras.layers, kind)
    with pytest.raises(ValueError, match=REFUSED):
        cls.from_config(layer_config["config"])


def test_legacy_h5(tmp_path, secret_file):
    path = str(tmp_path / "m.h5")
    _model("StringLookup").save(path)
    edit_h5_config(path, _point_at(secret_file))
    with pytest.raises(ValueError, match=REFUSED):
        keras.models.load_model(path)


def test_user_code_still_reads_its_own_file(secret_file):
    layer = keras.layers.StringLookup(vocabulary=secret_file)
    assert layer.get_vocabulary()[1:] == [SECRET, "ssh-private-key"]
    out = keras.ops.convert_to_numpy(layer(np.array(["ssh-private-key"])))
    assert out.tolist() == [2]


_KERAS_ADAPTED = r'''
import os, sys
import numpy as np
import keras
d = sys.argv[1]
lookup = keras.layers.StringLookup(name="lookup")
lookup.adapt(np.array(["a", "b", "b", "c"]))
keras.Sequential([lookup]).save(os.path.join(d, "lookup.keras"))
np.save(os.path.join(d, "lookup.npy"), np.asarray(lookup(np.array(["b", "c", "zz"]))))
text = keras.layers.TextVectorization(name="tv")
text.adapt(np.array(["a b b", "c a"]))
keras.Sequential([text]).save(os.path.join(d, "text.keras"))
np.save(os.path.join(d, "text.npy"), np.asarray(text(np.array(["b c q"]))))
'''


def test_keras_adapted_vocabulary_comes_from_the_archive_assets(tmp_path):
    """Keras 3 writes an adapted vocabulary as an asset inside the archive: it is read from
    there (the file's own bytes), with the same lookups as Keras."""
    import os
    import subprocess
    import sys
    pytest.importorskip("keras")
    proc = subprocess.run([sys.executable, "-c", _KERAS_ADAPTED, str(tmp_path)],
                          capture_output=True, text=True, timeout=600,
                          env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3"))
    assert proc.returncode == 0, proc.stderr[-2000:]
    lookup = keras.models.load_model(str(tmp_path / "lookup.keras")).layers[0]
    np.testing.assert_array_equal(
        keras.ops.convert_to_numpy(lookup(np.array(["b", "c", "zz"]))),
        np.load(tmp_path / "lookup.npy"))
    text = keras.models.load_model(str(tmp_path / "text.keras")).layers[0]
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(text(np.array(["b c q"]))),
                                  np.load(tmp_path / "text.npy"))
