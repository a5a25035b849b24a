"""NumPy references for the attention layers (float64, Keras 3 semantics)."""
import numpy as np

f64 = np.float64


def softmax(x, axis=-1):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def mha(weights, query, value, key=None, mask=None, fused=True):
    """MultiHeadAttention on (B, T, dim) inputs with Keras's weight layout.

    ``mask`` is a boolean (B, T, S) (or broadcastable) mask. Keras has two paths: the fused
    kernel (no dropout, no scores returned) gives a fully masked query row the average of
    every value; the explicit-scores path gives it zero scores.
    Returns (output, scores).
    """
    wq, bq, wk, bk, wv, bv, wo, bo = (np.asarray(w, f64) for w in weights)
    key = value if key is None else key
    q = np.einsum("btd,dnh->btnh", np.asarray(query, f64), wq) + bq
    k = np.einsum("bsd,dnh->bsnh", np.asarray(key, f64), wk) + bk
    v = np.einsum("bsd,dnh->bsnh", np.asarray(value, f64), wv) + bv
    logits = np.einsum("btnh,bsnh->bnts", q, k) / np.sqrt(wq.shape[-1])
    if mask is not None:
        m = np.asarray(mask, bool)
        m = m[:, None] if m.ndim == 3 else m
        logits = np.where(m, logits, -1e9)
    scores = softmax(logits)
    if mask is not None and not fused:
        scores = np.where(m, scores, 0.0)
    out = np.einsum("bnts,bsnh->btnh", scores, v)
    return np.einsum("btnh,nho->bto", out, wo) + bo, scores


def dot_attention(query, value, key=None, query_mask=None, value_mask=None, causal=False,
                  scale=None, concat_weight=None, additive_scale=None, mode="dot"):
    """Attention / AdditiveAttention: (output, weights)."""
    query, value = np.asarray(query, f64), np.asarray(value, f64)
    key = value if key is None else np.asarray(key, f64)
    if mode == "dot":
        scores = query @ np.swapaxes(key, -1, -2)
        if scale is not None:
            scores = scores * scale
    elif mode == "concat":
        x = query[:, :, None, :] + key[:, None, :, :]
        if scale is not None:
            x = scale * x
        scores = concat_weight * np.tanh(x).sum(-1)
    else:  # additive
        x = np.tanh(query[:, :, None, :] + key[:, None, :, :])
        if additive_scale is not None:
            x = additive_scale * x
        scores = x.sum(-1)
    keep = np.ones(scores.shape, bool)
    if value_mask is not None:
        keep &= np.asarray(value_mask, bool)[:, None, :]
    if causal:
        keep &= np.tril(np.ones(scores.shape[-2:], bool))[None]
    # Keras subtracts 1e9 in float32, which rounds every moderate score to -1e9: a fully
    # masked row becomes uniform.
    scores = np.where(keep, scores, -1e9)
    weights = softmax(scores)
    out = weights @ value
    if query_mask is not None:
        out = np.where(np.asarray(query_mask, bool)[..., None], out, 0.0)
    return out, weights
