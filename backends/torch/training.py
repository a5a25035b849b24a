"""Gradients, step compilation and shape inference on torch (eager by default;
``torch.compile`` with ``jit_compile=True``, see compiled_step.py)."""
import torch

from kfront.backend import shape_inference
from kfront.backend.scope import ShapeInferenceScope
from kfront.backends.torch import distribution as _distribution
from kfront.backends.torch.compiled_step import compile_step_function
from kfront.backends.torch.core import convert_to_tensor, dtype as _dtype, without_grad

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
    placement = _distribution.active()
    if placement is not None:
        grads = placement.reduce_gradients(grads)
    if torch.compiler.is_compiling():
        # A traced step may not return tensors whose graph autograd.grad consumed.
        out = tuple(o.detach() if isinstance(o, torch.Tensor) else o for o in out) \
            if has_aux else out.detach()
    return out, grads


def compile_step(step_fn, state_variables, kind, jit_compile):
    """Train steps run eagerly (autograd needs grad mode), or compiled whole with
    ``torch.compile`` when ``jit_compile``; test/predict steps without grad."""
    run = _local_step(step_fn, kind, jit_compile)
    placement = _placement(state_variables)
    if placement is None or kind == "predict":
        # Every replica predicts the whole batch it is given: predict returns all rows.
        return run

    def distributed_run(data):
        with placement:
            return placement.reduce_logs(run(placement.put_batch(data)))
    return distributed_run


def _placement(state_variables):
    from kfront.distribution import api
    dist = api.distribution()
    if dist is None:
        return None
    api.check_created_under([v for v in state_variables if v.trainable])
    return _distribution.Placement(dist, state_variables)


def _local_step(step_fn, kind, jit_compile):
    fn = step_fn
    if jit_compile:
        fn = compile_step_function(step_fn)
    if kind == "train":
        return fn

    def run(data):
        return without_grad(fn, data)

    return run


def compute_output_spec(fn, *args, **kwargs):
    def make_standin(shape, dtype):
        return torch.zeros(shape, dtype=convert_to_tensor(0, dtype=dtype).dtype)

    def run(fn, a, k):
        # A layer's writes on the stand-in values (counters, statistics) are dropped.
        with torch.no_grad(), ShapeInferenceScope():
            return fn(*a, **k)

    return shape_inference.compute_output_spec(
        fn, args, kwargs, make_standin, run, lambda t: (tuple(t.shape), _dtype(t))
    )
