"""Normalization layers."""
__all__ = []
