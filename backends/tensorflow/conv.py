"""Conv kernels on tensorflow (contract.CONV_OPS)."""
__all__ = []
