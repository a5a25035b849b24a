"""``kfront.ops.core``: see ``kfront.backend.contract.TENSOR_OPS`` for the list and semantics."""
from kfront.backend.contract import TENSOR_OPS
from kfront.ops._export import export

export(TENSOR_OPS, globals())


def _getitem(x, index):
    return x[index]


# Indexing a symbolic tensor (``inputs[:, 0]`` in a Functional model) is an op of its own.
getitem = __import__("kfront.ops.dispatch", fromlist=["wrap"]).wrap("getitem", _getitem)
__all__.append("getitem")
