"""``model.save`` / ``load_model`` for ``.kfront`` and ``.keras`` archives, and weights files.

An archive is a zip of ``config.json`` (architecture and compile config), ``metadata.json``
(kfront version, the backend it was saved from) and ``model.weights.h5``, the layout of a
Keras 3 ``.keras`` file, so files move between kfront's engines and Keras 3.
"""
import datetime
import json
import os
import warnings

from kfront.saving import h5_store, load_limits, serialization
from kfront.saving.assets import load_assets, read_assets
from kfront.saving.file_io import Archive, atomic_write, write_archive

CONFIG, METADATA, WEIGHTS = "config.json", "metadata.json", "model.weights.h5"
# Integers in configs beyond this are refused: no real layer size comes near it, and
# building a layer from such a number would try to allocate it.
_MAX_CONFIG_INT = 2 ** 31 - 1


# ---- configs ----
def _compile_config(model):
    if not getattr(model, "compiled", False):
        return None
    from kfront.saving.serialization import to_json_value
    loss = getattr(model, "_compile_loss", None)
    metrics = getattr(model, "_compile_metrics", None)
    try:
        return {
            "optimizer": serialization.serialize_object(model.optimizer, "optimizer"),
            "loss": _loss_to_json(model.loss),
            "loss_weights": to_json_value(loss._weights_spec) if loss is not None else None,
            "metrics": _metric_to_json(metrics._spec) if metrics is not None else None,
            "weighted_metrics": _metric_to_json(metrics._weighted_spec)
            if metrics is not None else None,
            "run_eagerly": model.run_eagerly, "steps_per_execution": model.steps_per_execution,
            "jit_compile": model.jit_compile,
        }
    except ValueError as e:
        warnings.warn(f"The compile config of model {model.name!r} could not be saved ({e}); "
                      "the loaded model will not be compiled.", UserWarning, stacklevel=4)
        return None


def _loss_to_json(loss):
    from kfront import losses
    if loss is None or isinstance(loss, str):
        return loss
    if isinstance(loss, (list, tuple)):
        return [_loss_to_json(v) for v in loss]
    if isinstance(loss, dict):
        return {k: _loss_to_json(v) for k, v in loss.items()}
    registered = serialization.registry.registered_key(
        type(loss) if hasattr(loss, "get_config") else loss)
    if registered:
        return serialization.serialize_object(loss, "loss") if hasattr(loss, "get_config") \
            else serialization.serialize_function(loss)
    config = losses.serialize(loss)
    config["module"] = "keras.losses"
    return config


def _metric_to_json(metric):
    from kfront import metrics
    if metric is None or isinstance(metric, str):
        return metric
    if isinstance(metric, (list, tuple)):
        return [_metric_to_json(v) for v in metric]
    if isinstance(metric, dict):
        return {k: _metric_to_json(v) for k, v in metric.items()}
    if hasattr(metric, "get_config") and serialization.registry.registered_key(type(metric)):
        return serialization.serialize_object(metric, "metric")
    config = metrics.serialize(metric)
    config["module"] = "keras.metrics"
    return config


def model_to_config(model):
    from kfront.saving.serialization import to_json_value
    config = serialization.serialize_object(model, "layer")
    if config["class_name"] == "Functional":
        config.update(module="keras.src.models.functional", registered_name="Functional")
    elif config["class_name"] == "Sequential":
        config["module"] = "keras"
    from kfront.models.functional import Functional
    if isinstance(model, Functional) and type(model).__name__ != "Functional" and \
            config.get("registered_name") is None and \
            type(model).__name__ not in serialization.registry.builtin_layers():
        # A Functional subclass that is not registered loads as a plain Functional model.
        config["class_name"] = "Functional"
    shape = None
    if model.built:
        shape = getattr(model, "input_shape", None) if isinstance(
            model, Functional) or config["class_name"] == "Sequential" else None
        shape = shape or getattr(model, "_build_input_shape", None)
    config["build_config"] = {"input_shape": to_json_value(shape) if shape else None}
    config["compile_config"] = _compile_config(model)
    # An object Keras files spell differently from kfront's configs (FeatureSpace).
    adjust = getattr(model, "keras_archive_config", None)
    return adjust(config) if adjust is not None else config


def _deserialize_loss(value, custom_objects):
    from kfront import losses
    if value is None or isinstance(value, str):
        custom = serialization.registry.get_registered_object(value, custom_objects) \
            if isinstance(value, str) else None
        return custom if custom is not None else value
    if isinstance(value, list):
        return [_deserialize_loss(v, custom_objects) for v in value]
    if isinstance(value, dict) and "class_name" not in value:
        return {k: _deserialize_loss(v, custom_objects) for k, v in value.items()}
    try:
        return serialization.deserialize_object(value, "loss", custom_objects)
    except ValueError:
        return losses.deserialize(value, custom_objects)


def _deserialize_metric(value, custom_objects):
    if value is None or isinstance(value, str):
        custom = serialization.registry.get_registered_object(value, custom_objects) \
            if isinstance(value, str) else None
        return custom if custom is not None else value
    if isinstance(value, list):
        return [_deserialize_metric(v, custom_objects) for v in value]
    if isinstance(value, dict) and "class_name" not in value:
        return {k: _deserialize_metric(v, custom_objects) for k, v in value.items()}
    return serialization.deserialize_object(value, "metric", custom_objects)


def deserialize_optimizer(config, custom_objects=None):
    """An optimizer from its config; Keras-only and unset arguments are dropped."""
    import inspect
    if isinstance(config, str):
        from kfront import optimizers
        return optimizers.get(config)
    cls = serialization.resolve_class(config.get("class_name"), config.get("registered_name"),
                                      "optimizer", custom_objects)
    inner = dict(config.get("config") or {})
    lr = inner.get("learning_rate")
    if isinstance(lr, dict):
        inner["learning_rate"] = serialization.deserialize_object(lr, "schedule",
                                                                  custom_objects)
    accepted = set()
    for klass in cls.__mro__:
        if "__init__" in klass.__dict__:
            accepted |= set(inspect.signature(klass.__init__).parameters)
    for key in list(inner):
        if key not in accepted or (key in ("use_ema", "is_legacy_optimizer", "jit_compile",
                                           "gradient_accumulation_steps", "decay")
                                   and not inner[key]) or key == "is_legacy_optimizer":
            inner.pop(key)
    inner.pop("use_ema", None) if not inner.get("use_ema") else None
    return cls(**inner)


def compile_from_config(model, config, custom_objects=None):
    if not isinstance(config, dict) or config.get("optimizer") is None:
        return
    model.compile(
        optimizer=deserialize_optimizer(config["optimizer"], custom_objects),
        loss=_deserialize_loss(config.get("loss"), custom_objects),
        loss_weights=config.get("loss_weights"),
        metrics=_deserialize_metric(config.get("metrics"), custom_objects),
        weighted_metrics=_deserialize_metric(config.get("weighted_metrics"), custom_objects),
        run_eagerly=bool(config.get("run_eagerly", False)),
        steps_per_execution=int(config.get("steps_per_execution") or 1),
        jit_compile=config.get("jit_compile", "auto") if config.get("jit_compile") is not True
        else "auto")


def check_config_values(value, label, depth=0):
    """Refuses configs nested absurdly deep or holding integers no layer size could be."""
    if depth > 200:
        raise ValueError(f"{label}: the config is nested too deeply.")
    if isinstance(value, bool):
        return
    if isinstance(value, int) and abs(value) > _MAX_CONFIG_INT:
        raise ValueError(f"{label}: the config holds the integer {value}, beyond the limit of "
                         f"{_MAX_CONFIG_INT}.")
    if isinstance(value, dict):
        for k, v in value.items():
            if k != "shared_object_id":  # Keras 3 writes Python object ids here
                check_config_values(v, label, depth + 1)
    elif isinstance(value, list):
        for v in value:
            check_config_values(v, label, depth + 1)


def model_from_config(config, custom_objects=None, safe_mode=True, compile=False):
    """A model (or layer) from ``model_to_config`` / ``get_config`` output."""
    if not isinstance(config, dict):
        raise ValueError(f"A model config must be a dict, received {type(config).__name__}.")
    check_config_values(config, "model config")
    with serialization.SafeModeScope(safe_mode, custom_objects), \
            load_limits.budget_for_config("model config"):
        model = serialization.deserialize_object(config, "layer", custom_objects)
        if compile:
            compile_from_config(model, config.get("compile_config"), custom_objects)
    return model


def model_from_json(json_string, custom_objects=None, safe_mode=True):
    """A model (uncompiled, freshly initialized) from ``model.to_json()``; any malformed
    content is a ValueError."""
    label = "model_from_json"

    def load():
        data = json_string.encode("utf-8") if isinstance(json_string, str) else json_string
        if not isinstance(data, (bytes, bytearray)):
            raise ValueError(f"expected a JSON string, received {type(json_string).__name__}.")
        config = _parse_json(bytes(data), "the JSON string")
        return model_from_config(config, custom_objects=custom_objects, safe_mode=safe_mode)
    return _wrap_errors(label, load)


def _parse_json(data, label):
    if len(data) > load_limits.limit("max_config_bytes"):
        raise ValueError(f"{label}: the JSON is {len(data)} bytes, more than the limit of "
                         f"{load_limits.limit('max_config_bytes')} (raise it with "
                         "kfront.saving.set_load_limits(max_config_bytes=...)).")
    try:
        value = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as e:
        raise ValueError(f"{label}: not valid JSON ({str(e)[:200]}).") from None
    if not isinstance(value, dict):
        raise ValueError(f"{label}: expected a JSON object.")
    check_config_values(value, label)
    return value


# ---- archives ----
def _metadata():
    from kfront.backend.loader import adapter
    from kfront.version import __version__
    return {"kfront_version": __version__, "keras_version": "3.0.0 (kfront)",
            "backend": adapter().name, "format": "kfront", "format_version": 1,
            "date_saved": datetime.datetime.now(datetime.timezone.utc).strftime(
                "%Y-%m-%d@%H:%M:%S")}


def save_model(model, filepath, overwrite=True, include_optimizer=True):
    filepath = os.fspath(filepath)
    if not overwrite and os.path.exists(filepath):
        raise FileExistsError(f"{filepath!r} exists and overwrite=False.")
    if filepath.endswith(".h5") or filepath.endswith(".hdf5"):
        from kfront.saving import legacy_h5
        return legacy_h5.save_model(model, filepath)
    if not filepath.endswith((".kfront", ".keras")):
        raise ValueError(f"Invalid filepath extension for saving: {filepath!r}. Use a path "
                         "ending in .kfront or .keras (or .h5 for the legacy format).")
    config = json.dumps(model_to_config(model)).encode("utf-8")
    members = {METADATA: json.dumps(_metadata()).encode("utf-8"), CONFIG: config,
               WEIGHTS: h5_store.weights_bytes(model, include_optimizer)}
    write_archive(filepath, members)


def _wrap_errors(filepath, fn):
    """Runs ``fn``; any failure becomes a ValueError that names the file."""
    try:
        return fn()
    except ValueError as e:
        msg = str(e)
        if filepath in msg or repr(filepath) in msg:
            raise
        raise ValueError(f"Error loading {filepath!r}: {msg}") from e
    except (FileNotFoundError, IsADirectoryError, PermissionError):
        raise
    except (MemoryError, RecursionError) as e:
        raise ValueError(f"Error loading {filepath!r}: the file asks for too much "
                         f"({type(e).__name__}).") from None
    except Exception as e:  # noqa: BLE001 - corrupt files fail in many ways; report them all
        raise ValueError(f"Error loading {filepath!r}: the file is corrupt or not a kfront/"
                         f"Keras model file ({type(e).__name__}: {str(e)[:300]}).") from e


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    filepath = os.fspath(filepath)
    if not os.path.exists(filepath):
        raise FileNotFoundError(f"No file at {filepath!r}.")
    if filepath.endswith((".h5", ".hdf5")) and not _is_zip(filepath):
        from kfront.saving import legacy_h5
        return _wrap_errors(filepath, lambda: legacy_h5.load_model(
            filepath, custom_objects=custom_objects, compile=compile, safe_mode=safe_mode))
    if not filepath.endswith((".kfront", ".keras")) and not _is_zip(filepath):
        raise ValueError(f"File format not supported: {filepath!r}. kfront loads .kfront and "
                         ".keras archives and legacy .h5 files.")
    return _wrap_errors(filepath, lambda: _load_archive(filepath, custom_objects, compile,
                                                        safe_mode))


def _is_zip(path):
    with open(path, "rb") as f:
        return f.read(4) == b"PK\x03\x04"


def _load_archive(filepath, custom_objects, compile, safe_mode):
    max_json = load_limits.limit("max_config_bytes")
    with Archive(filepath) as archive:
        config = _parse_json(archive.read(CONFIG, max_json), f"{filepath!r} ({CONFIG})")
        if archive.has(METADATA):
            # Validated like the config, though loading needs nothing from it.
            _parse_json(archive.read(METADATA, max_json), f"{filepath!r} ({METADATA})")
        weights = archive.read(WEIGHTS) if archive.has(WEIGHTS) else None
        assets = read_assets(archive)
    if weights is None:
        raise ValueError(f"{filepath!r}: the archive has no {WEIGHTS}.")
    with h5_store.WeightsFile(weights, f"{filepath!r} ({WEIGHTS})") as store, \
            load_limits.budget_for_weights(store.array_bytes, repr(filepath)):
        with serialization.SafeModeScope(safe_mode, custom_objects):
            model = serialization.deserialize_object(config, "layer", custom_objects)
            if not model.built:
                shape = (config.get("build_config") or {}).get("input_shape")
                if isinstance(shape, list):
                    model.build(serialization._shape_tuple(shape))
            if compile:
                compile_from_config(model, config.get("compile_config"), custom_objects)
        h5_store.load_into(model, store, load_optimizer=compile)
        load_assets(model, assets)
        # An object whose state lives in nested files of Keras's own layout (FeatureSpace).
        if hasattr(model, "load_keras_archive_state"):
            model.load_keras_archive_state(store.file, assets)
    return model


# ---- weights files ----
def save_weights(model, filepath, overwrite=True):
    filepath = os.fspath(filepath)
    if not filepath.endswith(".weights.h5"):
        raise ValueError(f"The filename must end in `.weights.h5`. Received: {filepath!r}")
    if not overwrite and os.path.exists(filepath):
        raise FileExistsError(f"{filepath!r} exists and overwrite=False.")
    data = h5_store.weights_bytes(model, include_optimizer=False)
    atomic_write(filepath, lambda f: f.write(data))


def load_weights(model, filepath, skip_mismatch=False, by_name=False):
    filepath = os.fspath(filepath)
    if not os.path.exists(filepath):
        raise FileNotFoundError(f"No file at {filepath!r}.")
    if filepath.endswith((".kfront", ".keras")) or _is_zip(filepath):
        def run():
            with Archive(filepath) as archive:
                data = archive.read(WEIGHTS)
            with h5_store.WeightsFile(data, f"{filepath!r} ({WEIGHTS})") as store:
                h5_store.load_into(model, store, load_optimizer=False,
                                   skip_mismatch=skip_mismatch)
        return _wrap_errors(filepath, run)

    def run_h5():
        with h5_store.WeightsFile(filepath, repr(filepath)) as store:
            if "layer_names" in store.file.attrs or "model_weights" in store.file:
                from kfront.saving import legacy_h5
                legacy_h5.load_weights_by_name(model, store, by_name=by_name,
                                               skip_mismatch=skip_mismatch)
            else:
                h5_store.load_into(model, store, load_optimizer=False,
                                   skip_mismatch=skip_mismatch)
    return _wrap_errors(filepath, run_h5)
