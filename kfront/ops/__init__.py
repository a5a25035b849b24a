"""``kfront.ops``: backend-agnostic tensor ops with Keras 3's names.

They accept engine tensors, NumPy arrays, Python numbers and ``kfront.Variable``s, and
return engine tensors. Called on symbolic ``KerasTensor``s they build Functional graph
nodes, so ``ops.concatenate([a, b])`` works between ``Input``s.
"""
from kfront.ops.core import *  # noqa: F401,F403
from kfront.ops.math import *  # noqa: F401,F403
from kfront.ops.nn import *  # noqa: F401,F403
from kfront.ops.numpy import *  # noqa: F401,F403
from kfront.ops.linalg import *  # noqa: F401,F403
from kfront.ops import core, image, linalg, math, nn, numpy  # noqa: F401

# Keras also lists these in keras.ops.numpy; they live with their families, which import
# kfront.ops.numpy themselves, so they join it once every module is loaded.
for _name in ("vectorize", "slogdet", "bartlett", "blackman", "hamming", "hanning", "kaiser"):
    setattr(numpy, _name, globals()[_name])
    numpy.__all__.append(_name)
del _name
