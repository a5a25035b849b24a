"""Attention kernels on tensorflow (contract.ATTENTION_OPS)."""
__all__ = []
