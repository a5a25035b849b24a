"""Rnn kernels on torch (contract.RNN_OPS)."""
__all__ = []
