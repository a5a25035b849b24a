"""Rnn kernels on jax (contract.RNN_OPS)."""
__all__ = []
