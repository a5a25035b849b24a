"""Files that would make the loader allocate far more than they hold are refused before the
allocation: declared weights, zip bombs, huge JSON, op nodes with constant shapes."""
import json
import os
import subprocess
import sys
import textwrap
import zipfile

import numpy as np
import pytest

import kfront as keras
from hostile_files import edit_archive_config, layers_of, rewrite_member

GiB = 1024 ** 3


def _small(path):
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, name="d")])
    model.save(path)
    return model


def _declare_huge_dense(config):
    # 40000 x 40000 float32 = 6.4 GB, next to a 12-float kernel in the weights file.
    config["config"]["layers"][0]["config"]["batch_shape"] = [None, 40000]
    config["config"]["build_input_shape"] = [None, 40000]
    layers_of(config)[1]["config"]["units"] = 40000


def test_declared_6gb_dense_in_archive(tmp_path):
    path = str(tmp_path / "m.kfront")
    _small(path)
    edit_archive_config(path, _declare_huge_dense)
    with pytest.raises(ValueError, match=r"creating variable 'kernel' of shape \(40000, 40000\)"
                                         r".*set_load_limits"):
        keras.models.load_model(path)


def test_declared_6gb_dense_in_json():
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, name="d")])
    config = json.loads(model.to_json())
    _declare_huge_dense(config)
    with pytest.raises(ValueError, match=r"would take the model's variables past 4294967296 "
                                         r"bytes"):
        keras.models.model_from_json(json.dumps(config))


def test_limits_can_be_raised_and_are_checked():
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(300, name="d")])
    config = model.to_json()
    previous = keras.saving.set_load_limits(max_variable_bytes=1000)
    try:
        with pytest.raises(ValueError, match="past 1000 bytes"):
            keras.models.model_from_json(config)
        keras.saving.set_load_limits(max_variable_bytes=10_000)
        assert keras.models.model_from_json(config).count_params() == 1500
    finally:
        keras.saving.set_load_limits(**previous)
    assert keras.saving.get_load_limits() == previous
    with pytest.raises(ValueError, match="unknown limit 'max_ram'"):
        keras.saving.set_load_limits(max_ram=1)
    with pytest.raises(ValueError, match="max_config_bytes must be a positive number"):
        keras.saving.set_load_limits(max_config_bytes=-1)


def test_zip_bomb_member(tmp_path):
    path = str(tmp_path / "m.kfront")
    _small(path)
    # 96 MiB of zeros deflate to about 100 KB: over 900 times.
    rewrite_member(path, "model.weights.h5", bytes(96 * 1024 ** 2))
    assert os.path.getsize(path) < 1024 ** 2
    with pytest.raises(ValueError, match="refused as a decompression bomb"):
        keras.models.load_model(path)
    with pytest.raises(ValueError, match="refused as a decompression bomb"):
        keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)]).load_weights(path)


def test_member_claiming_more_than_the_limit(tmp_path):
    path = str(tmp_path / "m.kfront")
    _small(path)
    previous = keras.saving.set_load_limits(max_member_bytes=1000)
    try:
        with pytest.raises(ValueError, match=r"claims \d+ bytes, more than the limit of 1000"):
            keras.models.load_model(path)
    finally:
        keras.saving.set_load_limits(**previous)


def test_huge_json_of_empty_lists(tmp_path):
    path = str(tmp_path / "m.kfront")
    _small(path)
    blob = b'{"class_name": "Sequential", "config": {"layers": [' + b"[]," * (23 * 1024 ** 2) \
        + b"[]]}}"
    rewrite_member(path, "config.json", blob)
    assert os.path.getsize(path) < 2 * 1024 ** 2
    with pytest.raises(ValueError, match="decompression bomb|more than the limit"):
        keras.models.load_model(path)
    with pytest.raises(ValueError, match=r"the JSON is \d+ bytes, more than the limit of 67108864"):
        keras.models.model_from_json(blob)


def test_deeply_nested_json_is_a_clean_error():
    with pytest.raises(ValueError, match="not valid JSON|nested too deeply"):
        keras.models.model_from_json("[" * 200_000 + "]" * 200_000)
    level = '{"class_name": "Sequential", "config": {"layers": ['
    for depth in (300, 5000):
        text = level * depth + "]}}" * depth
        with pytest.raises(ValueError, match="nested too deeply|not valid JSON"):
            keras.models.model_from_json(text)


def test_op_node_without_tensor_inputs(tmp_path):
    inputs = keras.Input((3,), name="x")
    outputs = keras.ops.add(inputs, 1.0)
    model = keras.Model(inputs, outputs)
    config = json.loads(model.to_json())
    op = [c for c in layers_of(config) if c["class_name"] == "OpLayer"][0]
    op["config"]["op_name"] = "ones"
    op["inbound_nodes"] = [{"args": [[60000, 60000]], "kwargs": {}}]
    with pytest.raises(ValueError, match="takes no tensor from another layer"):
        keras.models.model_from_json(json.dumps(config))


_PEAK = """
import sys
import numpy as np
sys.path.insert(0, sys.argv[3])
import kfront as keras
from tests.peak_memory import peak_kb
path = sys.argv[1]
# The engine's own footprint: import, then build and run a small model.
small = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])
small.predict(np.ones((2, 4), "float32"), verbose=0)
print("base_kb", peak_kb())
for fn in (lambda: keras.models.load_model(path),
           lambda: keras.models.model_from_json(open(sys.argv[2]).read())):
    try:
        fn()
    except ValueError as e:
        print("refused:", str(e)[:80])
print("peak_kb", peak_kb())
"""


def test_peak_memory_of_refused_loads_stays_small(tmp_path):
    """In a fresh process the refused 6 GB files leave the peak RSS where the engine's own
    footprint put it."""
    path = str(tmp_path / "m.kfront")
    _small(path)
    edit_archive_config(path, _declare_huge_dense)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])
    config = json.loads(model.to_json())
    _declare_huge_dense(config)
    (tmp_path / "c.json").write_text(json.dumps(config))
    env = dict(os.environ, KFRONT_BACKEND=keras.backend.backend(), TF_CPP_MIN_LOG_LEVEL="3")
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    proc = subprocess.run([sys.executable, "-c", _PEAK, path, str(tmp_path / "c.json"), root],
                          env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.count("refused:") == 2, proc.stdout
    base_kb = int(proc.stdout.split("base_kb")[1].split()[0])
    peak_kb = int(proc.stdout.split("peak_kb")[-1])
    # Allocating what the files declare would add 6 GB; the refusals add next to nothing.
    assert peak_kb - base_kb < 512 * 1024, \
        f"peak RSS grew from {base_kb / 1024:.0f} to {peak_kb / 1024:.0f} MiB"


@pytest.mark.slow
def test_a_genuine_1gb_model_still_loads(tmp_path):
    model = keras.Sequential([keras.Input((1,), dtype="int32"),
                              keras.layers.Embedding(262_144, 1024, name="emb")])
    path = str(tmp_path / "big.kfront")
    model.save(path)
    loaded = keras.models.load_model(path)
    np.testing.assert_array_equal(loaded.get_layer("emb").embeddings.numpy()[::4096],
                                  model.get_layer("emb").embeddings.numpy()[::4096])
