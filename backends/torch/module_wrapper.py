"""The torch side of ``kfront.layers.TorchModuleWrapper``: checking, reading, switching and
(unsafely) serializing a user's ``torch.nn.Module``."""
import base64
import io

import torch

from kfront.backends.torch.core import DEVICE

__all__ = ["torch_module_prepare", "torch_module_tensors", "torch_module_set_mode",
           "torch_module_to_base64", "torch_module_from_base64"]


def torch_module_prepare(module):
    """``module`` checked and moved to kfront's device."""
    if not isinstance(module, torch.nn.Module):
        raise TypeError("TorchModuleWrapper: `module` must be a torch.nn.Module. "
                        f"Received: {module!r} (of type {type(module).__name__})")
    lazy = torch.nn.modules.lazy.LazyModuleMixin
    if isinstance(module, lazy) and module.has_uninitialized_params():
        raise ValueError("TorchModuleWrapper: LazyModules are not supported unless they are "
                         "already initialized (call the module once first). Received "
                         f"uninitialized LazyModule: module={module}")
    return module.to(DEVICE)


def torch_module_tensors(module):
    """``[(name, tensor, trainable)]``: the module's parameters and persistent buffers, the
    tensors themselves (a tensor tied under two names comes once)."""
    out, seen = [], set()
    for name, tensor in module.state_dict(keep_vars=True).items():
        if id(tensor) in seen:
            continue
        seen.add(id(tensor))
        trainable = isinstance(tensor, torch.nn.Parameter) and tensor.requires_grad
        out.append((name, tensor, trainable))
    return out


def torch_module_set_mode(module, training):
    if module.training is not training:
        module.train(training)


def torch_module_to_base64(module):
    """The module pickled by ``torch.save``, as ASCII (what Keras 3 writes in a config)."""
    buffer = io.BytesIO()
    torch.save(module, buffer)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def torch_module_from_base64(data):
    """Unpickles a module written by ``torch_module_to_base64``: runs arbitrary code, so the
    caller only does this outside safe mode."""
    return torch.load(io.BytesIO(base64.b64decode(data.encode("ascii"))), weights_only=False)
