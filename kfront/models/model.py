"""``Model``: a layer with training (``Trainer``), subclassed or built from inputs/outputs."""
from kfront.backend.loader import adapter
from kfront.layers.layer import Layer
from kfront.trainers.trainer import Trainer


class Model(Trainer, Layer):
    """Group layers into an object with training and inference features.

    Two ways to make one, as in Keras:

    >>> inputs = kfront.Input(shape=(3,))                  # Functional
    >>> model = kfront.Model(inputs, kfront.layers.Dense(2)(inputs))

    >>> class MyModel(kfront.Model):                       # subclassed
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.dense = kfront.layers.Dense(2)
    ...     def call(self, x):
    ...         return self.dense(x)
    """

    def __new__(cls, *args, **kwargs):
        # Only ``Model(inputs, outputs)`` itself becomes a Functional here. A subclass is
        # decided by what its constructor passes on to ``Model.__init__`` (below), not by its
        # own arguments: ``VAE(encoder, decoder)`` is a subclassed model, as in Keras.
        if cls is Model and _functional_arguments(args, kwargs):
            from kfront.models.functional import Functional
            # Python then runs Functional.__init__ once, with these arguments.
            return super().__new__(Functional)
        return super().__new__(cls)

    def __init__(self, *args, **kwargs):
        if _functional_arguments(args, kwargs):
            # A subclass calling ``super().__init__(inputs, outputs)`` (to override
            # train_step, say) is a Functional model with the subclass's methods first.
            from kfront.models.functional import Functional
            if not isinstance(self, Functional):
                object.__setattr__(self, "__class__",
                                   _functional_subclass(type(self), Functional))
            Functional.__init__(self, *args, **kwargs)
            return
        if args:
            raise TypeError(
                f"{type(self).__name__}: Model.__init__() takes keyword arguments only (name, "
                "trainable, dtype), or `inputs` and `outputs` for a Functional model; "
                f"received {len(args)} positional argument(s).")
        trainable = kwargs.pop("trainable", True)
        name = kwargs.pop("name", None)
        dtype = kwargs.pop("dtype", None)
        super().__init__(trainable=trainable, name=name, dtype=dtype, **kwargs)
        self.stop_training = False
        self.history = None

    @property
    def layers(self):
        return self._sublayers()

    def get_layer(self, name=None, index=None):
        if index is not None and name is not None:
            raise ValueError("Provide only one of `name` and `index` to get_layer().")
        if index is not None:
            layers = self.layers
            if not -len(layers) <= index < len(layers):
                raise ValueError(f"get_layer(index={index}): model {self.name!r} has only "
                                 f"{len(layers)} layers.")
            return layers[index]
        if name is not None:
            for layer in self.layers:
                if layer.name == name:
                    return layer
            raise ValueError(f"No such layer: {name!r}. Existing layers are: "
                             f"{[layer.name for layer in self.layers]}.")
        raise ValueError("Provide either a layer `name` or `index` to get_layer().")

    @property
    def output_names(self):
        # Read from the instance dict: a failed attribute lookup is a graph break under
        # torch.compile.
        return self.__dict__.get("_output_names") or ["output"]

    def build(self, input_shape=None):
        if input_shape is not None and not self.built:
            # Kept for saving: a loaded subclassed model is built from it.
            self._build_input_shape = input_shape
            spec = _shapes_to_specs(input_shape)
            try:
                                adapter().compute_output_spec(self.call, spec)
            except Exception as e:
                raise ValueError(
                    f'Model "{self.name}" could not be built for input shape {input_shape}: {e}'
                ) from e
        self.built = True

    def summary(self, line_length=None, positions=None, print_fn=None, expand_nested=False,
                show_trainable=False, layer_range=None):
        from kfront.models.summary import print_summary
        print_summary(self, line_length=line_length, print_fn=print_fn,
                      show_trainable=show_trainable)

    def get_config(self):
        return {"name": self.name, "trainable": self.trainable}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        if isinstance(config, dict) and "input_layers" in config and "layers" in config:
            from kfront.saving.model_config import functional_from_config
            return functional_from_config(cls, config, custom_objects)
        return cls(**config)

    # ---- saving (see kfront.saving) ----
    def save(self, filepath, overwrite=True, include_optimizer=True, **kwargs):
        """Saves architecture, weights, compile config and optimizer state to a ``.kfront``
        or ``.keras`` archive (or a legacy ``.h5`` file)."""
        from kfront.saving import save_model
        if kwargs.get("save_format") not in (None, "keras", "kfront", "h5"):
            raise ValueError(f"Unsupported save_format {kwargs['save_format']!r}.")
        save_model(self, filepath, overwrite=overwrite, include_optimizer=include_optimizer)

    def save_weights(self, filepath, overwrite=True):
        """Saves the weights to a ``.weights.h5`` file."""
        from kfront.saving import save_weights
        save_weights(self, filepath, overwrite=overwrite)

    def load_weights(self, filepath, skip_mismatch=False, by_name=False, **kwargs):
        """Loads weights from ``.weights.h5``, ``.kfront``/``.keras`` or Keras 2 ``.h5``."""
        from kfront.saving import load_weights
        load_weights(self, filepath, skip_mismatch=skip_mismatch, by_name=by_name)

    def export(self, filepath, format="tf_saved_model", verbose=None, input_signature=None,
               **kwargs):
        """Exports the model's forward pass for serving, from any backend.

        Args:
            filepath: where to write the artifact.
            format: ``"tf_saved_model"`` (TensorFlow Serving; a ``serve`` endpoint),
                ``"onnx"`` (needs ``pip install "kfront[onnx]"``) or ``"torch"`` (a
                ``torch.export`` program, ``.pt2``).
            verbose: print a message when done (default True).
            input_signature: a list of ``kfront.InputSpec`` (or tensors), one per
                positional argument; default: the model's inputs, batch size dynamic.
            **kwargs: ``opset_version`` for ONNX; ``torch.export.export`` arguments for
                ``"torch"``.

        >>> model.export("serving_dir")
        >>> tf.saved_model.load("serving_dir").serve(x)
        """
        from kfront.export.formats import export_model
        export_model(self, filepath, format=format, verbose=verbose,
                     input_signature=input_signature, **kwargs)

    def quantize(self, mode=None, config=None, filters=None, **kwargs):
        """Quantizes the weights of every layer that can be (see
        ``kfront.quantizers.model_quantize.quantize_model``)."""
        from kfront.quantizers.model_quantize import quantize_model
        quantize_model(self, mode, config, filters, **kwargs)

    def to_json(self, **kwargs):
        """The architecture as a JSON string (``kfront.models.model_from_json`` reads it)."""
        import json
        from kfront.saving.serialization import serialize_object
        return json.dumps(serialize_object(self), **kwargs)

    def to_yaml(self, **kwargs):
        """The architecture as YAML (``kfront.models.model_from_yaml`` reads it); needs
        PyYAML (``pip install "kfront[yaml]"``)."""
        from kfront.saving.yaml_config import model_to_yaml
        return model_to_yaml(self, **kwargs)


_FUNCTIONAL_SUBCLASSES = {}


def _is_shape(s):
    return isinstance(s, (tuple, list)) and all(d is None or isinstance(d, int) for d in s)


def _shapes_to_specs(shapes):
    """Symbolic tensors for a shape or a (nested) dict/list of shapes: the leaves are the
    shape tuples, not their ints (a model first called on a dict of inputs)."""
    from kfront.backend.keras_tensor import KerasTensor
    if _is_shape(shapes):
        return KerasTensor(tuple(shapes))
    if isinstance(shapes, dict):
        return {k: _shapes_to_specs(v) for k, v in shapes.items()}
    if isinstance(shapes, (list, tuple)):
        return type(shapes)(_shapes_to_specs(v) for v in shapes)
    raise ValueError(f"Expected a shape tuple or a dict/list of shape tuples; received "
                     f"{shapes!r}.")


def _functional_arguments(args, kwargs):
    """Whether ``Model.__init__`` arguments are Functional ones: inputs and outputs, given
    positionally or by name (Keras's rule)."""
    return len(args) == 2 or (len(args) == 1 and "outputs" in kwargs) or \
        ("inputs" in kwargs and "outputs" in kwargs)


def _functional_subclass(cls, functional):
    if cls not in _FUNCTIONAL_SUBCLASSES:
        _FUNCTIONAL_SUBCLASSES[cls] = type(cls.__name__, (cls, functional),
                                           {"__module__": cls.__module__})
    return _FUNCTIONAL_SUBCLASSES[cls]
