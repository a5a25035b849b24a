"""Merging layers (classes are also exported by kfront.layers)."""
from kfront.layers.merging.dot import Dot, dot

__all__ = ["Dot", "dot"]
