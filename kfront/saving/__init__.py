"""``kfront.saving``: saving and loading models, weights and configs, safely.

Files name only kfront's built-in classes and objects the caller registered
(``register_serializable``) or passed (``custom_objects=``, ``custom_object_scope``);
nothing is ever imported by name, and stored Python code loads only with
``safe_mode=False``.
"""
from kfront.saving.export import (  # noqa: F401
    save_tf_checkpoint, to_jax_dict, to_numpy_dict, to_torch_state_dict,
)
from kfront.saving.file_editor import KerasFileEditor  # noqa: F401
from kfront.saving.load_limits import get_load_limits, set_load_limits  # noqa: F401
from kfront.saving.registry import (  # noqa: F401
    CustomObjectScope, custom_object_scope, get_custom_objects, get_registered_name,
    get_registered_object, register_serializable,
)
from kfront.saving.saving_lib import (  # noqa: F401
    load_model, load_weights, model_from_config, save_model, save_weights,
)
from kfront.saving.serialization import (  # noqa: F401
    deserialize_object as deserialize_keras_object,
    serialize_object as serialize_keras_object,
)

register_keras_serializable = register_serializable
