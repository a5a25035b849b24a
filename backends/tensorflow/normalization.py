"""Normalization kernels on tensorflow (contract.NORMALIZATION_OPS)."""
__all__ = []
