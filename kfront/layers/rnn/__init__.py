"""Rnn layers."""
__all__ = []
