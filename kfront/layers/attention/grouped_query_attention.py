"""``GroupedQueryAttention`` (exported also as ``GroupQueryAttention``, Keras's name): attention
where groups of query heads share one key/value head (Ainslie et al., 2023)."""
from kfront import ops
from kfront.layers.attention.multi_head_attention import (
    MultiHeadAttention, _positive_int, _projection_equation,
)
from kfront.layers.core.einsum_dense import EinsumDense


class GroupedQueryAttention(MultiHeadAttention):
    """Grouped-query attention on ``(batch, seq, features)`` inputs.

    ``num_query_heads`` query heads attend over ``num_key_value_heads`` key/value heads,
    each shared by ``num_query_heads // num_key_value_heads`` query heads.

    Args:
        head_dim: the size of each attention head.
        num_query_heads: the number of query heads.
        num_key_value_heads: the number of key and value heads (divides num_query_heads).
        dropout: the dropout rate on the attention scores.
        use_bias: whether the projections have biases.
        sliding_window: None, or attend only to positions less than this far away.
        flash_attention: None or False (kfront has no flash-attention kernel; True raises).
        kernel_initializer / bias_initializer / *_regularizer / *_constraint: of the
            projections.
        use_gate: multiply the attention output by a sigmoid gate projected from the query.
        seed: the dropout seed.

    Call arguments are those of ``MultiHeadAttention`` (query, value, key, the masks,
    attention_mask, return_attention_scores, training, use_causal_mask); scores have shape
    ``(batch, num_query_heads, query_len, key_len)``.

    Example: ``GroupedQueryAttention(16, 8, 2)(x, x)`` on ``(batch, seq, 64)``.
    """

    def __init__(self, head_dim, num_query_heads, num_key_value_heads, dropout=0.0,
                 use_bias=True, sliding_window=None, flash_attention=None,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, use_gate=False, seed=None,
                 **kwargs):
        for arg, value in (("head_dim", head_dim), ("num_query_heads", num_query_heads),
                           ("num_key_value_heads", num_key_value_heads)):
            if not _positive_int(value):
                raise ValueError(f"GroupedQueryAttention: `{arg}` must be a positive int, "
                                 f"received {arg}={value!r}.")
        if num_query_heads % num_key_value_heads != 0:
            raise ValueError("`num_query_heads` must be divisible by `num_key_value_heads`. "
                             f"Received: num_query_heads={num_query_heads}, "
                             f"num_key_value_heads={num_key_value_heads}.")
        if flash_attention:
            raise ValueError("GroupedQueryAttention: flash_attention=True is not supported by "
                             "kfront; pass flash_attention=None or False.")
        super().__init__(num_query_heads, head_dim, dropout=dropout, use_bias=use_bias,
                         sliding_window=sliding_window, kernel_initializer=kernel_initializer,
                         bias_initializer=bias_initializer,
                         kernel_regularizer=kernel_regularizer,
                         bias_regularizer=bias_regularizer,
                         activity_regularizer=activity_regularizer,
                         kernel_constraint=kernel_constraint, bias_constraint=bias_constraint,
                         use_gate=use_gate, seed=seed, **kwargs)
        self.head_dim = head_dim
        self.num_query_heads = num_query_heads
        self.num_key_value_heads = num_key_value_heads
        self.num_repeats = num_query_heads // num_key_value_heads
        self._flash_attention = flash_attention

    def _check_shapes(self, query_shape, value_shape, key_shape):
        if len(query_shape) != 3 or len(value_shape) != 3 or len(key_shape) != 3:
            raise ValueError(
                f'GroupedQueryAttention "{self.name}": query, value and key must have rank 3 '
                f"(batch, seq, features). Received: query shape {tuple(query_shape)}, value "
                f"shape {tuple(value_shape)}, key shape {tuple(key_shape)}.")
        if query_shape[-1] != value_shape[-1]:
            raise ValueError(
                "The last dimension of `query_shape` and `value_shape` must be equal, but are "
                f"{query_shape[-1]}, {value_shape[-1]}. Received: "
                f"query_shape={tuple(query_shape)}, value_shape={tuple(value_shape)}")
        super()._check_shapes(query_shape, value_shape, key_shape)

    def _projection(self, rank, heads_dim, name, activation=None):
        if name not in ("key", "value"):
            return super()._projection(rank, heads_dim, name, activation)
        # Key and value get num_key_value_heads heads; the rest is MultiHeadAttention's.
        equation, bias_axes, _ = _projection_equation(rank - 1, 1, 2)
        return EinsumDense(equation, output_shape=[None, self.num_key_value_heads, heads_dim],
                           bias_axes=bias_axes if self._use_bias else None, name=name,
                           **self._sublayer_kwargs())

    def call(self, query, value, key=None, query_mask=None, value_mask=None, key_mask=None,
             attention_mask=None, return_attention_scores=False, training=None,
             use_causal_mask=False):
        return super().call(query, value, key, query_mask=query_mask, value_mask=value_mask,
                            key_mask=key_mask, attention_mask=attention_mask,
                            return_attention_scores=return_attention_scores,
                            training=training, use_causal_mask=use_causal_mask)

    def _compute_attention(self, query, key, value, attention_mask=None, training=None,
                           return_attention_scores=False, use_causal_mask=False):
        # Each key/value head serves num_repeats consecutive query heads.
        key = ops.repeat(key, self.num_repeats, axis=2)
        value = ops.repeat(value, self.num_repeats, axis=2)
        return super()._compute_attention(query, key, value, attention_mask, training,
                                          return_attention_scores, use_causal_mask)

    def get_config(self):
        config = super().get_config()
        for key in ("num_heads", "key_dim", "value_dim", "output_shape", "attention_axes"):
            config.pop(key)
        config.update({"head_dim": self.head_dim, "num_query_heads": self.num_query_heads,
                       "num_key_value_heads": self.num_key_value_heads})
        return config


GroupQueryAttention = GroupedQueryAttention
