"""``kfront.ops.core``: see ``kfront.backend.contract.TENSOR_OPS`` and ``CONTROL_FLOW_OPS``."""
from kfront.backend.contract import TENSOR_OPS
from kfront.ops._export import export
from kfront.ops import control_flow as _control_flow

export(TENSOR_OPS, globals())


def _getitem(x, index):
    return x[index]


# Indexing a symbolic tensor (``inputs[:, 0]`` in a Functional model) is an op of its own.
getitem = __import__("kfront.ops.dispatch", fromlist=["wrap"]).wrap("getitem", _getitem)
__all__.append("getitem")

from kfront.ops.control_flow import *  # noqa: F401,F403,E402

__all__ = __all__ + _control_flow.__all__  # noqa: F405
