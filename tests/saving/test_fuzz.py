"""Mutated files load or fail with a clean ValueError: never a crash, a hang or code run."""
import io
import json
import os
import zipfile

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kfront as keras
from saving_models import functional_model, sequential_model

_SETTINGS = settings(max_examples=40, deadline=None, derandomize=True,
                     suppress_health_check=list(HealthCheck))


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    keras.utils.set_random_seed(3)
    d = tmp_path_factory.mktemp("fuzz")
    model = sequential_model()
    model.compile("adam", "mse")
    model.save(d / "m.kfront")
    model.save_weights(d / "w.weights.h5")
    with zipfile.ZipFile(d / "m.kfront") as z:
        members = {n: z.read(n) for n in z.namelist()}
    return d, members


def _mutate(data, edits):
    data = bytearray(data)
    for position, value in edits:
        if data:
            data[position % len(data)] = value
    return bytes(data)


def _load_cleanly(path, load):
    before = set(os.listdir(os.path.dirname(path)))
    try:
        result = load(path)
    except ValueError as e:
        assert os.path.basename(str(path)) in str(e)
        result = None
    assert set(os.listdir(os.path.dirname(path))) == before  # nothing written
    return result


_edits = st.lists(st.tuples(st.integers(0, 10 ** 6), st.integers(0, 255)), min_size=1,
                  max_size=8)


@_SETTINGS
@given(edits=_edits, cut=st.one_of(st.none(), st.integers(0, 10 ** 6)))
def test_mutated_archive_bytes(saved, edits, cut, tmp_path_factory):
    d, _ = saved
    data = _mutate((d / "m.kfront").read_bytes(), edits)
    if cut is not None:
        data = data[: cut % (len(data) + 1)]
    path = tmp_path_factory.mktemp("case") / "m.kfront"
    path.write_bytes(data)
    _load_cleanly(path, keras.models.load_model)


@_SETTINGS
@given(member=st.sampled_from(["config.json", "model.weights.h5", "metadata.json"]),
       edits=_edits)
def test_mutated_members_in_a_valid_zip(saved, member, edits, tmp_path_factory):
    d, members = saved
    path = tmp_path_factory.mktemp("case") / "m.kfront"
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(name, _mutate(data, edits) if name == member else data)
    model = _load_cleanly(path, keras.models.load_model)
    if model is not None:
        model.predict(np.zeros((2, 4), "float32"), verbose=0)


def _json_values(config):
    """Every (path, value) leaf of a JSON tree."""
    if isinstance(config, dict):
        for k, v in config.items():
            for path, leaf in _json_values(v):
                yield (k,) + path, leaf
    elif isinstance(config, list):
        for i, v in enumerate(config):
            for path, leaf in _json_values(v):
                yield (i,) + path, leaf
    else:
        yield (), config


@_SETTINGS
@given(index=st.integers(0, 10 ** 4),
       value=st.one_of(st.none(), st.booleans(), st.integers(-10 ** 12, 10 ** 12),
                       st.floats(allow_nan=True), st.text(max_size=20),
                       st.just({"class_name": "__lambda__", "config": {"code": "AAAA"}}),
                       st.just({"module": "os", "class_name": "system", "config": {}}),
                       st.lists(st.integers(-3, 10 ** 6), max_size=4)))
def test_mutated_config_values(saved, index, value, tmp_path_factory):
    _load_cleanly(_with_config_leaf(saved, index, value, tmp_path_factory),
                  keras.models.load_model)


def _with_config_leaf(saved, index, value, tmp_path_factory):
    """The saved archive with one leaf of its config (picked by ``index``) set to ``value``."""
    _, members = saved
    config = json.loads(members["config.json"])
    leaves = list(_json_values(config))
    path_in_config, _ = leaves[index % len(leaves)]
    target = config
    for key in path_in_config[:-1]:
        target = target[key]
    if path_in_config:
        target[path_in_config[-1]] = value
    path = tmp_path_factory.mktemp("case") / "m.kfront"
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(name, json.dumps(config) if name == "config.json" else data)
    return path


@_SETTINGS
@given(edits=_edits)
def test_mutated_weights_file(saved, edits, tmp_path_factory):
    d, _ = saved
    path = tmp_path_factory.mktemp("case") / "w.weights.h5"
    path.write_bytes(_mutate((d / "w.weights.h5").read_bytes(), edits))
    model = sequential_model()
    _load_cleanly(path, model.load_weights)


@pytest.fixture(scope="module")
def saved_functional(tmp_path_factory):
    keras.utils.set_random_seed(4)
    path = tmp_path_factory.mktemp("fuzz_functional") / "f.kfront"
    functional_model().save(path)
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def _inbound_nodes(config):
    return [node for layer in config["config"]["layers"]
            for node in layer.get("inbound_nodes", [])]


# A node's args/kwargs replaced by one of its own tensors, another value, or dropped: on JAX a
# lone tensor where a list belongs once made the loader iterate it forever.
@_SETTINGS
@given(index=st.integers(0, 10 ** 4), field=st.sampled_from(["args", "kwargs"]),
       shape=st.sampled_from(["lone_tensor", "none", "int", "string", "nested", "missing"]))
def test_mutated_functional_node_arguments(saved_functional, index, field, shape,
                                           tmp_path_factory):
    config = json.loads(saved_functional["config.json"])
    nodes = _inbound_nodes(config)
    node = nodes[index % len(nodes)]
    tensor = next((a for a in node.get("args", []) if isinstance(a, dict)), {})
    node[field] = {"lone_tensor": tensor, "none": None, "int": 7, "string": "x",
                   "nested": [[[tensor]]], "missing": None}[shape]
    if shape == "missing":
        del node[field]
    path = tmp_path_factory.mktemp("case") / "f.kfront"
    with zipfile.ZipFile(path, "w") as z:
        for name, data in saved_functional.items():
            z.writestr(name, json.dumps(config) if name == "config.json" else data)
    model = _load_cleanly(path, keras.models.load_model)
    if model is not None:
        model.predict(np.zeros((2, 4), "float32"), verbose=0)


_BIG = st.integers(10 ** 4, 2 ** 31 - 1)


@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
@given(index=st.integers(0, 10 ** 4), value=st.one_of(_BIG, st.lists(_BIG, min_size=1,
                                                                       max_size=4)))
def test_declared_sizes_are_bounded_before_allocation(saved, index, value, tmp_path_factory):
    """Sizes up to the largest config integer anywhere in the config: refused (or loaded)
    without the loader allocating what they declare."""
    from tests.peak_memory import peak_kb, reset_peak
    path = _with_config_leaf(saved, index, value, tmp_path_factory)
    if not reset_peak():
        pytest.skip("this system cannot reset its peak memory counter")
    before = peak_kb()
    _load_cleanly(path, keras.models.load_model)
    grown_kb = peak_kb() - before
    assert grown_kb < 1024 ** 2, f"peak RSS grew by {grown_kb / 1024:.0f} MiB"


@settings(max_examples=15, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
@given(depth=st.integers(1, 20000), member=st.sampled_from(["config.json", "metadata.json",
                                                           "model.weights.h5"]),
       inflate=st.integers(0, 80 * 1024 ** 2))
def test_nesting_and_inflation(saved, depth, member, inflate, tmp_path_factory):
    """Deeply nested JSON and members that inflate far beyond their stored size."""
    _, members = saved
    members = dict(members)
    if member.endswith(".json"):
        members[member] = ("[" * depth + "]" * depth).encode()
    else:
        members[member] = bytes(inflate)
    path = tmp_path_factory.mktemp("case") / "m.kfront"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    _load_cleanly(path, keras.models.load_model)
