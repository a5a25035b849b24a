"""Malformed configs fail at `load_model` / `model_from_json` with one ValueError naming the
file (or `model_from_json`) and the part of the config at fault."""
import json
import zipfile

import pytest

import kfront as keras
from saving_models import functional_model


def _layer(config, name):
    return next(e for e in config["config"]["layers"] if e["name"] == name)


def _set_units(config):
    _layer(config, "d1")["config"]["units"] = "many"


def _unknown_argument(config):
    _layer(config, "d2")["config"]["bogus_argument"] = 1


def _bad_initializer(config):
    _layer(config, "d1")["config"]["kernel_initializer"] = {
        "module": "keras.initializers", "class_name": "RandomNormal",
        "config": {"stddev": [1, 2], "mean": {"x": 1}}, "registered_name": None}


def _short_history(config):
    node = _layer(config, "out")["inbound_nodes"][0]
    node["args"][0]["config"]["keras_history"] = ["drop"]


def _history_out_of_range(config):
    node = _layer(config, "out")["inbound_nodes"][0]
    node["args"][0]["config"]["keras_history"] = ["drop", 0, 7]


def _layers_not_list(config):
    config["config"]["layers"] = {"a": 1}


def _nested_deeply(config):
    _layer(config, "d1")["config"]["units"] = "DEEP"  # replaced in the text, see _text


def _nested_past_the_limit(config):
    _layer(config, "d1")["config"]["units"] = "DEEP300"


def _huge_int(config):
    _layer(config, "d2")["config"]["units"] = 10 ** 40


def _text(config):
    text = json.dumps(config).replace('"DEEP"', "[" * 100000 + "]" * 100000)
    return text.replace('"DEEP300"', "[" * 300 + "]" * 300)


_MUTATIONS = {"units": (_set_units, "d1"), "argument": (_unknown_argument, "bogus_argument"),
              "initializer": (_bad_initializer, "d1"),
              "short_history": (_short_history, r"keras_history.*\['drop'\]"),
              "history_range": (_history_out_of_range, r"\['drop', 0, 7\]"),
              "layers": (_layers_not_list, "'layers' must be a list"),
              "deep": (_nested_deeply, "recursion depth"),
              "deep300": (_nested_past_the_limit, "nested too deeply"),
              "huge_int": (_huge_int, "integer 10{40}")}


@pytest.fixture(scope="module")
def saved_config(tmp_path_factory):
    path = tmp_path_factory.mktemp("cfg") / "m.keras"
    functional_model().save(path)
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


@pytest.mark.parametrize("mutation", sorted(_MUTATIONS))
def test_malformed_archive_config(saved_config, tmp_path, mutation):
    edit, field = _MUTATIONS[mutation]
    config = json.loads(saved_config["config.json"])
    edit(config)
    path = tmp_path / "m.keras"
    with zipfile.ZipFile(path, "w") as z:
        for name, data in saved_config.items():
            z.writestr(name, _text(config) if name == "config.json" else data)
    with pytest.raises(ValueError, match=rf"m\.keras(.|\n)*({field})") as info:
        keras.models.load_model(path)
    print(mutation, info.value)


@pytest.mark.parametrize("mutation", sorted(_MUTATIONS))
def test_malformed_json_string(saved_config, mutation):
    edit, field = _MUTATIONS[mutation]
    config = json.loads(saved_config["config.json"])
    edit(config)
    with pytest.raises(ValueError, match=rf"model_from_json(.|\n)*({field})") as info:
        keras.models.model_from_json(_text(config))
    print(mutation, info.value)


@pytest.mark.parametrize("text", ["[1, 2]", "{not json", "3"])
def test_model_from_json_refuses_non_objects(text):
    with pytest.raises(ValueError, match="model_from_json"):
        keras.models.model_from_json(text)
