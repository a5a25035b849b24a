"""Conv kernels on torch (contract.CONV_OPS)."""
__all__ = []
