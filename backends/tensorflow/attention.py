"""Attention kernels on TensorFlow (contract.ATTENTION_OPS), from plain tf ops."""
import tensorflow as tf

from kfront.backend.attention_args import check_attention_shapes
from kfront.backends.tensorflow.core import convert_to_tensor, floatx, result_type

__all__ = ["dot_product_attention"]


def dot_product_attention(query, key, value, bias=None, mask=None, scale=None, is_causal=False):
    query, key, value = convert_to_tensor(query), convert_to_tensor(key), convert_to_tensor(value)
    check_attention_shapes(query.shape, key.shape, value.shape)
    dtype = result_type(result_type(query.dtype, key.dtype), value.dtype)
    if not dtype.is_floating:
        dtype = floatx()
    query, key, value = (tf.cast(t, dtype) for t in (query, key, value))
    groups = query.shape[2] // key.shape[2]
    if groups > 1:
        key = tf.repeat(key, groups, axis=2)
        value = tf.repeat(value, groups, axis=2)
    if scale is None:
        scale = 1.0 / float(query.shape[-1]) ** 0.5
    logits_dtype = result_type(dtype, tf.float32)
    logits = tf.cast(tf.einsum("btnh,bsnh->bnts", query, key), logits_dtype)
    logits = logits * tf.cast(scale, logits_dtype)
    if bias is not None:
        logits = logits + tf.cast(convert_to_tensor(bias), logits_dtype)
    keep = None if mask is None else tf.cast(convert_to_tensor(mask), tf.bool)
    if is_causal:
        shape = tf.shape(logits)
        causal = tf.linalg.band_part(tf.ones((shape[2], shape[3]), tf.bool), -1, 0)
        keep = causal if keep is None else tf.logical_and(keep, causal)
    if keep is not None:
        # A finite fill, as keras.ops: a fully masked row averages every position.
        large_negative = tf.constant(-0.7 * logits_dtype.max, logits_dtype)
        logits = tf.where(keep, logits, large_negative)
    probs = tf.nn.softmax(tf.cast(logits, result_type(logits_dtype, tf.float32)), axis=-1)
    return tf.einsum("bnts,bsnh->btnh", tf.cast(probs, dtype), value)
