"""``einsum(equation, x, kernel) + bias``, the product shared by Dense and EinsumDense.

Where the adapter has an ``einsum_dense`` kernel (see ``contract.OPTIONAL``) the product and
the bias run as one engine call; elsewhere the layer's own product, then an add.
"""
from kfront import ops
from kfront.backend.loader import adapter

# Looked up once: the adapter is fixed for the process, and this runs on every layer call.
_FUSED = getattr(adapter(), "einsum_dense", None)


def project(equation, inputs, kernel, bias, product):
    """``product(inputs, kernel) + bias`` (``product`` computes ``equation``'s einsum)."""
    if _FUSED is not None:
        return _FUSED(equation, inputs, kernel, bias)
    x = product(inputs, kernel)
    return x if bias is None else ops.add(x, bias)
