"""Normalization kernels on torch (contract.NORMALIZATION_OPS)."""
__all__ = []
