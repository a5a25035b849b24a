"""Convolutional layers."""
__all__ = []
