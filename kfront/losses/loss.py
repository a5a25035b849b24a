"""``Loss``: the base class, and the weighting and reduction every loss shares.

A loss's ``call(y_true, y_pred)`` returns one value per sample (or per timestep);
``__call__`` applies ``sample_weight`` and a mask, then reduces to a scalar.
"""
from kfront import config
from kfront import ops
from kfront.backend.variable import standardize_dtype
from kfront.utils import tree
from kfront.utils.naming import to_snake_case

REDUCTIONS = ("sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none", None)


def standardize_reduction(reduction):
    if reduction not in REDUCTIONS:
        raise ValueError(
            f"Invalid value for argument `reduction`: {reduction!r}. Expected one of "
            f"{list(REDUCTIONS)}."
        )
    return reduction


def compute_dtype(dtype):
    """A dtype string from ``None`` (floatx), a name, or a policy with ``compute_dtype``."""
    if dtype is None:
        return config.floatx()
    policy_dtype = getattr(dtype, "compute_dtype", None)
    if isinstance(policy_dtype, str):
        return policy_dtype
    return standardize_dtype(dtype)


def squeeze_or_expand_to_same_rank(x1, x2, expand_rank_1=True):
    """Makes ranks equal when they differ by one and the longer one ends in a 1.

    A rank-1 partner is expanded (``(N,)`` against ``(N, 1)`` gives ``(N, 1)``
    twice); otherwise the trailing 1 is squeezed, as Keras does.
    """
    s1, s2 = ops.shape(x1), ops.shape(x2)
    if s1 is None or s2 is None:
        # Unknown rank (a TensorFlow trace with relaxed shapes): nothing to align on.
        return x1, x2
    r1, r2 = len(s1), len(s2)
    if r1 == r2 + 1 and s1[-1] == 1:
        if r2 == 1 and expand_rank_1:
            x2 = ops.expand_dims(x2, -1)
        else:
            x1 = ops.squeeze(x1, -1)
    elif r2 == r1 + 1 and s2[-1] == 1:
        if r1 == 1 and expand_rank_1:
            x1 = ops.expand_dims(x1, -1)
        else:
            x2 = ops.squeeze(x2, -1)
    return x1, x2


def divide_no_nan(x, y):
    """``x / y``, and 0 where ``y == 0`` (with a finite gradient there)."""
    zero = ops.equal(y, 0)
    quotient = ops.divide(x, ops.where(zero, ops.ones_like(y), y))
    return ops.where(zero, ops.zeros_like(quotient), quotient)


def num_elements(x, dtype):
    """The element count of ``x`` as a scalar of ``dtype`` (works with unknown dims)."""
    n = _static_count(ops.shape(x))
    if n is not None:
        return ops.convert_to_tensor(float(n), dtype=dtype)
    return ops.sum(ops.ones_like(x, dtype=dtype))


def apply_mask(sample_weight, mask, dtype, reduction):
    """Folds a boolean mask into the sample weights.

    For the averaging reductions, valid entries get weight ``total / valid`` so that
    dividing by the element count afterwards averages over the valid entries only.
    """
    if mask is None:
        return sample_weight
    if reduction in ("mean", "sum_over_batch_size"):
        total = num_elements(mask, dtype)
        valid = ops.sum(ops.cast(mask, dtype))
        weight = divide_no_nan(total, valid)
        float_mask = ops.where(ops.cast(mask, "bool"), weight, ops.zeros_like(weight))
    else:
        float_mask = ops.cast(mask, dtype)
    if sample_weight is None:
        return float_mask
    sample_weight = ops.cast(sample_weight, dtype)
    float_mask, sample_weight = squeeze_or_expand_to_same_rank(float_mask, sample_weight)
    return ops.multiply(sample_weight, float_mask)


def reduce_values(values, sample_weight=None, reduction="sum_over_batch_size"):
    if reduction is None or reduction == "none":
        return values
    shape = tuple(ops.shape(values))
    if shape == () or shape == (0,):
        return values
    weighted_mean = reduction == "mean_with_sample_weight" and sample_weight is not None
    if reduction != "sum" and not weighted_mean and _static_count(shape):
        # A known, non-zero count needs no guard: the engine's mean is one op (and one
        # gradient) in every step, where sum, count and division are three.
        return ops.mean(values)
    loss = ops.sum(values)
    if reduction == "sum":
        return loss
    dtype = ops.dtype(loss)
    if weighted_mean:
        divisor = ops.cast(ops.sum(sample_weight), dtype)
    else:
        divisor = num_elements(values, dtype)
    return divide_no_nan(loss, divisor)


def _static_count(shape):
    """The element count of ``shape`` when every dimension is known, else None."""
    n = 1
    for d in shape:
        if not isinstance(d, int):
            return None
        n *= d
    return n


def reduce_weighted_values(values, sample_weight=None, mask=None,
                           reduction="sum_over_batch_size", dtype=None):
    """Weights per-sample ``values`` by ``sample_weight`` and ``mask``, then reduces."""
    reduction = standardize_reduction(reduction)
    values = ops.convert_to_tensor(values, dtype=dtype)
    dtype = ops.dtype(values)
    if sample_weight is not None:
        sample_weight = ops.convert_to_tensor(sample_weight, dtype=dtype)
    sample_weight = apply_mask(sample_weight, mask, dtype, reduction)
    if sample_weight is not None:
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
        values = ops.multiply(values, sample_weight)
    return reduce_values(values, sample_weight, reduction)


class Loss:
    """Base class of losses: subclasses implement ``call(y_true, y_pred)``.

    Args:
        name: the loss's name (defaults to the snake-cased class name).
        reduction: "sum_over_batch_size" (default; "mean" is the same), "sum",
            "mean_with_sample_weight" (divides by the sum of the weights), or
            "none"/None (per-sample values).
        dtype: the computation dtype; defaults to ``kfront.config.floatx()``.

    >>> class MyMSE(Loss):
    ...     def call(self, y_true, y_pred):
    ...         return ops.mean(ops.square(y_pred - y_true), axis=-1)
    """

    def __init__(self, name=None, reduction="sum_over_batch_size", dtype=None):
        self.name = name or to_snake_case(type(self).__name__)
        self.reduction = standardize_reduction(reduction)
        self._dtype = compute_dtype(dtype)

    @property
    def dtype(self):
        return self._dtype

    # Targets that are class indices: integer ones are kept as they are (see _target).
    _index_targets = False

    def __call__(self, y_true, y_pred, sample_weight=None):
        dtype = self._dtype
        y_pred = tree.map_structure(lambda x: ops.convert_to_tensor(x, dtype=dtype), y_pred)
        y_true = tree.map_structure(self._target, y_true)
        losses, mask = self.call_with_mask(y_true, y_pred)
        return reduce_weighted_values(losses, sample_weight=sample_weight, mask=mask,
                                      reduction=self.reduction, dtype=dtype)

    def _target(self, x):
        """One target as a tensor of the loss's dtype, as Keras converts them. Integer class
        indices skip the round trip through floats: it costs two casts in every step and
        rounds indices above 2**24."""
        if self._index_targets:
            x = ops.convert_to_tensor(x)
            if ops.dtype(x).startswith(("int", "uint")):
                return x
        return ops.convert_to_tensor(x, dtype=self._dtype)

    def call(self, y_true, y_pred):
        raise NotImplementedError(
            f"{type(self).__name__} must implement `call(y_true, y_pred)`, returning the "
            "per-sample losses."
        )

    def call_with_mask(self, y_true, y_pred):
        """``(per-sample losses, boolean mask or None)``; a mask drops entries from the mean."""
        return self.call(y_true, y_pred), None

    def get_config(self):
        return {"name": self.name, "reduction": self.reduction}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}>"
