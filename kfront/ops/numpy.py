"""``kfront.ops.numpy``: see ``kfront.backend.contract.NUMPY_OPS`` for the list and semantics."""
from kfront.backend.contract import NUMPY_OPS
from kfront.ops._export import export
from kfront.ops import numpy_array as _numpy_array, numpy_math as _numpy_math

export(NUMPY_OPS, globals())
from kfront.ops.numpy_math import *  # noqa: F401,F403,E402
from kfront.ops.numpy_array import *  # noqa: F401,F403,E402

__all__ = __all__ + _numpy_math.__all__ + _numpy_array.__all__  # noqa: F405
