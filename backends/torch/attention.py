"""Attention kernels on torch (contract.ATTENTION_OPS)."""
__all__ = []
