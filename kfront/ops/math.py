"""``kfront.ops.math``: see ``kfront.backend.contract.MATH_OPS`` and ``SIGNAL_OPS``."""
from kfront.backend.contract import MATH_OPS
from kfront.ops._export import composite, export
from kfront.ops import signal as _signal

export(MATH_OPS, globals())
from kfront.ops.signal import *  # noqa: F401,F403,E402

__all__ = __all__ + _signal.__all__ + ["cdist"]  # noqa: F405


@composite
def cdist(x, y):
    """Euclidean distances between the rows of ``x`` (..., m, d) and ``y`` (..., n, d).

    Written from kfront ops. Returns (..., m, n)::

        ops.cdist([[0.0, 0.0], [1.0, 1.0]], [[1.0, 0.0]])  # [[1.], [1.]]
    """
    from kfront import ops
    x = ops.convert_to_tensor(x)
    y = ops.convert_to_tensor(y)
    x_shape, y_shape = ops.shape(x), ops.shape(y)
    if len(x_shape) < 2 or len(y_shape) < 2:
        raise ValueError(f"cdist: both inputs need rank >= 2 (..., points, features); received "
                         f"shapes {tuple(x_shape)} and {tuple(y_shape)}.")
    if x_shape[-1] is not None and y_shape[-1] is not None and x_shape[-1] != y_shape[-1]:
        raise ValueError(f"cdist: the last dimensions must match; received shapes "
                         f"{tuple(x_shape)} and {tuple(y_shape)}.")
    diff = ops.expand_dims(x, -2) - ops.expand_dims(y, -3)
    return ops.sqrt(ops.sum(ops.square(diff), axis=-1))
