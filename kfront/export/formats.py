"""``Model.export``: one entry point that picks the exporter for a format."""

SUPPORTED_FORMATS = ("tf_saved_model", "onnx", "torch")
# Keras formats kfront does not write: their converters are not part of this engine set.
UNSUPPORTED_FORMATS = {
    "litert": "LiteRT (TFLite) conversion",
    "openvino": "OpenVINO conversion",
}


def export_model(model, filepath, format="tf_saved_model", verbose=None,
                 input_signature=None, **kwargs):
    """Exports ``model`` for inference; see ``kfront.Model.export``."""
    if format in UNSUPPORTED_FORMATS:
        raise ValueError(
            f"format={format!r} ({UNSUPPORTED_FORMATS[format]}) is not supported by kfront. "
            f"Supported formats are: {list(SUPPORTED_FORMATS)}.")
    if format == "tf_saved_model":
        from kfront.export.saved_model import export_saved_model as exporter
    elif format == "onnx":
        from kfront.export.onnx import export_onnx as exporter
    elif format == "torch":
        from kfront.export.torch_program import export_torch as exporter
    else:
        raise ValueError(f"Unrecognized format={format!r}. Supported formats are: "
                         f"{list(SUPPORTED_FORMATS)}.")
    exporter(model, filepath, verbose=verbose, input_signature=input_signature, **kwargs)
