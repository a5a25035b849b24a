"""``kfront.ops.nn``: see ``kfront.backend.contract.NN_OPS`` and ``LAYER_OPS`` for the list
and semantics."""
from kfront.backend.contract import LAYER_OPS, NN_OPS
from kfront.ops._export import export

export(NN_OPS + LAYER_OPS, globals())
