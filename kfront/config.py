"""Global settings: which backend, float dtype, epsilon, image data format.

The backend is chosen once, before any engine is imported: ``KFRONT_BACKEND``,
then ``~/.kfront/kfront.json``, then the first installed engine in the order
torch, jax, tensorflow.
"""
import importlib.util
import json
import os

KNOWN_BACKENDS = ("torch", "jax", "tensorflow")
# The module that must be importable for each backend, and how to get it.
_ENGINE_MODULE = {"torch": "torch", "jax": "jax", "tensorflow": "tensorflow"}
_INSTALL_HINT = {
    "torch": "pip install 'kfront[torch]'  (or: pip install torch)",
    "jax": "pip install 'kfront[jax]'  (or: pip install jax jaxlib)",
    "tensorflow": "pip install 'kfront[tensorflow]'  (or: pip install tensorflow-cpu)",
}

_settings = {
    "floatx": "float32",
    "epsilon": 1e-7,
    "image_data_format": "channels_last",
}


def _config_path():
    home = os.environ.get("KFRONT_HOME") or os.path.join(os.path.expanduser("~"), ".kfront")
    return os.path.join(home, "kfront.json")


def _read_config_file():
    path = _config_path()
    if not os.path.exists(path):
        return {}
    try:
        with open(path) as f:
            data = json.load(f)
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def installed_backends():
    """The engines importable in this environment, in preference order."""
    return [b for b in KNOWN_BACKENDS if importlib.util.find_spec(_ENGINE_MODULE[b]) is not None]


def _resolve_backend():
    name = os.environ.get("KFRONT_BACKEND")
    source = "KFRONT_BACKEND"
    if not name:
        name = _read_config_file().get("backend")
        source = _config_path()
    if not name:
        found = installed_backends()
        if not found:
            raise ImportError(
                "kfront found no backend engine. Install one of: "
                + "; ".join(f"{b}: {_INSTALL_HINT[b]}" for b in KNOWN_BACKENDS)
            )
        return found[0]
    name = name.strip().lower()
    if name not in KNOWN_BACKENDS:
        raise ValueError(
            f"Unknown backend {name!r} (from {source}). Expected one of {list(KNOWN_BACKENDS)}; "
            f"installed here: {installed_backends()}."
        )
    if importlib.util.find_spec(_ENGINE_MODULE[name]) is None:
        raise ImportError(
            f"Backend {name!r} was requested (from {source}) but is not installed. "
            f"Installed here: {installed_backends()}. To install it: {_INSTALL_HINT[name]}"
        )
    return name


def _load_file_settings():
    data = _read_config_file()
    for key in _settings:
        if key in data:
            _settings[key] = data[key]


_load_file_settings()
_BACKEND = _resolve_backend()


def backend():
    """The name of the engine kfront runs on: 'torch', 'jax' or 'tensorflow'."""
    return _BACKEND


def floatx():
    return _settings["floatx"]


def set_floatx(value):
    if value not in ("float16", "bfloat16", "float32", "float64"):
        raise ValueError(
            f"Unknown floatx {value!r}: expected 'float16', 'bfloat16', 'float32' or 'float64'."
        )
    _settings["floatx"] = str(value)


def epsilon():
    return _settings["epsilon"]


def set_epsilon(value):
    _settings["epsilon"] = float(value)


def image_data_format():
    return _settings["image_data_format"]


def set_image_data_format(data_format):
    data_format = str(data_format).lower()
    if data_format not in ("channels_first", "channels_last"):
        raise ValueError(
            f"Unknown image_data_format {data_format!r}: expected 'channels_first' or 'channels_last'."
        )
    _settings["image_data_format"] = data_format
