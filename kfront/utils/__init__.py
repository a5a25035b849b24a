"""``kfront.utils``: seeding, label encoding, progress bars, datasets, serialization and
logging switches (re-exported from where they live).

Resolved on first use, so engine adapters can import ``kfront.utils.tree`` while loading.
"""
_NAMES = {
    "set_random_seed": "kfront.random.global_state",
    "to_categorical": "kfront.utils.numerical_utils",
    "normalize": "kfront.utils.numerical_utils",
    "Progbar": "kfront.utils.progbar",
    "PyDataset": "kfront.utils.py_dataset",
    "Sequence": "kfront.utils.py_dataset",
    "multi_gpu_model": "kfront.utils.multi_gpu_utils",
    "get_file": "kfront.utils.file_utils",
    "pad_sequences": "kfront.utils.sequence_utils",
    "split_dataset": "kfront.utils.dataset_utils",
    "timeseries_dataset_from_array": "kfront.utils.timeseries_dataset",
    "image_dataset_from_directory": "kfront.utils.image_dataset",
    "text_dataset_from_directory": "kfront.utils.text_dataset",
    "audio_dataset_from_directory": "kfront.utils.audio_dataset",
    "FeatureSpace": "kfront.utils.feature_space",
    "load_img": "kfront.utils.image_utils",
    "save_img": "kfront.utils.image_utils",
    "img_to_array": "kfront.utils.image_utils",
    "array_to_img": "kfront.utils.image_utils",
    "Config": "kfront.utils.config",
    "get_source_inputs": "kfront.utils.source_inputs",
    "plot_model": "kfront.utils.model_visualization",
    "model_to_dot": "kfront.utils.model_visualization",
    "plot_history": "kfront.utils.history_plot",
    "pack_x_y_sample_weight": "kfront.trainers.data_adapters.data_adapter_utils",
    "unpack_x_y_sample_weight": "kfront.trainers.data_adapters.data_adapter_utils",
    "enable_interactive_logging": "kfront.utils.io_utils",
    "disable_interactive_logging": "kfront.utils.io_utils",
    "is_interactive_logging_enabled": "kfront.utils.io_utils",
    # One implementation each, where it lives.
    "is_keras_tensor": "kfront.backend.keras_tensor",
    "standardize_dtype": "kfront.backend.dtypes",
    "clear_session": "kfront.backend",
    "CustomObjectScope": "kfront.saving",
    "custom_object_scope": "kfront.saving",
    "get_custom_objects": "kfront.saving",
    "get_registered_name": "kfront.saving",
    "get_registered_object": "kfront.saving",
    "register_keras_serializable": "kfront.saving",
    "serialize_keras_object": "kfront.saving",
    "deserialize_keras_object": "kfront.saving",
}

# Submodules that Keras code reaches as attributes: ``keras.utils.legacy`` (Keras 3) and
# ``keras.utils.np_utils`` (Keras 2 tutorials).
_SUBMODULES = ("legacy", "np_utils", "bounding_boxes")


def __getattr__(name):
    import importlib
    if name in _SUBMODULES:
        return importlib.import_module(f"kfront.utils.{name}")
    module = _NAMES.get(name)
    if module is None:
        raise AttributeError(f"module 'kfront.utils' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


def __dir__():
    return sorted(list(_NAMES) + list(_SUBMODULES))
