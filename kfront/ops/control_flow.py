"""Ops of ``kfront.ops.core``: control flow and functional transforms, slicing, scatter and segment reductions.

Engine kernels come from ``kfront.backend.contract.CONTROL_FLOW_OPS``; ops written here from contract
ops are marked with ``@composite``.
"""
from kfront.backend.contract import CONTROL_FLOW_OPS
from kfront.ops._export import composite, export  # noqa: F401

__all__ = []
export(CONTROL_FLOW_OPS, globals())
