"""Gradients, step compilation and shape inference on torch (eager by default)."""
import torch

from kfront.backend import shape_inference
from kfront.backends.torch.core import convert_to_tensor, dtype as _dtype

__all__ = ["value_and_grad", "compile_step", "compute_output_spec", "no_grad"]

no_grad = torch.no_grad


def value_and_grad(fn, variables, has_aux=False):
    params = [v.value for v in variables]
    with torch.enable_grad():
        out = fn()
    loss = out[0] if has_aux else out
    wanted = [p for p in params if p.requires_grad]
    found = iter(torch.autograd.grad(loss, wanted, allow_unused=True)) if wanted else iter(())
    grads = []
    for p in params:
        g = next(found) if p.requires_grad else None
        grads.append(torch.zeros_like(p) if g is None else g)
    return out, grads


def compile_step(step_fn, state_variables, kind, jit_compile):
    """Train steps run eagerly (autograd needs grad mode); test/predict steps without grad."""
    fn = step_fn
    if jit_compile:
        fn = torch.compile(step_fn)
    if kind == "train":
        return fn

    def run(data):
        with torch.no_grad():
            return fn(data)

    return run


def compute_output_spec(fn, *args, **kwargs):
    def make_standin(shape, dtype):
        return torch.zeros(shape, dtype=convert_to_tensor(0, dtype=dtype).dtype)

    def run(fn, a, k):
        with torch.no_grad():
            return fn(*a, **k)

    return shape_inference.compute_output_spec(
        fn, args, kwargs, make_standin, run, lambda t: (tuple(t.shape), _dtype(t))
    )
