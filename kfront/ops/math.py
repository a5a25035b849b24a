"""``kfront.ops.math``: see ``kfront.backend.contract.MATH_OPS`` for the list and semantics."""
from kfront.backend.contract import MATH_OPS
from kfront.ops._export import export

export(MATH_OPS, globals())
