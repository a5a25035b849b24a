"""Parity specs for the core layers."""
from layer_spec import Input, spec

from kfront import layers

SPECS = [
    spec("dense", lambda: layers.Dense(4, activation="tanh"), [(3, 5)]),
    spec("dense_3d", lambda: layers.Dense(3), [(2, 4, 5)]),
    spec("embedding", lambda: layers.Embedding(10, 3), [Input((3, 4), "int32", 10)]),
    spec("activation_softmax", lambda: layers.Activation("softmax"), [(3, 5)]),
    spec("flatten", lambda: layers.Flatten(), [(2, 3, 4)]),
    spec("reshape", lambda: layers.Reshape((4, -1)), [(2, 3, 4)]),
    spec("concatenate", lambda: layers.Concatenate(axis=1), [(2, 3), (2, 4)], as_list=True),
    spec("add", lambda: layers.Add(), [(2, 3), (2, 3)], as_list=True),
    spec("multiply", lambda: layers.Multiply(), [(2, 3), (2, 3)], as_list=True),
]
