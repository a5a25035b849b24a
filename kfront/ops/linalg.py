"""``kfront.ops.linalg``: linear algebra (Keras 3 names).

Engine kernels come from ``kfront.backend.contract.LINALG_OPS``; ops written here from contract
ops are marked with ``@composite``.
"""
from kfront.backend.contract import LINALG_OPS
from kfront.ops._export import composite, export  # noqa: F401

__all__ = []
export(LINALG_OPS, globals())
