"""Conv kernels on jax (contract.CONV_OPS)."""
__all__ = []
