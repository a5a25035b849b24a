"""``keras.utils.np_utils``: the Keras 2 module of NumPy helpers.

>>> from kfront.utils.np_utils import to_categorical
>>> to_categorical([0, 2], num_classes=3)
array([[1., 0., 0.],
       [0., 0., 1.]], dtype=float32)
"""
from kfront.utils.numerical_utils import normalize, to_categorical

__all__ = ["normalize", "to_categorical"]
