"""Ops of ``kfront.ops.numpy``: elementwise math, comparisons, reductions, NaN-aware and bitwise ops.

Engine kernels come from ``kfront.backend.contract.NUMPY_MATH_OPS``; ops written here from contract
ops are marked with ``@composite``.
"""
from kfront.backend.contract import NUMPY_MATH_OPS
from kfront.backend.loader import adapter
from kfront.ops._export import composite, export

__all__ = ["amax", "amin", "conj", "bitwise_not", "left_shift", "right_shift", "percentile",
           "nanpercentile"]
export(NUMPY_MATH_OPS, globals())

# The composites call the adapter directly: one dispatch per call, as a contract op has.
_B = adapter()


@composite
def amax(x, axis=None, keepdims=False):
    """The maximum of ``x`` along ``axis`` (all axes when None). Written from kfront ops
    (``max``)."""
    return _B.max(x, axis=axis, keepdims=keepdims)


@composite
def amin(x, axis=None, keepdims=False):
    """The minimum of ``x`` along ``axis`` (all axes when None). Written from kfront ops
    (``min``)."""
    return _B.min(x, axis=axis, keepdims=keepdims)


@composite
def conj(x):
    """The complex conjugate, elementwise (real inputs are returned as they are). Written
    from kfront ops (``conjugate``)."""
    return _B.conjugate(x)


@composite
def bitwise_not(x):
    """Bitwise NOT of an integer or bool tensor. Written from kfront ops
    (``bitwise_invert``)."""
    return _B.bitwise_invert(x)


@composite
def left_shift(x, y):
    """``x << y`` on integers. Written from kfront ops (``bitwise_left_shift``)."""
    return _B.bitwise_left_shift(x, y)


@composite
def right_shift(x, y):
    """``x >> y`` on integers (arithmetic for signed ones). Written from kfront ops
    (``bitwise_right_shift``)."""
    return _B.bitwise_right_shift(x, y)


def _fraction(q):
    # Python numbers and lists divide on the host; tensors divide on the engine.
    if isinstance(q, (int, float)):
        return q / 100
    if isinstance(q, (list, tuple)):
        return [v / 100 for v in q]
    return _B.divide(q, 100.0)


@composite
def percentile(x, q, axis=None, method="linear", keepdims=False):
    """The ``q``-th percentiles (0 to 100) of ``x`` along ``axis``; ``method`` is one of
    "linear", "lower", "higher", "midpoint", "nearest". Written from kfront ops
    (``quantile`` of ``q / 100``).

    Example: ``percentile([1., 2., 3., 4.], 50)`` is 2.5.
    """
    return _B.quantile(x, _fraction(q), axis=axis, method=method, keepdims=keepdims)


@composite
def nanpercentile(x, q, axis=None, method="linear", keepdims=False):
    """``percentile`` ignoring NaNs. Written from kfront ops (``nanquantile`` of ``q / 100``)."""
    return _B.nanquantile(x, _fraction(q), axis=axis, method=method, keepdims=keepdims)
