"""``kfront.ops.math``: see ``kfront.backend.contract.MATH_OPS`` and ``SIGNAL_OPS``."""
from kfront.backend.contract import MATH_OPS
from kfront.ops._export import export
from kfront.ops import signal as _signal

export(MATH_OPS, globals())
from kfront.ops.signal import *  # noqa: F401,F403,E402

__all__ = __all__ + _signal.__all__  # noqa: F405
