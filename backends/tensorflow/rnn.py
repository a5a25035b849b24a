"""Rnn kernels on tensorflow (contract.RNN_OPS)."""
__all__ = []
