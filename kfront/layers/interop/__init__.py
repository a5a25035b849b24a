"""Layers that run models of other frameworks: torch modules, JAX functions, Flax modules,
TensorFlow SavedModels."""
from kfront.layers.interop.flax_layer import FlaxLayer  # noqa: F401
from kfront.layers.interop.jax_layer import JaxLayer  # noqa: F401
from kfront.layers.interop.tfsm_layer import TFSMLayer  # noqa: F401
from kfront.layers.interop.torch_module_wrapper import TorchModuleWrapper  # noqa: F401

__all__ = ["FlaxLayer", "JaxLayer", "TFSMLayer", "TorchModuleWrapper"]
