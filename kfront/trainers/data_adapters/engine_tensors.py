"""Tensors of any engine, recognised by the module of their type, never by importing it.

A torch tensor reaching the JAX backend (or a tf tensor reaching torch) is copied to the host
once here; a tensor of the running engine is passed through untouched.
"""
import numpy as np

_ENGINE_MODULES = {"torch": "torch", "jax": "jax", "jaxlib": "jax", "tensorflow": "tensorflow"}


def engine_of(x):
    """"torch", "jax" or "tensorflow" when ``x`` is (a subclass of) that engine's tensor type,
    else None."""
    for cls in type(x).__mro__:
        engine = _ENGINE_MODULES.get(cls.__module__.split(".", 1)[0])
        if engine is not None:
            if engine == "torch" and not hasattr(x, "detach"):
                return None
            if engine == "tensorflow" and not (hasattr(x, "numpy") and hasattr(x, "dtype")):
                return None
            if engine == "jax" and not hasattr(x, "__array__"):
                return None
            return engine
    return None


def is_engine_tensor(x):
    return engine_of(x) is not None


def engine_to_numpy(x):
    """A tensor of any engine as a NumPy array (one copy to the host at most)."""
    engine = engine_of(x)
    if engine == "torch":
        x = x.detach()
        if x.device.type != "cpu":
            x = x.cpu()
        if str(x.dtype) == "torch.bfloat16":
            x = x.float()
        return x.numpy()
    if engine == "tensorflow":
        return np.asarray(x.numpy())
    return np.asarray(x)
