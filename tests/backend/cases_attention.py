"""Conformance cases for ``contract.ATTENTION_OPS`` (keras.ops.dot_product_attention).

The reference follows keras.ops: logits ``q.k * scale + bias`` in float64, masked positions
filled with a large finite negative (a fully masked row averages every position), softmax
over the key axis; grouped key/value heads serve consecutive query heads.
"""
import numpy as np

from cases_core import case, f32

f64 = np.float64
_rng = np.random.default_rng(31)
B, T, S, N, H = 2, 3, 5, 2, 4
Q = _rng.normal(size=(B, T, N, H)).astype(f32)
K = _rng.normal(size=(B, S, N, H)).astype(f32)
V = _rng.normal(size=(B, S, N, H)).astype(f32)
Q4 = _rng.normal(size=(B, T, 4, H)).astype(f32)     # 4 query heads over 2 key/value heads
V3 = _rng.normal(size=(B, S, N, 3)).astype(f32)     # value head size unlike the key's
BIAS = _rng.normal(size=(1, N, T, S)).astype(f32)
MASK = _rng.random((B, 1, T, S)) > 0.4
MASK[0, 0, 1] = False                               # one fully masked row
MASK2 = np.tril(np.ones((T, S), bool), 1)           # (T, S): broadcast over batch and heads


def _reference(q, k, v, bias=None, mask=None, scale=None, is_causal=False):
    q, k, v = (np.asarray(a, f64) for a in (q, k, v))
    groups = q.shape[2] // k.shape[2]
    k, v = np.repeat(k, groups, axis=2), np.repeat(v, groups, axis=2)
    scale = 1 / np.sqrt(q.shape[-1]) if scale is None else scale
    logits = np.einsum("btnh,bsnh->bnts", q, k) * scale
    if bias is not None:
        logits = logits + bias
    keep = np.ones(logits.shape, bool)
    if mask is not None:
        keep &= mask
    if is_causal:
        keep &= np.tril(np.ones(logits.shape[-2:], bool))
    logits = np.where(keep, logits, -1e300)
    probs = np.exp(logits - logits.max(-1, keepdims=True))
    probs /= probs.sum(-1, keepdims=True)
    return np.einsum("bnts,bsnh->btnh", probs, v).astype(f32)


def _dpa(label, *args, **kwargs):
    return case("dot_product_attention", label, *args,
                expected=_reference(*args, **kwargs), **kwargs)


CASES = [
    _dpa("basic", Q, K, V),
    _dpa("scale", Q, K, V, scale=0.3),
    _dpa("causal", Q, K, V, is_causal=True),
    _dpa("mask", Q, K, V, mask=MASK),
    _dpa("mask_2d", Q, K, V, mask=MASK2),
    _dpa("mask_causal", Q, K, V, mask=MASK, is_causal=True),
    _dpa("bias", Q, K, V, bias=BIAS),
    _dpa("bias_mask", Q, K, V, bias=BIAS, mask=MASK),
    _dpa("bias_causal", Q, K, V, bias=BIAS, is_causal=True),
    _dpa("grouped_heads", Q4, K, V),
    _dpa("grouped_heads_mask", Q4, K, V, mask=MASK),
    _dpa("value_head_size", Q, K, V3, mask=MASK),
]
