"""A model's architecture as YAML: ``Model.to_yaml`` and ``models.model_from_yaml``.

Keras 2 had both and dropped them because its loader could build arbitrary Python objects
from YAML tags. Here YAML is only another spelling of the JSON config: it is read with
``yaml.safe_load`` after a first pass that refuses every tag and every alias (an alias
lets a small file expand into an exponentially large config), then goes through the same
checks and the same safe-mode deserialization as ``model_from_json``.
"""
import json

_HINT = 'pip install "kfront[yaml]"'
_PLAIN_TAGS = {None, "!", "tag:yaml.org,2002:str", "tag:yaml.org,2002:int",
               "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null",
               "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"}


def _yaml():
    try:
        import yaml
    except ImportError:
        raise ImportError(f"YAML model configs need PyYAML: {_HINT}.") from None
    return yaml


def model_to_yaml(model, **kwargs):
    """The architecture of ``model`` as a YAML string (``kwargs`` go to ``yaml.safe_dump``)."""
    yaml = _yaml()
    return yaml.safe_dump(json.loads(model.to_json()), **kwargs)


def _check_events(yaml, text):
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise ValueError("YAML anchors and aliases are not allowed in a model config.")
        tag = getattr(event, "tag", None)
        if tag not in _PLAIN_TAGS:
            raise ValueError(f"the YAML tag {tag!r} is refused: a model config holds only "
                             "plain mappings, lists, strings and numbers.")


def model_from_yaml(yaml_string, custom_objects=None, safe_mode=True):
    """A model (uncompiled, freshly initialized) from ``model.to_yaml()``.

    Any tag, alias or malformed content is a ValueError; nothing in the text is run.
    """
    from kfront.saving.saving_lib import _wrap_errors, check_config_values, model_from_config
    yaml = _yaml()

    def load():
        text = yaml_string.decode("utf-8") if isinstance(yaml_string, (bytes, bytearray)) \
            else yaml_string
        if not isinstance(text, str):
            raise ValueError(f"expected a YAML string, received {type(yaml_string).__name__}.")
        try:
            _check_events(yaml, text)
            config = yaml.safe_load(text)
        except yaml.YAMLError as e:
            raise ValueError(f"not valid YAML ({str(e)[:200]}).") from None
        if not isinstance(config, dict):
            raise ValueError("expected a YAML mapping (what `model.to_yaml()` writes).")
        check_config_values(config, "model_from_yaml")
        return model_from_config(config, custom_objects=custom_objects, safe_mode=safe_mode)
    return _wrap_errors("model_from_yaml", load)
