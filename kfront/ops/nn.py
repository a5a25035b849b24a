"""``kfront.ops.nn``: see ``kfront.backend.contract.NN_OPS`` for the list and semantics."""
from kfront.backend.contract import NN_OPS
from kfront.ops._export import export

export(NN_OPS, globals())
