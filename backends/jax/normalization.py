"""Normalization kernels on jax (contract.NORMALIZATION_OPS)."""
__all__ = []
