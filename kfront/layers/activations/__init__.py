"""Activations layers (classes are also exported by kfront.layers)."""
from kfront.layers.activations.prelu import PReLU
from kfront.layers.activations.relu import ELU, LeakyReLU, ReLU
from kfront.layers.activations.softmax import Softmax

__all__ = ["ELU", "LeakyReLU", "PReLU", "ReLU", "Softmax"]
