"""``Model.quantize``: quantize every layer of a built model that supports the mode."""
import re
import warnings

from kfront.quantizers.quantization_config import validate_and_resolve_config

# Modes kfront's layers run; the others are refused before any layer changes.
_NOT_RUN = {
    "gptq": "GPTQ calibration is not implemented in kfront",
    "awq": "AWQ calibration is not implemented in kfront",
}


def should_quantize_layer(layer, filters):
    """Whether ``filters`` (None, a regex on the layer name, a list of them, or a callable
    taking the layer) selects ``layer``."""
    if filters is None:
        return True
    if isinstance(filters, str):
        return bool(re.search(filters, layer.name))
    if isinstance(filters, (list, tuple)):
        return any(re.search(pattern, layer.name) for pattern in filters)
    return bool(filters(layer))


def _leaf_layers(layer):
    seen, out = set(), []

    def walk(node):
        for child in node._sublayers():
            if id(child) in seen:
                continue
            seen.add(id(child))
            out.append(child)
            walk(child)

    walk(layer)
    return out


def quantize_model(model, mode=None, config=None, filters=None, **kwargs):
    """Quantizes, in place, each leaf layer of ``model`` that ``filters`` selects and that
    has a ``quantize`` method (kfront: ``Dense``, ``EinsumDense``, ``Embedding``; float8:
    the first two).

    Args:
        mode: ``"int8"``, ``"int4"`` or ``"float8"`` (optional when ``config`` names it).
        config: a ``kfront.quantizers.QuantizationConfig``.
        filters: a regex on layer names, a list of them, or ``callable(layer) -> bool``.
        type_check: (keyword) refuse subclasses of the quantizable layers (default True).

    Raises:
        NotImplementedError: for ``"gptq"`` and ``"awq"``, which kfront does not run.
        ValueError: for an unknown keyword, a bad ``filters``, mode or config, or an
            unbuilt model.
    """
    type_check = kwargs.pop("type_check", True)
    if kwargs:
        raise ValueError(f"Unrecognized keyword arguments passed to {type(model).__name__}: "
                         f"{kwargs}")
    if filters is not None and not isinstance(filters, (str, list, tuple)) and \
            not callable(filters):
        raise ValueError("The `filters` argument must be a regex string, a list of regex "
                         f"strings, or a callable. Received: {type(filters)}")
    config = validate_and_resolve_config(mode, config)
    if config.mode in _NOT_RUN:
        raise NotImplementedError(f"Model.quantize: mode {config.mode!r} is not supported: "
                                  f"{_NOT_RUN[config.mode]}. Supported: 'int8', 'int4', "
                                  "'float8'.")
    if not model.built:
        raise ValueError(f"Cannot quantize a model that isn't yet built. Model "
                         f"'{model.name}' is not built: call it on data or `build()` first.")
    changed = False
    for layer in _leaf_layers(model):
        if layer._sublayers() or not should_quantize_layer(layer, filters):
            continue
        if not hasattr(layer, "quantize"):
            continue
        try:
            layer.quantize(config.mode, type_check=type_check, config=config)
            changed = True
        except NotImplementedError as e:
            warnings.warn(str(e), stacklevel=2)
    if changed:
        # Compiled steps captured the float variables: rebuild them on the next call.
        if getattr(model, "_step_functions", None) is not None:
            object.__setattr__(model, "_step_functions", {})
            object.__setattr__(model, "_step_trainable", None)
