"""Ops of ``kfront.ops.numpy``: shape manipulation, indexing, creation, sorting, searching and set ops.

Engine kernels come from ``kfront.backend.contract.NUMPY_ARRAY_OPS``; ops written here from contract
ops are marked with ``@composite``.
"""
from kfront.backend.contract import NUMPY_ARRAY_OPS
from kfront.ops._export import composite, export  # noqa: F401

__all__ = []
export(NUMPY_ARRAY_OPS, globals())
