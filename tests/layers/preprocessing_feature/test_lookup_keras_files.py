"""Lookup layers saved by Keras 3.15 (with `oov_method`, `salt`, `vocabulary_size` in their
configs) load in kfront and give Keras's outputs."""
import os
import subprocess
import sys

import numpy as np
import pytest

import kfront as keras

_SAVE = r'''
import sys, numpy as np, keras
d = sys.argv[1]
# String layers run before a kfront model (engine tensors hold no strings): an unbuilt
# Sequential carries the layer.
s = keras.Sequential([keras.layers.StringLookup(
    vocabulary=["a", "b", "c"], num_oov_indices=2, mask_token="")])
s.save(d + "/string.keras")
np.save(d + "/string.npy", keras.ops.convert_to_numpy(s(np.array(S, dtype=object))))
i_in = keras.Input((4,), dtype="int64")
i = keras.Model(i_in, keras.layers.IntegerLookup(
    vocabulary=[3, 5, 7], num_oov_indices=3, output_mode="count")(i_in))
i.save(d + "/integer.keras")
np.save(d + "/integer.npy", keras.ops.convert_to_numpy(i(np.array(I))))
'''
_S = [["a", "zz", "c", ""], ["b", "q", "a", "xy"]]
_I = [[3, 4, 7, 9], [11, 5, 5, 0]]


@pytest.fixture(scope="module")
def keras_files(tmp_path_factory):
    d = tmp_path_factory.mktemp("lookup")
    code = _SAVE.replace("S,", f"{_S!r},").replace("I)", f"{_I!r})")
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", OMP_NUM_THREADS="1")
    env.pop("KERAS_BACKEND", None)
    proc = subprocess.run([sys.executable, "-c", code, str(d)], env=env, capture_output=True,
                          text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return d


@pytest.mark.parametrize("kind, x", [("string", np.array(_S, dtype=object)),
                                     ("integer", np.array(_I, "int64"))])
def test_keras_lookup_file_loads_with_the_same_outputs(keras_files, kind, x):
    model = keras.models.load_model(keras_files / f"{kind}.keras")
    layer = model.layers[-1]
    assert layer.oov_method == "floormod" and layer.salt is None
    # kfront applies string layers to the data, outside a model.
    got = keras.ops.convert_to_numpy(layer(x) if kind == "string" else model(x))
    np.testing.assert_array_equal(got, np.load(keras_files / f"{kind}.npy"))


def test_config_round_trip_keeps_keras_keys():
    layer = keras.layers.StringLookup(vocabulary=["a", "b"], oov_method="farmhash")
    config = layer.get_config()
    assert config["vocabulary_size"] == 3 and config["oov_method"] == "farmhash"
    assert keras.layers.StringLookup.from_config(config).get_config() == config


def test_unsupported_or_unknown_values_are_refused():
    with pytest.raises(ValueError, match="`oov_method` must be one of .*Received: oov_method='x'"):
        keras.layers.IntegerLookup(vocabulary=[1], oov_method="x")
    with pytest.raises(ValueError, match="IntegerLookup: `oov_method='farmhash'`.*not supported"):
        keras.layers.IntegerLookup(vocabulary=[1], num_oov_indices=2, oov_method="farmhash")
    with pytest.raises(ValueError, match="`salt`.*not supported.*Received: salt=3"):
        keras.layers.StringLookup(vocabulary=["a"], num_oov_indices=2, salt=3)
    with pytest.raises(ValueError, match="`salt` must be an integer or a pair"):
        keras.layers.StringLookup(vocabulary=["a"], salt="x")
    with pytest.raises(ValueError, match="`vocabulary_size`=9 does not match"):
        keras.layers.StringLookup(vocabulary=["a"], vocabulary_size=9)
