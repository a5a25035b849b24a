"""``Sequential``: a plain stack of layers, each with one input and one output."""
from kfront.backend.keras_tensor import KerasTensor
from kfront.layers.core.input_layer import Input, InputLayer
from kfront.layers.layer import Layer
from kfront.models.model import Model


class Sequential(Model):
    """``Sequential([Dense(64, activation="relu", input_shape=(784,)), Dense(10)])``.

    With a known input shape (an ``Input``, ``input_shape=`` on the first layer, or
    ``build``) every layer is built at once; otherwise on the first call.
    """

    _mask_flow = False  # whether some layer makes a mask (set when the stack is built)

    def __init__(self, layers=None, trainable=True, name=None):
        super().__init__(trainable=trainable, name=name)
        self._stack = []
        self._input_layer = None
        self.supports_masking = True
        self.inputs = self.outputs = None
        for layer in layers or []:
            self.add(layer, rebuild=False)
        self._try_symbolic_build()

    def add(self, layer, rebuild=True):
        if isinstance(layer, KerasTensor) and layer._keras_history is not None \
                and isinstance(layer._keras_history[0], InputLayer):
            layer = layer._keras_history[0]
        if not isinstance(layer, Layer):
            raise ValueError(f"Only instances of kfront.layers.Layer can be added to a Sequential "
                             f"model. Received: {layer!r} (of type {type(layer).__name__})")
        if isinstance(layer, InputLayer):
            if self._input_layer is not None or self._stack:
                raise ValueError("An InputLayer can only be the first layer of a Sequential "
                                 "model.")
            self._input_layer = layer
        else:
            if any(existing.name == layer.name for existing in self._stack):
                raise ValueError(f"All layers added to a Sequential model should have unique "
                                 f"names. Name {layer.name!r} is already the name of a layer in "
                                 "this model.")
            self._stack.append(layer)
            self._track_sublayers([layer])
        self.built = False
        if rebuild:
            self._try_symbolic_build()

    def pop(self):
        if not self._stack:
            raise TypeError("There are no layers in the model.")
        layer = self._stack.pop()
        self._tracked.remove(layer)
        self.built = False
        self._try_symbolic_build()
        return layer

    @property
    def layers(self):
        return list(self._stack)

    def _batch_shape(self):
        if self._input_layer is not None:
            return self._input_layer.batch_shape
        if not self._stack:
            return None
        first = self._stack[0]
        if first._batch_input_shape is not None:
            return first._batch_input_shape
        # A built model as the first layer brings its own input shape, as in Keras.
        shape = getattr(first, "input_shape", None) if isinstance(first, Model) else None
        if isinstance(shape, tuple) and all(d is None or isinstance(d, int) for d in shape):
            return shape
        return None

    def _try_symbolic_build(self):
        shape = self._batch_shape()
        if shape is not None and self._stack:
            self.build(shape)

    def build(self, input_shape=None):
        if input_shape is None:
            input_shape = self._batch_shape()
        if input_shape is None:
            raise ValueError(f'Sequential model "{self.name}" cannot be built without an input '
                             "shape: add an Input(shape=...) first, pass input_shape= to the "
                             "first layer, or call build(input_shape).")
        dtype = self._input_layer.dtype if self._input_layer is not None else "float32"
        x = Input(batch_shape=tuple(input_shape), dtype=dtype)
        self.inputs = [x]
        flow = False
        for layer in self._stack:
            x = layer(x)
            flow = flow or getattr(x, "_keras_mask", None) is not None
        self.outputs = [x]
        # Masks are passed from layer to layer only when some layer makes one.
        self._mask_flow = flow
        self.built = True

    def call(self, inputs, training=None, mask=None):
        x = inputs
        if mask is None and not self._mask_flow:
            for layer in self._stack:
                if layer._call_takes_training:
                    x = layer(x, training=training)
                else:
                    x = layer(x)
            return x
        for layer in self._stack:
            kwargs = {"training": training} if layer._call_takes_training else {}
            x, mask = layer._call_masked((x,), kwargs, mask)
        self._output_mask = (id(inputs), mask)
        return x

    def compute_output_spec(self, inputs, training=None, mask=None):
        """The output for a symbolic ``inputs``, from each layer's own spec in turn (see
        ``Functional.compute_output_spec``)."""
        x = inputs
        for layer in self._stack:
            if training is not None and layer._call_takes_training:
                x = layer.compute_output_spec(x, training=training)
            else:
                x = layer.compute_output_spec(x)
        return x

    def compute_mask(self, inputs, mask=None):
        """The output mask; computed with the values, so a call on other inputs runs."""
        if not self._mask_flow and mask is None:
            return None
        last = getattr(self, "_output_mask", None)
        if last is None or last[0] != id(inputs):
            self.call(inputs, mask=mask)
            last = self._output_mask
        self._output_mask = None
        return last[1]

    def __call__(self, *args, **kwargs):
        if not self._stack:
            raise ValueError(f'Sequential model "{self.name}" has no layers; add some with '
                             "`model.add(layer)` before calling it.")
        if not self.built and args and not isinstance(args[0], KerasTensor):
            from kfront.layers.layer import _shape
            self.build((None,) + tuple(_shape(args[0]))[1:])
        return super().__call__(*args, **kwargs)

    @property
    def input(self):
        """The symbolic input of a built stack (Keras 2 code reads it to make feature
        extractors: ``Model(model.input, model.layers[-2].output)``)."""
        if not self.inputs:
            return super().input
        return self.inputs[0]

    @property
    def output(self):
        """The symbolic output of a built stack."""
        if not self.outputs:
            return super().output
        return self.outputs[0]

    @property
    def input_shape(self):
        return self.inputs[0].shape if self.inputs else None

    @property
    def output_shape(self):
        return self.outputs[0].shape if self.outputs else None

    def get_config(self):
        from kfront.saving.model_config import sequential_get_config
        return sequential_get_config(self)

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from kfront.saving.model_config import sequential_from_config
        return sequential_from_config(cls, config, custom_objects)
