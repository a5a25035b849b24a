from kfront.layers.interop.torch_module_wrapper import TorchModuleWrapper  # noqa: F401
