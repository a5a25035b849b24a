"""``TFSMLayer``: a TensorFlow SavedModel's endpoint as a kfront layer (TensorFlow backend).

The SavedModel's variables become the layer's variables (the very ``tf.Variable``s its
functions read), so ``fit`` can fine-tune them. A SavedModel is a graph of arbitrary
TensorFlow ops: loading one from a kfront model file is refused in safe mode.
"""
from kfront.backend.loader import adapter
from kfront.backend.variable import Variable
from kfront.layers.layer import Layer


def _tf_tools():
    if adapter().name != "tensorflow":
        raise NotImplementedError("The TFSMLayer is only currently supported with the "
                                  f"TensorFlow backend (current backend: {adapter().name}). "
                                  "Set KFRONT_BACKEND=tensorflow.")
    from kfront.backends.tensorflow import interop
    return interop


class TFSMLayer(Layer):
    """Reloads a SavedModel (from ``tf.saved_model.save`` or ``model.export``) as a layer.

    Args:
        filepath: the SavedModel directory.
        call_endpoint: the endpoint ``call`` runs: an attribute of the SavedModel
            (``"serve"`` for ``model.export``) or a signature (``"serving_default"``).
        call_training_endpoint: the endpoint run with ``training=True`` (optional).
        trainable, name, dtype: as for any layer.

    Only endpoints taking one ``inputs`` argument (a tensor, or a dict/list of them) are
    supported. Loading a model file that holds a TFSMLayer needs ``safe_mode=False``.

    >>> model.export("path/to/artifact")          # or tf.saved_model.save(...)
    >>> layer = kfront.layers.TFSMLayer("path/to/artifact", call_endpoint="serve")
    >>> outputs = layer(inputs)
    """

    def __init__(self, filepath, call_endpoint="serve", call_training_endpoint=None,
                 trainable=True, name=None, dtype=None):
        tools = _tf_tools()
        super().__init__(trainable=trainable, name=name, dtype=dtype)
        saved = tools.load_saved_model(filepath)
        object.__setattr__(self, "_reloaded_obj", saved)
        self.filepath = str(filepath)
        self.call_endpoint = call_endpoint
        self.call_training_endpoint = call_training_endpoint
        fns = [tools.endpoint(saved, call_endpoint, "call_endpoint")]
        if call_training_endpoint:
            fns.append(tools.endpoint(saved, call_training_endpoint,
                                      "call_training_endpoint"))
        object.__setattr__(self, "call_endpoint_fn", fns[0])
        object.__setattr__(self, "call_training_endpoint_fn",
                           fns[1] if call_training_endpoint else None)
        trainable_vars, other_vars = tools.variables_used_by(fns)
        for tf_var in trainable_vars + other_vars:
            self._adopt(tf_var)
        self.built = True

    def _adopt(self, tf_var):
        """A kfront variable over the SavedModel's own ``tf.Variable``: training writes
        into the storage the endpoints read."""
        name = tf_var.name.split(":")[0].replace("/", "_")
        var = Variable(tf_var.numpy(), dtype=tf_var.dtype.name, trainable=tf_var.trainable,
                       name=name, path=f"{self.name}/{name}")
        var._storage = tf_var
        var.constraint = None
        self._tracked.append(var)

    def call(self, inputs, training=False, **kwargs):
        if training and self.call_training_endpoint_fn is not None:
            return self.call_training_endpoint_fn(inputs, **kwargs)
        return self.call_endpoint_fn(inputs, **kwargs)

    def get_config(self):
        config = super().get_config()
        config.update(filepath=self.filepath, call_endpoint=self.call_endpoint,
                      call_training_endpoint=self.call_training_endpoint)
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None, safe_mode=None):
        """Rebuilds the layer, which loads the SavedModel: refused in safe mode (the
        default) since its graph may run any TensorFlow op."""
        from kfront.saving.serialization import in_safe_mode
        if (in_safe_mode() if safe_mode is None else safe_mode) is not False:
            raise ValueError(
                "Requested the deserialization of a `TFSMLayer`, which loads an external "
                "SavedModel. This carries a potential risk of arbitrary code execution and "
                "thus it is disallowed by default. If you trust the source of the artifact, "
                "you can override this error by passing `safe_mode=False` to the loading "
                "function, or calling `kfront.config.enable_unsafe_deserialization()`.")
        config = {k: v for k, v in config.items() if k != "batch_input_shape"}
        return cls(**config)
