"""``KerasTensor``: a symbolic tensor (shape and dtype, no data) for the Functional API."""


class KerasTensor:
    """The output of ``kfront.Input`` or of a layer called on symbolic tensors.

    ``shape`` may hold ``None`` for sizes known only at run time (the batch, mostly).
    ``_keras_history`` is ``(layer, node_index, tensor_index)``: where it came from.
    """

    def __init__(self, shape, dtype="float32", name=None, sparse=False):
        self.shape = tuple(None if d is None else int(d) for d in shape)
        self.dtype = dtype
        self.name = name
        self.sparse = sparse
        self._keras_history = None

    @property
    def ndim(self):
        return len(self.shape)

    def __repr__(self):
        return f"<KerasTensor shape={self.shape}, dtype={self.dtype}, name={self.name}>"

    def __array__(self, *args, **kwargs):
        raise TypeError(
            "A symbolic KerasTensor has no value: it describes an input of a Functional model. "
            "Build a Model from it and call `model.predict(...)`, or pass real arrays."
        )

    def __bool__(self):
        raise TypeError(
            "A symbolic KerasTensor cannot be used as a Python bool (in `if` or `while`): its "
            "value is unknown until the model runs. Use `kfront.ops.where` instead."
        )

    def __iter__(self):
        # Without this, Python iterates through `__getitem__` with 0, 1, 2, ... and, since a
        # symbolic index never fails, `list(tensor)` never ends.
        raise TypeError(
            "Iterating over a symbolic KerasTensor is not supported: its length along axis 0 "
            "may be unknown until the model runs. Index it (`x[0]`) or use `kfront.ops` "
            "(e.g. `kfront.ops.unstack`) instead."
        )

    def _op(self, name, *args):
        from kfront import ops
        return getattr(ops, name)(*args)

    def __add__(self, o): return self._op("add", self, o)
    def __radd__(self, o): return self._op("add", o, self)
    def __sub__(self, o): return self._op("subtract", self, o)
    def __rsub__(self, o): return self._op("subtract", o, self)
    def __mul__(self, o): return self._op("multiply", self, o)
    def __rmul__(self, o): return self._op("multiply", o, self)
    def __truediv__(self, o): return self._op("divide", self, o)
    def __rtruediv__(self, o): return self._op("divide", o, self)
    def __pow__(self, o): return self._op("power", self, o)
    def __rpow__(self, o): return self._op("power", o, self)
    def __floordiv__(self, o): return self._op("floor_divide", self, o)
    def __rfloordiv__(self, o): return self._op("floor_divide", o, self)
    def __mod__(self, o): return self._op("mod", self, o)
    def __rmod__(self, o): return self._op("mod", o, self)
    def __lt__(self, o): return self._op("less", self, o)
    def __le__(self, o): return self._op("less_equal", self, o)
    def __gt__(self, o): return self._op("greater", self, o)
    def __ge__(self, o): return self._op("greater_equal", self, o)
    # As in Keras, `!=` builds a node but `==` keeps identity (tensors live in lists).
    def __ne__(self, o): return self._op("not_equal", self, o)
    def __and__(self, o): return self._op("logical_and", self, o)
    def __rand__(self, o): return self._op("logical_and", o, self)
    def __or__(self, o): return self._op("logical_or", self, o)
    def __ror__(self, o): return self._op("logical_or", o, self)
    def __invert__(self): return self._op("logical_not", self)
    def __matmul__(self, o): return self._op("matmul", self, o)
    def __rmatmul__(self, o): return self._op("matmul", o, self)
    def __neg__(self): return self._op("negative", self)
    def __abs__(self): return self._op("abs", self)
    def __getitem__(self, idx): return self._op("getitem", self, idx)

    __hash__ = object.__hash__


def is_keras_tensor(x):
    return isinstance(x, KerasTensor)
