"""``kfront.ops.numpy``: see ``kfront.backend.contract.NUMPY_OPS`` for the list and semantics."""
from kfront.backend.contract import NUMPY_OPS
from kfront.ops._export import export

export(NUMPY_OPS, globals())
