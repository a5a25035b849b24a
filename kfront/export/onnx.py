"""``format="onnx"``: an ONNX file for onnxruntime and other ONNX engines.

Written by ``torch.onnx.export`` (with onnxscript) on the torch backend; from tensorflow
and jax the model is rebuilt on torch from its config and weights in a child process.
"""
import importlib

from kfront import config
from kfront.export import signature as sig
from kfront.utils import io_utils


def require(packages, extra, purpose):
    """Imports ``packages`` or raises an ImportError naming the kfront extra to install."""
    for name in packages:
        try:
            importlib.import_module(name)
        except ImportError as e:
            raise ImportError(
                f"{purpose} needs the `{name}` package, which is not installed. Install it "
                f'with `pip install "kfront[{extra}]"` (it brings {", ".join(packages)}).'
            ) from e


def export_onnx(model, filepath, verbose=None, input_signature=None, opset_version=None,
                **kwargs):
    """Writes ``model``'s inference forward pass to ``filepath`` as ONNX; every input keeps
    a dynamic batch axis.

    Args:
        model: a built kfront model.
        filepath: where to write the ``.onnx`` file.
        verbose: print a message when done (default True).
        input_signature: a list of specs, one per positional argument (default: the
            model's inputs).
        opset_version: the ONNX opset to target (default: torch's).

    >>> model.export("model.onnx", format="onnx")
    >>> session = onnxruntime.InferenceSession("model.onnx")
    >>> session.run(None, {session.get_inputs()[0].name: x})
    """
    if kwargs:
        raise ValueError(f"Unsupported keyword argument(s) for format='onnx': "
                         f"{sorted(kwargs)}. Supported: opset_version.")
    if opset_version is not None and not isinstance(opset_version, int):
        raise ValueError(f"`opset_version` must be an int; received {opset_version!r}.")
    sig.check_built(model)
    require(("onnx", "onnxscript"), "onnx", "Exporting to ONNX")
    specs = sig.model_signature(model) if input_signature is None else \
        sig.as_specs(input_signature)
    specs = sig.with_dynamic_batch(specs)
    if config.backend() == "torch":
        from kfront.backends.torch.export import save_onnx
        save_onnx(model, filepath, specs, sig.flat_names(specs),
                  opset_version=opset_version, verbose=bool(verbose))
    else:
        from kfront.export.rebuild import run_in_backend
        job = {"kind": "onnx", "filepath": str(filepath), "signature": sig.to_json(specs),
               "kwargs": {"opset_version": opset_version}}
        run_in_backend("torch", job, [model], "format='onnx'")
    if verbose is None or verbose:
        io_utils.print_msg(f"Saved artifact at '{filepath}'.")
