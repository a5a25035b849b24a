"""``kfront.ops.linalg``: linear algebra (Keras 3 names).

Engine kernels come from ``kfront.backend.contract.LINALG_OPS`` (which also holds
``logdet`` and ``slogdet``, top-level ``keras.ops`` names); ``norm`` is
``kfront.ops.math.norm``.
"""
from kfront.backend.contract import LINALG_OPS
from kfront.ops._export import composite, export  # noqa: F401
from kfront.ops.math import norm  # noqa: F401

__all__ = []
export(LINALG_OPS, globals())
__all__.append("norm")
