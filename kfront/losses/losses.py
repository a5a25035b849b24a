"""The built-in losses: per-sample loss functions and the ``Loss`` classes around them."""
import numbers
import warnings

from kfront import ops
from kfront.losses.loss import Loss, squeeze_or_expand_to_same_rank


# ---------------------------------------------------------------------------------------
# Functions: one loss value per sample (the last axis is reduced).


def mean_squared_error(y_true, y_pred):
    """``mean(square(y_true - y_pred), axis=-1)``."""
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, dtype=ops.dtype(y_pred))
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    return ops.mean(ops.square(ops.subtract(y_true, y_pred)), axis=-1)


def mean_absolute_error(y_true, y_pred):
    """``mean(abs(y_true - y_pred), axis=-1)``."""
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, dtype=ops.dtype(y_pred))
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    return ops.mean(ops.abs(ops.subtract(y_true, y_pred)), axis=-1)


def huber(y_true, y_pred, delta=1.0):
    """Quadratic for errors up to ``delta``, linear beyond; averaged over the last axis."""
    y_pred = ops.convert_to_tensor(y_pred)
    dtype = ops.dtype(y_pred)
    y_true = ops.convert_to_tensor(y_true, dtype=dtype)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    delta = ops.convert_to_tensor(delta, dtype=dtype)
    error = ops.subtract(y_pred, y_true)
    abs_error = ops.abs(error)
    quadratic = ops.multiply(0.5, ops.square(error))
    linear = ops.subtract(ops.multiply(delta, abs_error), ops.multiply(0.5, ops.square(delta)))
    return ops.mean(ops.where(ops.less_equal(abs_error, delta), quadratic, linear), axis=-1)


def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """Elementwise binary crossentropy averaged over ``axis``.

    ``label_smoothing`` moves targets towards 0.5: 1 becomes ``1 - 0.5 * label_smoothing``.
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.cast(y_true, ops.dtype(y_pred))
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    if label_smoothing:
        y_true = ops.add(ops.multiply(y_true, 1.0 - label_smoothing), 0.5 * label_smoothing)
    return ops.mean(ops.binary_crossentropy(y_true, y_pred, from_logits=from_logits), axis=axis)


def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """Crossentropy between one-hot (or soft) targets and class probabilities along ``axis``.

    ``label_smoothing`` mixes the targets with the uniform distribution over classes.
    """
    if isinstance(axis, bool) or not isinstance(axis, int):
        raise ValueError(f"`axis` must be an int. Received: axis={axis!r}")
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.cast(y_true, ops.dtype(y_pred))
    num_classes = ops.shape(y_pred)[axis]
    if num_classes == 1:
        warnings.warn(
            "In loss categorical_crossentropy, expected y_pred.shape to be "
            f"(batch_size, num_classes) with num_classes > 1. Received: "
            f"y_pred.shape={tuple(ops.shape(y_pred))}. Consider using 'binary_crossentropy' "
            "if you only have 2 classes.",
            SyntaxWarning,
            stacklevel=2,
        )
    if label_smoothing:
        n = ops.shape(y_true)[axis]
        y_true = ops.add(ops.multiply(y_true, 1.0 - label_smoothing), label_smoothing / n)
    return ops.categorical_crossentropy(y_true, y_pred, from_logits=from_logits, axis=axis)


def _sparse_crossentropy_and_mask(y_true, y_pred, from_logits, ignore_class, axis):
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true)
    true_shape, pred_shape = ops.shape(y_true), ops.shape(y_pred)
    if len(true_shape) == len(pred_shape) and true_shape[axis] == 1:
        y_true = ops.squeeze(y_true, axis)
    valid = None
    if ignore_class is not None:
        valid = ops.not_equal(y_true, ops.cast(ignore_class, ops.dtype(y_true)))
        y_true = ops.where(valid, y_true, ops.zeros_like(y_true))
        y_pred = ops.where(ops.expand_dims(valid, axis), y_pred, ops.zeros_like(y_pred))
    # Targets arrive as floats after a Loss's dtype conversion; the kernels want ints.
    if not ops.dtype(y_true).startswith(("int", "uint")):
        y_true = ops.cast(y_true, "int32")
    res = ops.sparse_categorical_crossentropy(y_true, y_pred, from_logits=from_logits, axis=axis)
    if valid is not None:
        res_shape = tuple(ops.shape(res))
        if tuple(ops.shape(valid)) != res_shape and None not in res_shape:
            valid = ops.reshape(valid, res_shape)
        res = ops.where(valid, res, ops.zeros_like(res))
    return res, valid


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False, ignore_class=None,
                                    axis=-1):
    """Crossentropy between integer class targets and class probabilities (or logits).

    ``y_true`` may keep a trailing dimension of 1. With ``ignore_class``, entries whose
    target equals it get a loss of 0 (the ``SparseCategoricalCrossentropy`` class also
    leaves them out of the average).
    """
    return _sparse_crossentropy_and_mask(y_true, y_pred, from_logits, ignore_class, axis)[0]


mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
bce = BCE = binary_crossentropy

FUNCTIONS = {f.__name__: f for f in (
    mean_squared_error, mean_absolute_error, huber, binary_crossentropy,
    categorical_crossentropy, sparse_categorical_crossentropy)}


def function_name(fn):
    """The registered name of a built-in loss function, else None."""
    name = getattr(fn, "__name__", None)
    return name if FUNCTIONS.get(name) is fn else None


# ---------------------------------------------------------------------------------------
# Classes.


class LossFunctionWrapper(Loss):
    """A ``Loss`` around a per-sample function ``fn(y_true, y_pred, **kwargs)``.

    Ranks of ``y_true`` and ``y_pred`` that differ by a trailing 1 are aligned first.
    """

    def __init__(self, fn, reduction="sum_over_batch_size", name=None, dtype=None, **kwargs):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        if isinstance(fn, str):
            fn = _function_from_name(fn)
        if not callable(fn):
            raise ValueError(f"LossFunctionWrapper: `fn` must be callable. Received: fn={fn!r}")
        self.fn = fn
        self._fn_kwargs = kwargs
        self._index_targets = fn is sparse_categorical_crossentropy

    def call(self, y_true, y_pred):
        if not isinstance(y_true, (list, tuple, dict)):
            y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        return self.fn(y_true, y_pred, **self._fn_kwargs)

    def get_config(self):
        config = super().get_config()
        config["fn"] = function_name(self.fn) or self.fn
        config.update(self._fn_kwargs)
        return config

    @classmethod
    def from_config(cls, config):
        if cls is LossFunctionWrapper and "fn" in config:
            from kfront.saving.serialization import check_declared_arguments, \
                deserialize_function
            fn = config["fn"]
            # Keras 3 writes the function as a nested config: {"class_name": "function", ...}.
            fn = _function_from_name(fn) if isinstance(fn, str) else \
                deserialize_function(fn) if isinstance(fn, dict) else fn
            extra = {k: v for k, v in config.items()
                     if k not in ("fn", "reduction", "name", "dtype")}
            check_declared_arguments(fn, extra, "LossFunctionWrapper")
            config = dict(config, fn=fn)
        return cls(**config)

    def __repr__(self):
        return f"<LossFunctionWrapper({getattr(self.fn, '__name__', self.fn)}, " \
               f"kwargs={self._fn_kwargs})>"


def _function_from_name(name):
    if name in FUNCTIONS:
        return FUNCTIONS[name]
    from kfront.losses import get
    return get(name)


def check_label_smoothing(label_smoothing):
    """Refuses a ``label_smoothing`` outside ``[0, 1]`` (it would flip or overshoot targets)."""
    if isinstance(label_smoothing, bool) or not isinstance(label_smoothing, numbers.Real) \
            or not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(
            "`label_smoothing` must be a float in [0, 1]. Received: "
            f"label_smoothing={label_smoothing!r}"
        )
    return float(label_smoothing)


class _BuiltinLoss(LossFunctionWrapper):
    """A built-in loss whose config is its constructor arguments."""

    _config_keys = ()

    def __init__(self, fn, **kwargs):
        super().__init__(fn, **kwargs)
        # Constructor arguments read back as attributes (``loss.alpha``), as in Keras.
        for key in self._config_keys:
            if key in self._fn_kwargs:
                setattr(self, key, self._fn_kwargs[key])

    def get_config(self):
        config = Loss.get_config(self)
        config.update({k: getattr(self, k) for k in self._config_keys})
        return config


class MeanSquaredError(_BuiltinLoss):
    """Mean of squared errors: ``mean(square(y_true - y_pred))``."""

    def __init__(self, reduction="sum_over_batch_size", name="mean_squared_error", dtype=None):
        super().__init__(mean_squared_error, name=name, reduction=reduction, dtype=dtype)


class MeanAbsoluteError(_BuiltinLoss):
    """Mean of absolute errors: ``mean(abs(y_true - y_pred))``."""

    def __init__(self, reduction="sum_over_batch_size", name="mean_absolute_error", dtype=None):
        super().__init__(mean_absolute_error, name=name, reduction=reduction, dtype=dtype)


class Huber(_BuiltinLoss):
    """Huber loss: ``0.5 * x**2`` where ``|x| <= delta``, else ``delta * |x| - 0.5 * delta**2``."""

    _config_keys = ("delta",)

    def __init__(self, delta=1.0, reduction="sum_over_batch_size", name="huber_loss",
                 dtype=None):
        super().__init__(huber, name=name, reduction=reduction, dtype=dtype, delta=delta)
        self.delta = delta


class BinaryCrossentropy(_BuiltinLoss):
    """Crossentropy for 0/1 targets; ``from_logits=True`` when ``y_pred`` is unbounded."""

    _config_keys = ("from_logits", "label_smoothing", "axis")

    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction="sum_over_batch_size", name="binary_crossentropy", dtype=None):
        label_smoothing = check_label_smoothing(label_smoothing)
        super().__init__(binary_crossentropy, name=name, reduction=reduction, dtype=dtype,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis


class CategoricalCrossentropy(_BuiltinLoss):
    """Crossentropy for one-hot targets over the classes on ``axis``."""

    _config_keys = ("from_logits", "label_smoothing", "axis")

    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction="sum_over_batch_size", name="categorical_crossentropy", dtype=None):
        label_smoothing = check_label_smoothing(label_smoothing)
        super().__init__(categorical_crossentropy, name=name, reduction=reduction, dtype=dtype,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis


class SparseCategoricalCrossentropy(_BuiltinLoss):
    """Crossentropy for integer class targets.

    With ``ignore_class``, entries of that class contribute nothing and are left out
    of the "sum_over_batch_size" average.
    """

    _config_keys = ("from_logits", "ignore_class")

    def __init__(self, from_logits=False, ignore_class=None, reduction="sum_over_batch_size",
                 axis=-1, name="sparse_categorical_crossentropy", dtype=None):
        super().__init__(sparse_categorical_crossentropy, name=name, reduction=reduction,
                         dtype=dtype, from_logits=from_logits, ignore_class=ignore_class,
                         axis=axis)
        self.from_logits = from_logits
        self.ignore_class = ignore_class
        self.axis = axis

    def call_with_mask(self, y_true, y_pred):
        if self.ignore_class is None:
            return self.call(y_true, y_pred), None
        return _sparse_crossentropy_and_mask(y_true, y_pred, self.from_logits,
                                             self.ignore_class, self.axis)
