"""``InputLayer`` and ``Input``: where a Functional graph starts."""
from kfront.backend.keras_tensor import KerasTensor
from kfront.backend.variable import standardize_dtype
from kfront.layers.layer import Layer
from kfront.layers.node import Node


class InputLayer(Layer):
    def __init__(self, shape=None, batch_size=None, dtype=None, sparse=None, batch_shape=None,
                 input_tensor=None, name=None, **kwargs):
        # Keras 2 spellings: input_shape= and batch_input_shape=.
        if shape is None and kwargs.get("input_shape") is not None:
            shape = kwargs.pop("input_shape")
        if batch_shape is None and kwargs.get("batch_input_shape") is not None:
            batch_shape = kwargs.pop("batch_input_shape")
        kwargs.pop("input_shape", None)
        kwargs.pop("batch_input_shape", None)
        super().__init__(name=name, dtype=dtype, **kwargs)
        if batch_shape is None:
            if shape is None:
                raise ValueError("Input/InputLayer needs `shape` (without the batch size), "
                                 "e.g. Input(shape=(784,)).")
            if isinstance(shape, int):
                shape = (shape,)
            batch_shape = (batch_size,) + tuple(shape)
        self.batch_shape = tuple(batch_shape)
        for d in self.batch_shape:
            if d is not None and (not isinstance(d, int) or d < 0):
                raise ValueError(f"Input: shape must hold positive ints or None, received "
                                 f"{self.batch_shape[1:]}.")
        self.dtype = standardize_dtype(dtype)
        self.sparse = bool(sparse)
        self.built = True
        if input_tensor is None:
            input_tensor = KerasTensor(self.batch_shape, dtype=self.dtype, name=self.name)
        self._input_tensor = input_tensor
        Node(self, (), {}, input_tensor)

    @property
    def output(self):
        return self._input_tensor

    def get_config(self):
        return {"batch_shape": self.batch_shape, "dtype": self.dtype, "sparse": self.sparse,
                "name": self.name}


def Input(shape=None, batch_size=None, dtype=None, sparse=None, batch_shape=None, name=None,
          tensor=None):
    """A symbolic input: ``x = Input(shape=(784,))`` starts a Functional model."""
    layer = InputLayer(shape=shape, batch_size=batch_size, dtype=dtype, sparse=sparse,
                       batch_shape=batch_shape, name=name, input_tensor=tensor)
    return layer.output
