"""``TorchModuleWrapper``: a ``torch.nn.Module`` as a kfront layer (torch backend only)."""
from kfront.backend.keras_tensor import KerasTensor
from kfront.backend.loader import adapter
from kfront.backend.variable import Variable
from kfront.layers.layer import Layer

_B = adapter()


class TorchModuleWrapper(Layer):
    """Puts a ``torch.nn.Module`` inside a kfront model, as Keras 3's layer of that name.

    The module's parameters and buffers become the layer's variables (the very same
    tensors, so ``fit``'s optimizer trains the module and ``model.save`` /
    ``save_weights`` store its state as arrays). Calls run the module in train mode unless
    ``training=False`` (``evaluate``, ``predict``, or after ``eval()``), as Keras does.

    Args:
        module: a ``torch.nn.Module`` (a lazy module must be initialized first).
        name: the layer's name.
        output_shape: the output shape, to skip running the module on placeholder input
            when the model is built.

    >>> layer = kfront.layers.TorchModuleWrapper(torch.nn.Linear(4, 2))
    >>> model = kfront.Sequential([kfront.Input((4,)), layer])

    Its config holds the module pickled by ``torch.save``; loading that runs arbitrary code,
    so it is refused unless ``safe_mode=False`` is passed to the loading function.
    """

    def __init__(self, module, name=None, output_shape=None, **kwargs):
        if _B.name != "torch":
            raise RuntimeError(
                "TorchModuleWrapper needs the torch backend: it runs a torch.nn.Module. The "
                f"current backend is {_B.name!r}; set KFRONT_BACKEND=torch before importing "
                "kfront.")
        super().__init__(name=name, **kwargs)
        self.module = _B.torch_module_prepare(module)
        self.output_shape = None if output_shape is None else tuple(output_shape)
        for tensor_name, tensor, trainable in _B.torch_module_tensors(self.module):
            var = Variable(tensor.detach(), dtype=_B.dtype(tensor), trainable=trainable,
                           name=tensor_name, path=f"{self.name}/{tensor_name}")
            # The variable reads and writes the module's own tensor (kfront's copy goes).
            var._storage = tensor
            self._tracked.append(var)
        self.built = True

    def call(self, *args, training=None, **kwargs):
        _B.torch_module_set_mode(self.module, training is not False)
        return self.module(*args, **kwargs)

    def compute_output_spec(self, *args, **kwargs):
        if self.output_shape is not None:
            return KerasTensor(self.output_shape, dtype=self.compute_dtype)
        # Placeholder input in eval mode: a train-mode run would move BatchNorm statistics.
        was_training = self.module.training
        try:
            return super().compute_output_spec(*args, **{**kwargs, "training": False})
        finally:
            _B.torch_module_set_mode(self.module, was_training)

    def _torch_members(self):
        # To torch it is its module: state_dict keys "module.<name>".
        return {}, {}, {"module": self.module}

    def get_config(self):
        return {**super().get_config(), "module": _B.torch_module_to_base64(self.module),
                "output_shape": self.output_shape}

    @classmethod
    def from_config(cls, config):
        from kfront.saving.serialization import in_safe_mode
        config = dict(config)
        if isinstance(config.get("module"), str):
            if in_safe_mode():
                raise ValueError(
                    "Requested the deserialization of a `torch.nn.Module` object via "
                    "`torch.load()`. This carries a potential risk of arbitrary code "
                    "execution and thus it is disallowed by default. If you trust the source "
                    "of the artifact, you can override this error by passing "
                    "`safe_mode=False` to the loading function, or calling "
                    "`kfront.config.enable_unsafe_deserialization()`.")
            config["module"] = _B.torch_module_from_base64(config["module"])
        return cls(**config)
