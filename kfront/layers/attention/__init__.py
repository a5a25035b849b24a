"""Attention layers (and ``EinsumDense``, the projection they are built from)."""
from kfront.layers.attention.additive_attention import AdditiveAttention
from kfront.layers.attention.attention import Attention
from kfront.layers.attention.grouped_query_attention import (
    GroupedQueryAttention, GroupQueryAttention,
)
from kfront.layers.attention.multi_head_attention import MultiHeadAttention
from kfront.layers.core.einsum_dense import EinsumDense

__all__ = ["AdditiveAttention", "Attention", "EinsumDense", "GroupedQueryAttention",
           "GroupQueryAttention", "MultiHeadAttention"]
