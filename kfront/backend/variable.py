"""``kfront.Variable``: one front-end API over engine storage.

The storage is a torch ``Parameter``, a JAX array or a ``tf.Variable``; the adapter
creates, reads and assigns it. Inside a ``StatelessScope`` reads and writes go to the
scope instead, so the same layer code runs inside a pure, compiled JAX step.
"""
import threading

import numpy as np

from kfront import config
from kfront.backend.loader import adapter
from kfront.backend.name_scope import current_path as current_name_scope_path
from kfront.backend.scope import current_scope

_B = adapter()
_read = _B.variable_read  # (looked up once: it runs on every variable read)
# Float variables that autocast to a layer's compute dtype under mixed precision.
_AUTOCAST_FROM = frozenset({"float16", "bfloat16", "float32", "float64"})


class _AutocastState(threading.local):
    """The compute dtype variables are read in while a mixed precision layer calls."""

    dtype = None


autocast_state = _AutocastState()


def standardize_dtype(dtype):
    if dtype is None:
        return config.floatx()
    if hasattr(dtype, "name") and not isinstance(dtype, str):
        dtype = dtype.name
    name = str(dtype)
    for prefix in ("torch.", "tf.", "<dtype: '"):
        if name.startswith(prefix):
            name = name[len(prefix):]
    name = name.rstrip("'>")
    aliases = {"float": "float32", "double": "float64", "int": "int32", "half": "float16",
               "long": "int64", "bool_": "bool"}
    return aliases.get(name, name)


# Called as ``guard(name, shape, dtype)`` before a variable's initializer allocates it;
# a guard raises to refuse. Loading registers one that bounds what a file can make us
# allocate (kfront/saving/load_limits.py).
ALLOCATION_GUARDS = []


class Variable:
    """A mutable, named tensor: a layer's weight, an optimizer slot, a metric's state.

    Args:
        initializer: an initializer (callable of ``shape, dtype``), an array or a scalar.
        shape: the shape, needed when ``initializer`` is callable.
        dtype: defaults to ``kfront.config.floatx()``.
        trainable: whether optimizers update it.
        name: a short name; ``path`` adds the owning layer's name (``"dense/kernel"``).

    >>> v = kfront.Variable(np.zeros((2, 3)), name="w")
    >>> v.assign(v + 1.0); v.numpy().sum()
    6.0
    """

    _created = 0
    # True: an optimizer writes this variable's gradient into it instead of a step (the
    # float8 scales and amax histories, whose "gradients" are their next values).
    overwrite_with_gradient = False

    def __init__(self, initializer, shape=None, dtype=None, trainable=True, name=None,
                 path=None, aggregation="mean", autocast=True):
        scope = current_scope()
        if scope is not None and not getattr(scope, "allows_variable_creation", False):
            raise RuntimeError(
                f"Cannot create variable {name!r} inside a compiled step. Create variables in "
                "a layer's `__init__` or `build()`, which kfront runs before compiling."
            )
        self.name = name or "variable"
        self.path = path or self.name
        prefix = current_name_scope_path()  # kfront.name_scope
        if prefix:
            self.path = f"{prefix}/{self.path}"
        self._trainable = bool(trainable)
        # Keras 3: freezing a layer turns off the variables it made trainable (and only
        # those), and unfreezing turns them back on.
        self._trains_with_layer = self._trainable
        self.aggregation = aggregation
        self.autocast = bool(autocast)
        if callable(initializer):
            if shape is None:
                raise ValueError(
                    f"Variable {self.name!r}: a callable initializer needs `shape`."
                )
            dtype = standardize_dtype(dtype)
            for guard in ALLOCATION_GUARDS:
                guard(self.name, shape, dtype)
            value = initializer(tuple(int(d) for d in shape), dtype=dtype)
        else:
            value = initializer
            if dtype is None:
                dtype = _B.dtype(value) if _B.is_tensor(value) else standardize_dtype(
                    np.asarray(value).dtype if np.asarray(value).dtype.kind != "f" else None)
            dtype = standardize_dtype(dtype)
        if isinstance(value, (np.ndarray, np.generic, int, float, bool, list)) and \
                dtype != "bfloat16":
            # Host values stay NumPy until the adapter makes storage: a variable first built
            # while an engine traces (JAX eval_shape) must still hold a concrete value.
            value = np.asarray(value, dtype=dtype)
            self._shape = tuple(value.shape)
        else:
            value = _B.convert_to_tensor(value, dtype=dtype)
            self._shape = tuple(_B.shape(value))
        self.dtype = dtype
        self._storage = _B.variable_create(value, dtype, self.trainable, self.name,
                                            aggregation=self.aggregation)
        # Creation order lets a distribution tell variables made before it was set.
        self._creation_index = Variable._created
        Variable._created += 1

    @property
    def trainable(self):
        """Whether optimizers update it. Setting it also tells the engine (on torch: the
        storage's ``requires_grad``), so a frozen variable costs no gradient bookkeeping."""
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        self._trainable = bool(value)
        storage = getattr(self, "_storage", None)
        set_trainable = getattr(_B, "variable_set_trainable", None)
        if storage is not None and set_trainable is not None:
            set_trainable(storage, self._trainable)

    @property
    def shape(self):
        return self._shape

    @property
    def ndim(self):
        return len(self._shape)

    @property
    def value(self):
        """The current value as an engine tensor (from the active scope if there is one)."""
        scope = current_scope()
        value = None if scope is None else scope.get(self)
        if value is None:
            value = _read(self._storage)
        cast_to = autocast_state.dtype
        if cast_to is not None and cast_to != self.dtype and self.autocast and \
                self.dtype in _AUTOCAST_FROM:
            # Mixed precision: inside a layer's call, float variables read in its compute dtype.
            return _B.cast(value, cast_to)
        return value

    def assign(self, value):
        value = _B.convert_to_tensor(value, dtype=self.dtype)
        if tuple(_B.shape(value)) != self._shape:
            raise ValueError(
                f"Cannot assign a value of shape {tuple(_B.shape(value))} to variable "
                f"{self.path!r} of shape {self._shape}."
            )
        scope = current_scope()
        if scope is not None:
            scope.assign(self, value)
        else:
            _B.variable_assign(self._storage, value)
        return value

    def assign_add(self, delta):
        return self.assign(self.value + _B.convert_to_tensor(_v(delta), dtype=self.dtype))

    def assign_sub(self, delta):
        return self.assign(self.value - _B.convert_to_tensor(_v(delta), dtype=self.dtype))

    def numpy(self):
        return _B.convert_to_numpy(self.value)

    def __array__(self, dtype=None, copy=None):
        arr = self.numpy()
        return arr.astype(dtype) if dtype is not None else arr

    def __repr__(self):
        return f"<kfront.Variable path={self.path!r} shape={self._shape} dtype={self.dtype}>"

    # Arithmetic reads the value, so `x * self.scale` works in layer code on every engine.
    def __add__(self, o): return self.value + _v(o)
    def __radd__(self, o): return _v(o) + self.value
    def __sub__(self, o): return self.value - _v(o)
    def __rsub__(self, o): return _v(o) - self.value
    def __mul__(self, o): return self.value * _v(o)
    def __rmul__(self, o): return _v(o) * self.value
    def __truediv__(self, o): return self.value / _v(o)
    def __rtruediv__(self, o): return _v(o) / self.value
    def __pow__(self, o): return self.value ** _v(o)
    def __matmul__(self, o): return _B.matmul(self.value, _v(o))
    def __rmatmul__(self, o): return _B.matmul(_v(o), self.value)
    def __neg__(self): return -self.value
    def __getitem__(self, idx): return self.value[idx]
    def __float__(self): return float(self.numpy())
    def __int__(self): return int(self.numpy())

    # Variables are compared and hashed by identity (they live in dicts and sets).
    __hash__ = object.__hash__
    # NumPy defers to the reflected operators above instead of building object arrays.
    __array_priority__ = 100


# Engines that convert foreign objects to tensors (TensorFlow) learn to read a Variable's
# value, so `tensor + variable` stays differentiable.
if hasattr(_B, "register_variable_class"):
    _B.register_variable_class(Variable)


def _v(x):
    if isinstance(x, Variable):
        return x.value
    if isinstance(x, np.ndarray):
        # Engines differ on tensor-with-ndarray arithmetic (torch refuses grad tensors).
        return _B.convert_to_tensor(x)
    return x
