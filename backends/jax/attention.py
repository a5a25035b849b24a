"""Attention kernels on jax (contract.ATTENTION_OPS)."""
__all__ = []
