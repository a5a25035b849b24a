"""``keras.layers.merge``: the Keras 2 module of merging layers and their functions.

Keras 2 code imports ``from keras.layers.merge import concatenate``; the layers themselves
live in ``kfront.layers.merging``.
"""
from kfront.layers.merging.concatenate import Concatenate, concatenate
from kfront.layers.merging.dot import Dot, dot
from kfront.layers.merging.merge import (
    Add, Average, Maximum, Merge as _Merge, Minimum, Multiply, Subtract, add, average, maximum,
    minimum, multiply, subtract,
)

__all__ = ["Add", "Average", "Concatenate", "Dot", "Maximum", "Minimum", "Multiply",
           "Subtract", "add", "average", "concatenate", "dot", "maximum", "minimum",
           "multiply", "subtract", "_Merge"]
