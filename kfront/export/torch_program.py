"""``format="torch"``: a ``torch.export`` ExportedProgram saved as a ``.pt2`` file.

Traced on the torch backend; from tensorflow and jax the model is rebuilt on torch from
its config and weights in a child process.
"""
from kfront import config
from kfront.export import signature as sig
from kfront.utils import io_utils

# The torch.export.export arguments Keras passes through.
TORCH_EXPORT_KWARGS = ("strict", "dynamic_shapes",
                       "prefer_deferred_runtime_asserts_over_guards",
                       "preserve_module_call_signature")


def export_torch(model, filepath, verbose=None, input_signature=None, **kwargs):
    """Saves ``model``'s inference forward pass as a ``torch.export`` program (batch
    size dynamic unless ``dynamic_shapes`` says otherwise).

    Args:
        model: a built kfront model.
        filepath: where to write the ``.pt2`` file.
        verbose: print a message when done (default True).
        input_signature: a list of specs, one per positional argument (default: the
            model's inputs).
        **kwargs: ``torch.export.export`` arguments: strict, dynamic_shapes,
            prefer_deferred_runtime_asserts_over_guards, preserve_module_call_signature.

    >>> model.export("model.pt2", format="torch")
    >>> torch.export.load("model.pt2").module()(torch.ones(4, 3))
    """
    unknown = sorted(set(kwargs) - set(TORCH_EXPORT_KWARGS))
    if unknown:
        raise ValueError(f"Unsupported keyword argument(s) for format='torch': {unknown}. "
                         f"Supported: {list(TORCH_EXPORT_KWARGS)}.")
    sig.check_built(model)
    specs = sig.model_signature(model) if input_signature is None else \
        sig.as_specs(input_signature)
    specs = sig.with_dynamic_batch(specs)
    if config.backend() == "torch":
        from kfront.backends.torch.export import save_program
        save_program(model, filepath, specs, **kwargs)
    else:
        if "dynamic_shapes" in kwargs:
            raise ValueError(
                f"format='torch' from the {config.backend()} backend rebuilds the model on "
                "torch in another process, where `dynamic_shapes` (torch.export.Dim "
                "objects) cannot be passed; export from the torch backend to set it.")
        from kfront.export.rebuild import run_in_backend
        job = {"kind": "torch", "filepath": str(filepath), "signature": sig.to_json(specs),
               "kwargs": kwargs}
        run_in_backend("torch", job, [model], "format='torch'")
    if verbose is None or verbose:
        io_utils.print_msg(f"Saved artifact at '{filepath}'.")
