"""``torch.export`` programs and ONNX files on torch: the engine half of
``Model.export(format="torch" | "onnx")``."""
import contextlib

import numpy as np
import torch

from kfront import tree


class _Forward(torch.nn.Module):
    """The model's inference forward as an ``nn.Module``: flat tensor arguments in, the
    model's outputs out, with its variables registered so the program keeps them as
    weights (not as constants folded into the graph)."""

    def __init__(self, model, specs):
        super().__init__()
        self._model = [model]  # a list: not an nn.Module attribute torch would walk
        self._specs = specs
        for i, v in enumerate(model.weights):
            storage = v._storage
            if isinstance(storage, torch.nn.Parameter):
                self.register_parameter(f"weight_{i}", storage)
            else:
                self.register_buffer(f"weight_{i}", storage)

    def forward(self, *flat):
        args = tree.pack_sequence_as(self._specs, list(flat))
        return self._model[0](*args, training=False)


def _sample(specs, batch=2):
    """Example inputs: ones, with ``batch`` for every unknown size. 2, not 1: torch
    specializes sizes 0 and 1, which would freeze the batch axis."""
    return tuple(torch.from_numpy(np.ones([batch if d is None else d for d in s.shape],
                                          dtype=s.dtype))
                 for s in tree.flatten(specs))


def _dynamic_shapes(specs):
    batch = torch.export.Dim("batch", min=1)
    shapes = []
    for s in tree.flatten(specs):
        axes = {}
        for axis, d in enumerate(s.shape):
            if d is None:
                axes[axis] = batch if axis == 0 else torch.export.Dim.AUTO
        shapes.append(axes or None)
    # One entry, a tuple: ``forward(*flat)`` takes its inputs as one variadic argument.
    return (tuple(shapes),)


@contextlib.contextmanager
def _fresh_shape_memos(model):
    """Layers remember the last input shape they accepted, to skip re-checking it; compared
    with symbolic sizes, a remembered int would pin the batch size, so tracing starts and
    ends with no memo."""
    layers = [model]
    for layer in layers:
        layers.extend(layer._sublayers())
    for layer in layers:
        layer.__dict__.pop("_spec_accepted", None)
    try:
        yield
    finally:
        for layer in layers:
            layer.__dict__.pop("_spec_accepted", None)


def exported_program(model, specs, **kwargs):
    """``torch.export.export`` of ``model``'s inference forward; every ``None`` size in
    ``specs`` is dynamic. ``kwargs`` go to ``torch.export.export``."""
    module = _Forward(model, specs).eval()
    kwargs.setdefault("strict", False)
    kwargs.setdefault("dynamic_shapes", _dynamic_shapes(specs))
    with _fresh_shape_memos(model), torch.no_grad():
        return torch.export.export(module, _sample(specs), **kwargs)


def save_program(model, filepath, specs, **kwargs):
    torch.export.save(exported_program(model, specs, **kwargs), str(filepath))


def save_onnx(model, filepath, specs, input_names, opset_version=None, verbose=False):
    """Writes an ONNX file with ``torch.onnx.export`` (the ``torch.export`` route); the
    batch axis of every input stays dynamic."""
    module = _Forward(model, specs).eval()
    with _fresh_shape_memos(model), torch.no_grad(), _quiet(not verbose):
        program = torch.onnx.export(
            module, _sample(specs), dynamic_shapes=_dynamic_shapes(specs), dynamo=True,
            input_names=list(input_names), opset_version=opset_version, verbose=verbose,
            external_data=False)
        program.save(str(filepath))


@contextlib.contextmanager
def _quiet(enabled):
    if not enabled:
        yield
        return
    import io
    with contextlib.redirect_stdout(io.StringIO()):
        yield
