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
# Debugging caps on fit/evaluate/predict, and switches Keras code reads; see the setters.
_flags = {
    "max_epochs": None,
    "max_steps_per_epoch": None,
    "traceback_filtering": True,
    "flash_attention": None,
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
    """``(name, why)``: the engine, and where the choice came from."""
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
        return found[0], "default: the first installed engine in the order " + \
            ", ".join(KNOWN_BACKENDS)
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
    where = "environment variable KFRONT_BACKEND" if source == "KFRONT_BACKEND" else \
        f"config file {source}"
    return name, where


def _load_file_settings():
    data = _read_config_file()
    for key in _settings:
        if key in data:
            _settings[key] = data[key]


_load_file_settings()
_BACKEND, _BACKEND_SOURCE = _resolve_backend()


def backend():
    """The name of the engine kfront runs on: 'torch', 'jax' or 'tensorflow'."""
    return _BACKEND


def backend_source():
    """Why ``backend()`` is what it is: the environment variable, the config file, or the
    default order (``python -m kfront info`` prints it)."""
    return _BACKEND_SOURCE


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


def set_backend(backend):
    """Keras reloads itself on another backend here; kfront binds its engine once, at
    import, so only the current backend is accepted.

    Raises:
        ValueError: for a name that is not a backend.
        RuntimeError: for another backend: set ``KFRONT_BACKEND`` before importing kfront
            (or start a new process).
    """
    name = str(backend).strip().lower()
    if name not in KNOWN_BACKENDS:
        raise ValueError(f"set_backend: unknown backend {backend!r}. Expected one of "
                         f"{list(KNOWN_BACKENDS)}.")
    if name != _BACKEND:
        raise RuntimeError(
            f"set_backend({backend!r}): kfront is running on {_BACKEND!r} and binds its engine "
            "once, when it is imported; it cannot switch in a running process. Set the "
            f"environment variable KFRONT_BACKEND={name} before `import kfront` (for example "
            f"`KFRONT_BACKEND={name} python train.py`), or start a new Python process.")


def _check_cap(value, name):
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or
                              value < 1):
        raise ValueError(f"`{name}` must be a positive integer or None. Received: "
                         f"{name}={value!r}.")
    return value


def set_max_epochs(max_epochs):
    """Caps the number of epochs of every ``fit`` call (for debugging); None lifts it.
    Also read from the ``KFRONT_MAX_EPOCHS`` environment variable."""
    _flags["max_epochs"] = _check_cap(max_epochs, "max_epochs")


def max_epochs():
    """The cap set by ``set_max_epochs``, or None."""
    return _flags["max_epochs"]


def set_max_steps_per_epoch(max_steps_per_epoch):
    """Caps the steps of each epoch of ``fit`` and of every ``evaluate``/``predict`` call
    (for debugging); None lifts it. Also read from ``KFRONT_MAX_STEPS_PER_EPOCH``."""
    _flags["max_steps_per_epoch"] = _check_cap(max_steps_per_epoch, "max_steps_per_epoch")


def max_steps_per_epoch():
    """The cap set by ``set_max_steps_per_epoch``, or None."""
    return _flags["max_steps_per_epoch"]


def capped_epochs(epochs):
    """``epochs`` under the ``max_epochs`` cap (warns when it cuts)."""
    cap = _flags["max_epochs"]
    if cap and cap < epochs:
        import warnings
        warnings.warn(f"Limiting epochs to {cap} (kfront.config.set_max_epochs).")
        return cap
    return epochs


def capped_steps(steps):
    """``steps`` (None: the whole dataset) under the ``max_steps_per_epoch`` cap."""
    cap = _flags["max_steps_per_epoch"]
    if cap and (not steps or cap < steps):
        import warnings
        warnings.warn(f"Limiting steps_per_epoch to {cap} "
                      "(kfront.config.set_max_steps_per_epoch).")
        return cap
    return steps


def _read_env_caps():
    for name in ("max_epochs", "max_steps_per_epoch"):
        value = os.environ.get(f"KFRONT_{name.upper()}")
        if value:
            try:
                _flags[name] = _check_cap(int(value), name)
            except ValueError:
                raise ValueError(f"KFRONT_{name.upper()} must be a positive integer. "
                                 f"Received: {value!r}.") from None


_read_env_caps()


def enable_traceback_filtering():
    """Turns traceback filtering on (the default). kfront raises its errors at the user's
    call with messages naming the argument, and adds no frames of its own to hide, so the
    switch only records the choice for code that reads it."""
    _flags["traceback_filtering"] = True


def disable_traceback_filtering():
    """Turns traceback filtering off (see ``enable_traceback_filtering``)."""
    _flags["traceback_filtering"] = False


def is_traceback_filtering_enabled():
    """Whether traceback filtering is on (True by default)."""
    return _flags["traceback_filtering"]


def enable_flash_attention():
    """Lets attention use a fused ("flash") kernel where the engine has one (the default:
    ``is_flash_attention_enabled()`` is then None, meaning "when possible"), as each
    engine's attention primitive does."""
    _flags["flash_attention"] = None


def disable_flash_attention():
    """Records that fused ("flash") attention kernels are not wanted
    (``is_flash_attention_enabled()`` is then False).

    kfront's attention ops do not consult the switch yet: each engine's attention
    primitive picks its kernel (on torch, ``scaled_dot_product_attention``; restrict it with
    ``torch.nn.attention.sdpa_kernel``). A warning says so.
    """
    import warnings
    warnings.warn("kfront.config.disable_flash_attention(): recorded, but kfront's attention "
                  "ops do not read it yet; each engine picks its own attention kernel (on "
                  "torch, restrict it with torch.nn.attention.sdpa_kernel).", stacklevel=2)
    _flags["flash_attention"] = False


def is_flash_attention_enabled():
    """False when disabled; None (the default) when fused kernels may be used."""
    return _flags["flash_attention"]


def is_nnx_enabled():
    """False: kfront's JAX backend does not build on Flax NNX."""
    return False


def enable_unsafe_deserialization():
    """Turns safe mode off for every later load (Lambda bytecode and other stored code load
    even when a call passes ``safe_mode=True``). Only for files you trust."""
    from kfront.saving import serialization
    serialization.set_global_unsafe(True)


def dtype_policy():
    """The global dtype policy (``kfront.mixed_precision.global_policy``)."""
    from kfront.mixed_precision.policy_state import global_policy
    return global_policy()


def set_dtype_policy(policy):
    """Sets the global dtype policy (``kfront.mixed_precision.set_global_policy``)."""
    from kfront.mixed_precision.policy_state import set_global_policy
    set_global_policy(policy)


def enable_interactive_logging():
    """Progress output goes to stdout (the default)."""
    from kfront.utils import io_utils
    io_utils.enable_interactive_logging()


def disable_interactive_logging():
    """Progress output goes to the ``"kfront"`` logger, one plain line per message."""
    from kfront.utils import io_utils
    io_utils.disable_interactive_logging()


def is_interactive_logging_enabled():
    """Whether progress output goes to stdout."""
    from kfront.utils import io_utils
    return io_utils.is_interactive_logging_enabled()
