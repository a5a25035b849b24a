"""Reshaping layers (classes are also exported by kfront.layers)."""
__all__ = []
