"""Building, checking and pickling the kfront model held by a wrapper."""
import os
import tempfile


def is_model(obj):
    """True when ``obj`` is a kfront ``Model``."""
    from kfront.models import Model
    return isinstance(obj, Model)


def clone_compiled(model):
    """A fresh copy of ``model`` (new weights), compiled as ``model`` was.

    ``clone_model`` copies the architecture only; the wrapper needs the compiled copy.
    """
    from kfront.models import clone_model
    from kfront.saving.saving_lib import _compile_config, compile_from_config
    clone = clone_model(model)
    config = _compile_config(model)
    if config is not None:
        compile_from_config(clone, config)
    return clone


def check_compiled(model, owner):
    """Raises when ``model`` is not a compiled kfront Model with a loss and an optimizer."""
    if not is_model(model):
        raise TypeError(
            f"{owner}: `model` must be a kfront Model or a callable returning one; the "
            f"callable returned {type(model).__name__}: {model!r}")
    if (not getattr(model, "compiled", False) or not getattr(model, "loss", None)
            or not getattr(model, "optimizer", None)):
        raise RuntimeError(
            f"{owner}: the model needs to be compiled, with a loss and an optimizer "
            "(call `model.compile(optimizer=..., loss=...)` before handing it over).")


def model_to_bytes(model):
    """The ``.keras`` archive of ``model`` as bytes (weights, config, compile state)."""
    from kfront.saving import save_model
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "model.keras")
        save_model(model, path)
        with open(path, "rb") as f:
            return f.read()


def model_from_bytes(data):
    """The model stored by ``model_to_bytes``."""
    from kfront.saving import load_model
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "model.keras")
        with open(path, "wb") as f:
            f.write(data)
        return load_model(path)
