"""Core layers (classes are also exported by kfront.layers)."""
from kfront.layers.core.masking import Masking  # noqa: F401

__all__ = ["Masking"]
