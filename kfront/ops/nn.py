"""``kfront.ops.nn``: see ``kfront.backend.contract.NN_OPS``, ``LAYER_OPS`` and
``NN_EXTRA_OPS`` for the list and semantics."""
from kfront.backend.contract import LAYER_OPS, NN_OPS
from kfront.ops._export import export
from kfront.ops import nn_extra as _nn_extra

export(NN_OPS + LAYER_OPS, globals())
from kfront.ops.nn_extra import *  # noqa: F401,F403,E402

__all__ = __all__ + _nn_extra.__all__  # noqa: F405
