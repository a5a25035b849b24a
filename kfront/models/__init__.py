"""``kfront.models``: ``Model``, ``Sequential``, the Functional graph, and loading."""
from kfront.saving.cloning import clone_model  # noqa: F401
from kfront.models.functional import Functional  # noqa: F401
from kfront.models.model import Model  # noqa: F401
from kfront.models.sequential import Sequential  # noqa: F401
from kfront.saving import load_model, save_model  # noqa: F401


def model_from_json(json_string, custom_objects=None, safe_mode=True):
    """A model (uncompiled, freshly initialized) from ``model.to_json()``."""
    from kfront.saving.saving_lib import model_from_json as load
    return load(json_string, custom_objects=custom_objects, safe_mode=safe_mode)


def model_from_yaml(yaml_string, custom_objects=None, safe_mode=True):
    """A model (uncompiled, freshly initialized) from ``model.to_yaml()``; tags and aliases
    are refused, so nothing in the text can build a Python object."""
    from kfront.saving.yaml_config import model_from_yaml as load
    return load(yaml_string, custom_objects=custom_objects, safe_mode=safe_mode)
