"""Ops of ``kfront.ops.nn``: the rest of keras.ops.nn.

Engine kernels come from ``kfront.backend.contract.NN_EXTRA_OPS``; ops written here from contract
ops are marked with ``@composite``.
"""
from kfront.backend.contract import NN_EXTRA_OPS
from kfront.ops._export import composite, export  # noqa: F401

__all__ = []
export(NN_EXTRA_OPS, globals())
