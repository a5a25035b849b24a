"""Ops of ``kfront.ops.numpy``: elementwise math, comparisons, reductions, NaN-aware and bitwise ops.

Engine kernels come from ``kfront.backend.contract.NUMPY_MATH_OPS``; ops written here from contract
ops are marked with ``@composite``.
"""
from kfront.backend.contract import NUMPY_MATH_OPS
from kfront.ops._export import composite, export  # noqa: F401

__all__ = []
export(NUMPY_MATH_OPS, globals())
