"""Ops of ``kfront.ops.math``: FFTs, STFT, window functions and the other keras.ops.math extras.

Engine kernels come from ``kfront.backend.contract.SIGNAL_OPS``; ops written here from contract
ops are marked with ``@composite``.
"""
from kfront.backend.contract import SIGNAL_OPS
from kfront.ops._export import composite, export  # noqa: F401

__all__ = []
export(SIGNAL_OPS, globals())
