"""Attention kernels on torch (contract.ATTENTION_OPS), on F.scaled_dot_product_attention."""
import torch
import torch.nn.functional as F

from kfront.backend.attention_args import check_attention_shapes
from kfront.backends.torch.core import as_tensor, floatx_dtype

__all__ = ["dot_product_attention"]


def _large_negative(dtype):
    # As keras.ops: a finite fill, so a fully masked row averages every position
    # instead of producing NaN.
    return -0.7 * torch.finfo(dtype).max


def dot_product_attention(query, key, value, bias=None, mask=None, scale=None, is_causal=False):
    query, key, value = as_tensor(query), as_tensor(key), as_tensor(value)
    check_attention_shapes(query.shape, key.shape, value.shape)
    dtype = torch.promote_types(torch.promote_types(query.dtype, key.dtype), value.dtype)
    if not dtype.is_floating_point:
        dtype = floatx_dtype()
    query, key, value = query.to(dtype), key.to(dtype), value.to(dtype)
    if scale is None:
        scale = 1.0 / float(query.shape[-1]) ** 0.5
    t, s = query.shape[1], key.shape[1]

    # Everything but a lone causal flag becomes one additive float mask.
    attn_mask = None
    keep = None
    if bias is not None:
        attn_mask = as_tensor(bias).to(dtype)
    if mask is not None or (is_causal and attn_mask is not None):
        keep = torch.ones((), dtype=torch.bool, device=query.device)
        if mask is not None:
            keep = as_tensor(mask).to(torch.bool)
        if is_causal:
            causal = torch.ones((t, s), dtype=torch.bool, device=query.device).tril()
            keep = torch.logical_and(keep, causal)
        fill = torch.where(keep, torch.zeros((), dtype=dtype, device=query.device),
                           torch.full((), _large_negative(dtype), dtype=dtype,
                                      device=query.device))
        attn_mask = fill if attn_mask is None else attn_mask + fill
        is_causal = False
    if attn_mask is not None:
        # Broadcast to (B, N, T, S) explicitly: some kernels reject size-1 batch dims.
        while attn_mask.ndim < 4:
            attn_mask = attn_mask.unsqueeze(0)
        attn_mask = attn_mask.expand(query.shape[0], query.shape[2], t, s).contiguous()

    # Strided (B, N, T, H) views, as torch's own MultiheadAttention passes them: the kernel
    # reads them in place, so copies to contiguous memory would be wasted passes.
    q, k, v = query.transpose(1, 2), key.transpose(1, 2), value.transpose(1, 2)
    out = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask, is_causal=is_causal,
                                         scale=scale, enable_gqa=k.shape[1] != q.shape[1])
    out = out.transpose(1, 2)
    if keep is not None:
        out = _fully_masked_rows(out, keep, value, query.shape)
    return out


def _fully_masked_rows(out, keep, value, query_shape):
    """Fully masked query rows: the plain average of the values, with no gradient to the
    logits, as where-masking gives (an additive mask would let gradient through)."""
    b, t, n, _ = query_shape
    any_kept = keep.expand(b, n, t, keep.shape[-1]).any(-1).transpose(1, 2)[..., None]
    mean = value.mean(1, keepdim=True)
    if value.shape[2] != n:
        mean = mean.repeat_interleave(n // value.shape[2], dim=2)
    return torch.where(any_kept, out, mean)
