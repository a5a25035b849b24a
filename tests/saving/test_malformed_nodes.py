"""Functional configs whose node arguments have the wrong shape fail fast with a ValueError."""
import json
import signal
import zipfile

import pytest

import kfront as keras
from saving_models import functional_model


@pytest.fixture
def alarm():
    """Fails the test instead of hanging if loading loops (POSIX only)."""
    def timeout(*_):
        raise TimeoutError("loading did not finish within 60 s")
    previous = signal.signal(signal.SIGALRM, timeout)
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def _rewrite(path, edit):
    with zipfile.ZipFile(path) as z:
        members = {n: z.read(n) for n in z.namelist()}
    config = json.loads(members["config.json"])
    edit(config)
    members["config.json"] = json.dumps(config).encode()
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)


def _node(config, layer_name):
    layer = next(e for e in config["config"]["layers"] if e["name"] == layer_name)
    return layer["inbound_nodes"][0]


def test_iterating_a_symbolic_tensor_raises():
    x = keras.Input((3,))
    with pytest.raises(TypeError, match="Iterating over a symbolic KerasTensor"):
        list(x)
    with pytest.raises(TypeError, match="Iterating over a symbolic KerasTensor"):
        dict(x)
    with pytest.raises(TypeError):
        len(x)


@pytest.mark.parametrize("field", ["args", "kwargs"])
def test_single_tensor_in_place_of_args_or_kwargs(tmp_path, alarm, field):
    path = tmp_path / "m.keras"
    functional_model().save(path)

    def edit(config):
        node = _node(config, "d1")
        node[field] = node["args"][0]  # the lone tensor dict instead of a list / dict
    _rewrite(path, edit)
    with pytest.raises(ValueError, match=rf"m\.keras.*'{field}'.*single tensor"):
        keras.models.load_model(path)


@pytest.mark.parametrize("value", [3, "x", [1, 2]])
def test_kwargs_that_are_not_a_dict(tmp_path, alarm, value):
    path = tmp_path / "m.keras"
    functional_model().save(path)
    _rewrite(path, lambda config: _node(config, "d2").__setitem__("kwargs", value))
    with pytest.raises(ValueError, match=r"m\.keras.*'kwargs' must be a dict"):
        keras.models.load_model(path)


def test_args_that_are_not_a_list(tmp_path, alarm):
    path = tmp_path / "m.keras"
    functional_model().save(path)
    _rewrite(path, lambda config: _node(config, "cat").__setitem__("args", "abc"))
    with pytest.raises(ValueError, match=r"m\.keras.*'args' must be a list"):
        keras.models.load_model(path)
