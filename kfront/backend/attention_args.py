"""The shape check every adapter's ``dot_product_attention`` makes (engine-free), so the
error reads the same on every engine."""


def check_attention_shapes(query_shape, key_shape, value_shape):
    """Shapes as tuples (``None`` for a dimension unknown while tracing)."""
    shapes = [tuple(query_shape), tuple(key_shape), tuple(value_shape)]
    if any(len(s) != 4 for s in shapes):
        raise ValueError(
            "dot_product_attention: query, key and value must be 4D (batch, length, heads, "
            f"head_dim). Received: query.shape={shapes[0]}, key.shape={shapes[1]}, "
            f"value.shape={shapes[2]}.")
    n, k, kv = shapes[0][2], shapes[1][2], shapes[2][2]
    if None not in (n, k, kv) and (n % k != 0 or k != kv):
        raise ValueError(
            "dot_product_attention: the number of query heads must be a multiple of the "
            "number of key/value heads, and key and value must have as many heads. Received: "
            f"query.shape={shapes[0]}, key.shape={shapes[1]}, value.shape={shapes[2]}.")
