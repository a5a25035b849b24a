"""Tensors derived from variables, kept across the calls no gradient flows through.

Some kernels want a variable in another form than Keras stores it: torch's convolutions take
the kernel as (out, in, *spatial), an inference BatchNormalization wants one scale and one
shift per channel. Remaking those every call costs a copy of every conv kernel (40% of
ResNet50's predict at batch 1) or a handful of small ops per layer. Where no gradient is
taken for the variables (predict, evaluate, a frozen base) the derived tensors are kept per
variable and reused while each variable's version counter and storage are unchanged: any
in-place write (an optimizer step, ``assign``, ``load_state_dict``, ``p.mul_()``) bumps the
counter and the next call derives afresh. Tracing (torch.compile, export, jit, functorch
transforms) always derives afresh, so no kept tensor enters a graph. (A write through
``p.data`` bypasses the version counter, as it bypasses autograd's checks: torch documents
it as unsafe.)
"""
import weakref

import torch

__all__ = ["kept"]

_KEPT = {}  # id(first variable) -> {tag: (stamp, derived)}


def _reusable(tensors):
    # Only a variable's own storage (a Parameter) lives across calls; a cast copy (mixed
    # precision) is new each call and would only churn the table.
    for t in tensors:
        if type(t) is not torch.nn.Parameter:
            return False
        if t.requires_grad and torch.is_grad_enabled():
            return False
    return not (torch.compiler.is_compiling() or torch.jit.is_tracing()
                or torch._C._are_functorch_transforms_active())


def kept(tensors, tag, make):
    """``make(*tensors)``, reused across calls while ``tensors`` (variables' storage) are
    unchanged and no gradient flows to them; ``tag`` names what ``make`` derives (with any
    argument it depends on besides the tensors)."""
    if not _reusable(tensors):
        return make(*tensors)
    first = tensors[0]
    stamp = tuple((id(t), t._version, t.data_ptr(), t.dtype) for t in tensors)
    entries = _KEPT.get(id(first))
    if entries is None:
        entries = _KEPT[id(first)] = {}
        weakref.finalize(first, _KEPT.pop, id(first), None)
    entry = entries.get(tag)
    if entry is not None and entry[0] == stamp:
        return entry[1]
    with torch.inference_mode(False), torch.no_grad():  # plain tensors, usable anywhere
        derived = make(*tensors)
    entries[tag] = (stamp, derived)
    return derived
